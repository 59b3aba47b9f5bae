#!/usr/bin/env python3
"""The names and shapes of torchvision 0.14's state_dict for the networks convnets names as torchvision does,
for arch's export test (an export of these loads into torchvision's model with load_state_dict).

  /usr/bin/python3 testdata/reference/torch_state.py > testdata/reference/torch_state.json

num_batches_tracked (a step counter, no weight) is left out.
"""
import json
import torchvision.models as tvm

MODELS = {"resnet18": tvm.resnet18, "resnet50": tvm.resnet50, "mobilenet-v2": tvm.mobilenet_v2,
          "mobilenet-v3-small": tvm.mobilenet_v3_small}


def main():
    out = {}
    for name, fn in MODELS.items():
        state = fn().state_dict()
        out[name] = [[k, list(v.shape)] for k, v in state.items() if not k.endswith("num_batches_tracked")]
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
