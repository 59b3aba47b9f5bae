#!/usr/bin/env python3
"""Reference parameter and MAC counts from PyTorch, for arch's tests.

  apt-get install -y python3-torch python3-torchvision
  /usr/bin/python3 testdata/reference/torch_counts.py > testdata/reference/counts.json

torchvision's own definitions are used where torchvision has the network (alexnet, vgg*, inception_v3);
the others are written here from their papers and from d2l, independently of the Go code, so that the two
transcriptions check each other. params = sum of p.numel() over trainable parameters; non_trainable = the
batch-norm running statistics; macs = multiply-accumulates of Conv2d and Linear layers for one image.
"""
import json
import torch
import torch.nn as nn
import torchvision.models as tvm


def count(model, shape):
    macs = 0

    def conv_hook(m, inp, out):
        nonlocal macs
        kh, kw = m.kernel_size
        macs += out.numel() // out.shape[0] * (m.in_channels // m.groups) * kh * kw

    def linear_hook(m, inp, out):
        nonlocal macs
        macs += m.in_features * m.out_features

    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            m.register_forward_hook(conv_hook)
        elif isinstance(m, nn.Linear):
            m.register_forward_hook(linear_hook)
    model.eval()
    with torch.no_grad():
        model(torch.zeros(1, *shape))
    params = sum(p.numel() for p in model.parameters() if p.requires_grad)
    fixed = sum(b.numel() for n, b in model.named_buffers() if n.endswith(("running_mean", "running_var")))
    return {"params": params, "non_trainable": fixed, "macs": macs}


def relu_conv(cin, cout, k, s=1, p=0, groups=1):
    return [nn.Conv2d(cin, cout, k, s, p, groups=groups), nn.ReLU()]


def lenet5():  # d2l 7.6
    return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.Sigmoid(), nn.AvgPool2d(2, 2), nn.Conv2d(6, 16, 5), nn.Sigmoid(),
                         nn.AvgPool2d(2, 2), nn.Flatten(), nn.Linear(400, 120), nn.Sigmoid(), nn.Linear(120, 84), nn.Sigmoid(),
                         nn.Linear(84, 10))


def lenet5_bn():  # d2l 8.5's BN LeNet, with the lecture's padding 2 on C1
    return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.BatchNorm2d(6), nn.Sigmoid(), nn.AvgPool2d(2, 2),
                         nn.Conv2d(6, 16, 5), nn.BatchNorm2d(16), nn.Sigmoid(), nn.AvgPool2d(2, 2), nn.Flatten(),
                         nn.Linear(400, 120), nn.BatchNorm1d(120), nn.Sigmoid(), nn.Linear(120, 84), nn.BatchNorm1d(84),
                         nn.Sigmoid(), nn.Linear(84, 10))


def alexnet_d2l(classes=1000):  # d2l 7.1, with 3 input channels
    return nn.Sequential(*relu_conv(3, 96, 11, 4, 1), nn.MaxPool2d(3, 2), *relu_conv(96, 256, 5, 1, 2), nn.MaxPool2d(3, 2),
                         *relu_conv(256, 384, 3, 1, 1), *relu_conv(384, 384, 3, 1, 1), *relu_conv(384, 256, 3, 1, 1),
                         nn.MaxPool2d(3, 2), nn.Flatten(), nn.Linear(6400, 4096), nn.ReLU(), nn.Dropout(0.5),
                         nn.Linear(4096, 4096), nn.ReLU(), nn.Dropout(0.5), nn.Linear(4096, classes))


def alexnet_2gpu(classes=1000):  # Krizhevsky et al. 2012, two columns as groups, at 227x227
    return nn.Sequential(*relu_conv(3, 96, 11, 4), nn.MaxPool2d(3, 2), *relu_conv(96, 256, 5, 1, 2, 2), nn.MaxPool2d(3, 2),
                         *relu_conv(256, 384, 3, 1, 1), *relu_conv(384, 384, 3, 1, 1, 2), *relu_conv(384, 256, 3, 1, 1, 2),
                         nn.MaxPool2d(3, 2), nn.Flatten(), nn.Linear(9216, 4096), nn.ReLU(), nn.Dropout(0.5),
                         nn.Linear(4096, 4096), nn.ReLU(), nn.Dropout(0.5), nn.Linear(4096, classes))


def nin(classes=1000):  # d2l 8.3, with 3 input channels
    def block(cin, cout, k, s, p):
        return [*relu_conv(cin, cout, k, s, p), *relu_conv(cout, cout, 1), *relu_conv(cout, cout, 1)]
    return nn.Sequential(*block(3, 96, 11, 4, 0), nn.MaxPool2d(3, 2), *block(96, 256, 5, 1, 2), nn.MaxPool2d(3, 2),
                         *block(256, 384, 3, 1, 1), nn.MaxPool2d(3, 2), nn.Dropout(0.5), *block(384, classes, 3, 1, 1),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten())


class Cat(nn.Module):
    def __init__(self, *branches):
        super().__init__()
        self.branches = nn.ModuleList(branches)

    def forward(self, x):
        return torch.cat([b(x) for b in self.branches], 1)


