#!/usr/bin/env python3
"""The PyTorch side of the benchmark: the same CIFAR ResNet (3x3 stem, three stages of basic blocks,
1x1-conv + BN projection shortcuts, global average pool, linear), synthetic 32x32 images, SGD with
momentum, warm-up steps then timed steps. Prints one JSON line. Run in its own process so that the
peak resident memory is its own.

  python3 bench/torch_resnet.py --model resnet20 --batch 128 --warmup 3 --steps 10 --channels-last [--bf16]

--bf16 runs forward and loss under torch.autocast('cpu', dtype=torch.bfloat16), as a PyTorch user on a
CPU with AVX512-BF16 would: convolutions and matmuls in bf16, weights and optimizer in fp32.
"""
import contextlib
import argparse
import json
import os
import resource
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class BasicBlock(nn.Module):
    def __init__(self, in_planes, planes, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = nn.Sequential()
        if stride != 1 or in_planes != planes:
            self.shortcut = nn.Sequential(nn.Conv2d(in_planes, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


class ResNetCifar(nn.Module):
    def __init__(self, depth, num_classes=10):
        super().__init__()
        n = (depth - 2) // 6
        self.conv1 = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        layers, in_planes = [], 16
        for stage, planes in enumerate([16, 32, 64]):
            for block in range(n):
                layers.append(BasicBlock(in_planes, planes, 2 if stage > 0 and block == 0 else 1))
                in_planes = planes
        self.layers = nn.Sequential(*layers)
        self.fc = nn.Linear(64, num_classes)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = self.layers(x)
        x = F.adaptive_avg_pool2d(x, 1).flatten(1)
        return self.fc(x)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="resnet20")
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--channels-last", action="store_true")
    parser.add_argument("--bf16", action="store_true")
    args = parser.parse_args()

    torch.set_num_threads(os.cpu_count() or 1)
    torch.manual_seed(7)
    depth = int(args.model.replace("resnet", ""))
    fmt = torch.channels_last if args.channels_last else torch.contiguous_format
    model = ResNetCifar(depth).to(memory_format=fmt)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    xs = torch.randn(args.batch, 3, 32, 32).to(memory_format=fmt)
    ys = torch.randint(0, 10, (args.batch,))

    def autocast():
        return torch.autocast("cpu", dtype=torch.bfloat16) if args.bf16 else contextlib.nullcontext()

    def step():
        optimizer.zero_grad(set_to_none=True)
        with autocast():
            loss = F.cross_entropy(model(xs), ys)
        loss.backward()
        optimizer.step()
        return loss.item()

    model.train()
    for _ in range(args.warmup):
        step()
    start = time.perf_counter()
    for _ in range(args.steps):
        loss = step()
    seconds = time.perf_counter() - start
    print(json.dumps({
        "model": args.model,
        "backend": "pytorch-" + torch.__version__ + (" channels-last" if args.channels_last else " NCHW") + (" bf16 autocast" if args.bf16 else ""),
        "batch": args.batch,
        "steps": args.steps,
        "seconds": seconds,
        "imagesPerSecond": args.batch * args.steps / seconds,
        "threads": torch.get_num_threads(),
        "loss": loss,
        "peakRssMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


if __name__ == "__main__":
    main()
