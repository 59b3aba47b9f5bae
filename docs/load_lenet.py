# Loads LeNet-5 weights exported by `convnets export` into PyTorch and
# measures their accuracy on the MNIST test set. Needs only torch and numpy.
import gzip, json, struct, sys
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F

def load_safetensors(path):  # what safetensors.torch.load_file returns
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header, data = json.loads(f.read(n)), f.read()
    meta = header.pop("__metadata__", {})
    return {k: torch.frombuffer(bytearray(data[v["data_offsets"][0]:v["data_offsets"][1]]),
                                dtype=torch.float32).reshape(v["shape"]) for k, v in header.items()}, meta

class LeNet5(nn.Module):  # convnets' lenet5-relu, layer for layer
    def __init__(self):
        super().__init__()
        self.c1, self.c3 = nn.Conv2d(1, 6, 5, padding=2), nn.Conv2d(6, 16, 5)
        self.c5, self.f6, self.output = nn.Linear(400, 120), nn.Linear(120, 84), nn.Linear(84, 10)
    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.max_pool2d(F.relu(self.c3(x)), 2)
        return self.output(F.relu(self.f6(F.relu(self.c5(x.flatten(1))))))

state, meta = load_safetensors(sys.argv[1])
model = LeNet5()
model.load_state_dict(state)  # strict: every name and shape must match
model.eval()
idx = lambda p: np.frombuffer(gzip.open(p).read(), np.uint8)
x = torch.tensor(idx(sys.argv[2] + "/t10k-images-idx3-ubyte.gz")[16:].reshape(-1, 1, 28, 28) / 255.0, dtype=torch.float32)
y = torch.tensor(idx(sys.argv[2] + "/t10k-labels-idx1-ubyte.gz")[8:].astype(np.int64))
with torch.no_grad():
    print(meta["arch"], "test accuracy", (model(x).argmax(1) == y).float().mean().item())
