#!/usr/bin/env python3
"""The same work as each of `convnets bench`'s rows, in PyTorch, for the ratio (run by `bench -torch`).

Needs Debian's python3-torch and python3-torchvision; run with /usr/bin/python3.

  /usr/bin/python3 torch_bench.py MODEL --batch N --threads 2 [--steps N]

Models:
  lenet5-train              LeNet-5 (ReLU, max pooling) training step with Adam, as convnets' lenet5-relu
  inception3a, conv3x3,     GoogLeNet's block 3a, a pure 3x3 and a pure 5x5 convolution 192 -> 256 at 28x28,
  conv5x5                   without biases (the lecture's study), forward and backward of the output's sum
  alexnet, vgg11,           torchvision 0.14's own models, forward and backward of the output's sum
  inception-v3              (inception_v3 without the auxiliary head, as convnets' preset)
  googlenet-mnist-train,    training steps with Adam of transcriptions of convnets' presets (1/8 width, one input
  inception-bn-mnist-train  channel, ten classes, 96x96 and 64x64), the same layers in the same order
  mobilenet-v2-mnist-train  the same for torchvision's MobileNetV2 at 1/2 width, 28x28, stem stride 1

Random inputs; weights get gradients, inputs do not; train mode. Prints one JSON line: model, batch,
threads, steps, ms_per_step (median of the timed steps), images_per_s, params (trainable, for convnets
to check that both sides built the same network).
"""
import argparse, json, math, statistics, time
import torch, torch.nn as nn, torch.nn.functional as F
import torchvision.models as tvm


def width(c, w):  # convnets' scaleWidth: max(1, round half away from zero)
    return c if w in (0, 1) else max(1, int(math.floor(c * w + 0.5)))


class Cat(nn.Module):
    def __init__(self, *branches):
        super().__init__()
        self.branches = nn.ModuleList(branches)

    def forward(self, x):
        return torch.cat([b(x) for b in self.branches], 1)


def conv_relu(cin, cout, k=1, s=1, p=0, bias=True):
    return nn.Sequential(nn.Conv2d(cin, cout, k, s, p, bias=bias), nn.ReLU())


def conv_bn(cin, cout, k=1, s=1, p=0):
    return nn.Sequential(nn.Conv2d(cin, cout, k, s, p, bias=False), nn.BatchNorm2d(cout), nn.ReLU())


def inception_v1(cin, c1, c3r, c3, c5r, c5, pp, bias=True):
    return Cat(conv_relu(cin, c1, bias=bias),
               nn.Sequential(conv_relu(cin, c3r, bias=bias), conv_relu(c3r, c3, 3, 1, 1, bias=bias)),
               nn.Sequential(conv_relu(cin, c5r, bias=bias), conv_relu(c5r, c5, 5, 1, 2, bias=bias)),
               nn.Sequential(nn.MaxPool2d(3, 1, 1), conv_relu(cin, pp, bias=bias)))


def googlenet(w=0.125, cin=1, classes=10):  # arch/googlenet.go: table 1 of Szegedy et al. 2014
    blocks = [((64, 96, 128, 16, 32, 32), False), ((128, 128, 192, 32, 96, 64), True),
              ((192, 96, 208, 16, 48, 64), False), ((160, 112, 224, 24, 64, 64), False),
              ((128, 128, 256, 24, 64, 64), False), ((112, 144, 288, 32, 64, 64), False),
              ((256, 160, 320, 32, 128, 128), True), ((256, 160, 320, 32, 128, 128), False),
              ((384, 192, 384, 48, 128, 128), False)]
    layers = [conv_relu(cin, width(64, w), 7, 2, 3), nn.MaxPool2d(3, 2, 1), conv_relu(width(64, w), width(64, w)),
              conv_relu(width(64, w), width(192, w), 3, 1, 1), nn.MaxPool2d(3, 2, 1)]
    c = width(192, w)
    for spec, pool_after in blocks:
        c1, c3r, c3, c5r, c5, pp = (width(v, w) for v in spec)
        layers.append(inception_v1(c, c1, c3r, c3, c5r, c5, pp))
        c = c1 + c3 + c5 + pp
        if pool_after:
            layers.append(nn.MaxPool2d(3, 2, 1))
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.4), nn.Linear(c, classes)]
    return nn.Sequential(*layers)