def googlenet_paper(classes=1000):  # Szegedy et al. 2014, table 1: real 5x5, biases, no BN
    def inc(cin, c1, c3r, c3, c5r, c5, pp):
        return Cat(nn.Sequential(*relu_conv(cin, c1, 1)),
                   nn.Sequential(*relu_conv(cin, c3r, 1), *relu_conv(c3r, c3, 3, 1, 1)),
                   nn.Sequential(*relu_conv(cin, c5r, 1), *relu_conv(c5r, c5, 5, 1, 2)),
                   nn.Sequential(nn.MaxPool2d(3, 1, 1), *relu_conv(cin, pp, 1)))
    pool = lambda: nn.MaxPool2d(3, 2, ceil_mode=True)
    return nn.Sequential(*relu_conv(3, 64, 7, 2, 3), pool(), *relu_conv(64, 64, 1), *relu_conv(64, 192, 3, 1, 1), pool(),
                         inc(192, 64, 96, 128, 16, 32, 32), inc(256, 128, 128, 192, 32, 96, 64), pool(),
                         inc(480, 192, 96, 208, 16, 48, 64), inc(512, 160, 112, 224, 24, 64, 64),
                         inc(512, 128, 128, 256, 24, 64, 64), inc(512, 112, 144, 288, 32, 64, 64),
                         inc(528, 256, 160, 320, 32, 128, 128), pool(),
                         inc(832, 256, 160, 320, 32, 128, 128), inc(832, 384, 192, 384, 48, 128, 128),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.4), nn.Linear(1024, classes))


def bn_conv(cin, cout, k=1, s=1, p=0):
    return nn.Sequential(nn.Conv2d(cin, cout, k, s, p, bias=False), nn.BatchNorm2d(cout), nn.ReLU())


def inception_bn(classes=1000):  # Ioffe & Szegedy 2015, figure 5
    def inc(cin, c1, c3r, c3, d3r, d3, pool, pp, stride2=False):
        s = 2 if stride2 else 1
        br = []
        if c1:
            br.append(bn_conv(cin, c1))
        br.append(nn.Sequential(bn_conv(cin, c3r), bn_conv(c3r, c3, 3, s, 1)))
        br.append(nn.Sequential(bn_conv(cin, d3r), bn_conv(d3r, d3, 3, 1, 1), bn_conv(d3, d3, 3, s, 1)))
        if stride2:
            br.append(nn.MaxPool2d(3, 2, 1))
        else:
            p = nn.MaxPool2d(3, 1, 1) if pool == "max" else nn.AvgPool2d(3, 1, 1)
            br.append(nn.Sequential(p, bn_conv(cin, pp)))
        return Cat(*br)
    return nn.Sequential(bn_conv(3, 64, 7, 2, 3), nn.MaxPool2d(3, 2, 1), bn_conv(64, 64), bn_conv(64, 192, 3, 1, 1),
                         nn.MaxPool2d(3, 2, 1),
                         inc(192, 64, 64, 64, 64, 96, "avg", 32), inc(256, 64, 64, 96, 64, 96, "avg", 64),
                         inc(320, 0, 128, 160, 64, 96, "max", 0, True),
                         inc(576, 224, 64, 96, 96, 128, "avg", 128), inc(576, 192, 96, 128, 96, 128, "avg", 128),
                         inc(576, 160, 128, 160, 128, 160, "avg", 128), inc(608, 96, 128, 192, 160, 192, "avg", 128),
                         inc(608, 0, 128, 192, 192, 256, "max", 0, True),
                         inc(1056, 352, 192, 320, 160, 224, "avg", 128), inc(1024, 352, 192, 320, 192, 224, "max", 128),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(1024, classes))


def vgg_mnist(cfg, batch_norm, width=0.125, classes=10):  # convnets' MNIST preset: no adaptive pooling, 1 input channel
    scaled = [c if c == "M" else int(c * width) for c in cfg]
    features = tvm.vgg.make_layers(scaled, batch_norm)
    features[0] = nn.Conv2d(1, scaled[0], 3, padding=1)
    flat = [c for c in scaled if c != "M"][-1]
    hidden = int(4096 * width)
    return nn.Sequential(features, nn.Flatten(), nn.Linear(flat, hidden), nn.ReLU(), nn.Dropout(0.5),
                         nn.Linear(hidden, hidden), nn.ReLU(), nn.Dropout(0.5), nn.Linear(hidden, classes))


def main():
    imagenet = (3, 224, 224)
    out = {
        "lenet5": count(lenet5(), (1, 28, 28)),
        "lenet5-bn": count(lenet5_bn(), (1, 28, 28)),
        "alexnet": count(tvm.alexnet(), imagenet),
        "alexnet-d2l": count(alexnet_d2l(), imagenet),
        "alexnet-2gpu": count(alexnet_2gpu(), (3, 227, 227)),
        "nin": count(nin(), imagenet),
        "googlenet": count(googlenet_paper(), imagenet),
        "inception-bn": count(inception_bn(), imagenet),
        "inception-v3": count(tvm.inception_v3(aux_logits=False, init_weights=False), (3, 299, 299)),
    }
    for name in ["vgg11", "vgg13", "vgg16", "vgg19"]:
        out[name] = count(getattr(tvm, name)(), imagenet)
        out[name + "-bn"] = count(getattr(tvm, name + "_bn")(), imagenet)
    for name, fn in [("resnet18", tvm.resnet18), ("resnet34", tvm.resnet34), ("resnet50", tvm.resnet50),
                     ("mobilenet-v2", tvm.mobilenet_v2), ("mobilenet-v3-small", tvm.mobilenet_v3_small)]:
        out[name] = count(fn(), imagenet)
    vgg11 = tvm.vgg.cfgs["A"]
    out["vgg11-mnist"] = count(vgg_mnist(vgg11, False), (1, 32, 32))
    out["vgg11-bn-mnist"] = count(vgg_mnist(vgg11, True), (1, 32, 32))
    print(json.dumps(out, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