def inception_bn_block(cin, c1, c3r, c3, d3r, d3, pp, maxpool, stride2):
    s = 2 if stride2 else 1
    br = [conv_bn(cin, c1)] if c1 else []
    br.append(nn.Sequential(conv_bn(cin, c3r), conv_bn(c3r, c3, 3, s, 1)))
    br.append(nn.Sequential(conv_bn(cin, d3r), conv_bn(d3r, d3, 3, 1, 1), conv_bn(d3, d3, 3, s, 1)))
    if stride2:
        br.append(nn.MaxPool2d(3, 2, 1))
    else:
        pool = nn.MaxPool2d(3, 1, 1) if maxpool else nn.AvgPool2d(3, 1, 1)
        br.append(nn.Sequential(pool, conv_bn(cin, pp)))
    out = c1 + c3 + d3 + (cin if stride2 else pp)
    return Cat(*br), out


def inception_bn(w=0.125, cin=1, classes=10):  # arch/inception_bn.go: figure 5 of Ioffe & Szegedy 2015
    blocks = [((64, 64, 64, 64, 96, 32), False, False), ((64, 64, 96, 64, 96, 64), False, False),
              ((0, 128, 160, 64, 96, 0), False, True), ((224, 64, 96, 96, 128, 128), False, False),
              ((192, 96, 128, 96, 128, 128), False, False), ((160, 128, 160, 128, 160, 128), False, False),
              ((96, 128, 192, 160, 192, 128), False, False), ((0, 128, 192, 192, 256, 0), False, True),
              ((352, 192, 320, 160, 224, 128), False, False), ((352, 192, 320, 192, 224, 128), True, False)]
    layers = [conv_bn(cin, width(64, w), 7, 2, 3), nn.MaxPool2d(3, 2, 1), conv_bn(width(64, w), width(64, w)),
              conv_bn(width(64, w), width(192, w), 3, 1, 1), nn.MaxPool2d(3, 2, 1)]
    c = width(192, w)
    for spec, maxpool, stride2 in blocks:
        scaled = [0 if v == 0 else width(v, w) for v in spec]
        block, c = inception_bn_block(c, *scaled, maxpool, stride2)
        layers.append(block)
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, classes)]
    return nn.Sequential(*layers)


def mobilenet_v2_mnist():  # arch/mobilenet.go: torchvision's MobileNetV2 at 1/2 width, 1 input channel, stem stride 1
    net = tvm.MobileNetV2(num_classes=10, width_mult=0.5)
    conv = net.features[0][0]
    net.features[0][0] = torch.nn.Conv2d(1, conv.out_channels, 3, 1, 1, bias=False)
    return net


def lenet5():
    return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


# model: (network, input shape, classes, training step with Adam?)
MODELS = {
    "lenet5-train": (lenet5, (1, 28, 28), 10, True),
    "inception3a": (lambda: inception_v1(192, 64, 96, 128, 16, 32, 32, bias=False), (192, 28, 28), 0, False),
    "conv3x3": (lambda: conv_relu(192, 256, 3, 1, 1, bias=False), (192, 28, 28), 0, False),
    "conv5x5": (lambda: conv_relu(192, 256, 5, 1, 2, bias=False), (192, 28, 28), 0, False),
    "alexnet": (tvm.alexnet, (3, 224, 224), 1000, False),
    "vgg11": (tvm.vgg11, (3, 224, 224), 1000, False),
    "inception-v3": (lambda: tvm.inception_v3(aux_logits=False, init_weights=False), (3, 299, 299), 1000, False),
    "googlenet-mnist-train": (googlenet, (1, 96, 96), 10, True),
    "inception-bn-mnist-train": (inception_bn, (1, 64, 64), 10, True),
    "mobilenet-v2-mnist-train": (mobilenet_v2_mnist, (1, 28, 28), 10, True),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model", choices=sorted(MODELS))
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=0, help="timed steps (default: about 2 s of work, at least 3)")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    build, shape, classes, training = MODELS[a.model]
    net = build()
    net.train()
    x = torch.rand(a.batch, *shape)
    if training:
        y = torch.randint(0, classes, (a.batch,))
        opt = torch.optim.Adam(net.parameters(), 1e-3)

        def step():
            opt.zero_grad()
            F.cross_entropy(net(x), y).backward()
            opt.step()
    else:
        def step():
            net.zero_grad()
            net(x).sum().backward()
    step()  # warm-up
    n = a.steps
    if n == 0:
        t = time.perf_counter(); step(); one = time.perf_counter() - t
        n = max(3, int(2.0 / max(one, 1e-6)))
    times = []
    for _ in range(n):
        t = time.perf_counter()
        step()
        times.append(time.perf_counter() - t)
    med = statistics.median(times)
    print(json.dumps({"model": a.model, "batch": a.batch, "threads": torch.get_num_threads(), "steps": n,
                      "ms_per_step": round(med * 1000, 3), "images_per_s": round(a.batch / med, 1),
                      "params": sum(p.numel() for p in net.parameters() if p.requires_grad)}))


if __name__ == "__main__":
    main()
