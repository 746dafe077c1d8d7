#!/usr/bin/python3
"""PyTorch twin of Agent.Inference.Models.UNet: same layers, same state_dict keys.

Used (1) by the test that loads a PyTorch state_dict into the C# network through TorchSharp.PyBridge and
(2) by the `inference` benchmark, which runs the same network with Debian's python3-torch on the same volume.

  unet_twin.py export OUT_DIR --dims 3 --features 8,16,32 --classes 3 [--strides "1,1,1;2,2,2;2,2,2"] [--seed 0]
      writes OUT_DIR/state_dict.pt (torch.save of the state_dict), OUT_DIR/input.f32 and OUT_DIR/output.f32
      (a random input of shape 1x1x16x16x16 (3D) or 1x1x32x32 (2D) and the network's logits, float32 little-endian)
  unet_twin.py bench WEIGHTS.pt VOLUME.f32 --shape Z,Y,X --patch Z,Y,X --overlap 0.5 --batch 2 --features ... --classes N
      sliding-window inference with Gaussian blending (as SlidingWindowPredictor), prints JSON timings
"""
import argparse
import json
import math
import sys
import time

import numpy as np
import torch
from torch import nn


class ConvNormAct(nn.Module):
    def __init__(self, dims, cin, cout, stride, slope):
        super().__init__()
        conv = nn.Conv3d if dims == 3 else nn.Conv2d
        norm = nn.InstanceNorm3d if dims == 3 else nn.InstanceNorm2d
        self.conv = conv(cin, cout, 3, stride=tuple(stride), padding=1)
        self.norm = norm(cout, eps=1e-5, affine=True)
        self.act = nn.LeakyReLU(slope)

    def forward(self, x):
        return self.act(self.norm(self.conv(x)))


class DecoderStage(nn.Module):
    def __init__(self, dims, cin, cout, stride, slope):
        super().__init__()
        up = nn.ConvTranspose3d if dims == 3 else nn.ConvTranspose2d
        one = [1] * dims
        self.up = up(cin, cout, tuple(stride), stride=tuple(stride), bias=False)
        self.blocks = nn.Sequential(ConvNormAct(dims, cout * 2, cout, one, slope), ConvNormAct(dims, cout, cout, one, slope))

    def forward(self, x, skip):
        return self.blocks(torch.cat([self.up(x), skip], 1))


class UNet(nn.Module):
    def __init__(self, dims, features, classes, strides=None, in_channels=1, slope=0.01, deep_supervision=False):
        super().__init__()
        if strides is None:
            strides = [[1] * dims] + [[2] * dims] * (len(features) - 1)
        one = [1] * dims
        conv = nn.Conv3d if dims == 3 else nn.Conv2d
        self.encoder = nn.ModuleList()
        prev = in_channels
        for s, f in enumerate(features):
            self.encoder.append(nn.Sequential(ConvNormAct(dims, prev, f, strides[s], slope), ConvNormAct(dims, f, f, one, slope)))
            prev = f
        self.decoder = nn.ModuleList(
            DecoderStage(dims, features[s + 1], features[s], strides[s + 1], slope) for s in range(len(features) - 2, -1, -1))
        self.head = conv(features[0], classes, 1)
        self.ds_heads = nn.ModuleList(conv(features[s], classes, 1) for s in range(1, len(features) - 1)) if deep_supervision else nn.ModuleList()

    def forward(self, x):
        skips = []
        for stage in self.encoder:
            x = stage(x)
            skips.append(x)
        for d, stage in enumerate(self.decoder):
            x = stage(x, skips[len(skips) - 2 - d])
        return self.head(x)


def parse_strides(text):
    return [[int(v) for v in part.split(",")] for part in text.split(";")] if text else None


def gaussian(patch):
    maps = []
    for n in patch:
        sigma, centre = n / 8.0, (n - 1) / 2.0
        g = np.ones(1) if n == 1 else np.exp(-0.5 * ((np.arange(n) - centre) / sigma) ** 2)
        maps.append(g / g.max())
    m = (maps[0][:, None, None] * maps[1][None, :, None] * maps[2][None, None, :]).astype(np.float32)
    return np.maximum(m, max(m[m > 0].min(), 1e-6))


def starts(size, patch, overlap):
    if size <= patch:
        return [0]
    step = max(1.0, patch * (1 - overlap))
    n = math.ceil((size - patch) / step) + 1
    return [round(i * (size - patch) / (n - 1)) for i in range(n)]


def bench(a):
    torch.set_num_threads(a.threads)
    shape = [int(v) for v in a.shape.split(",")]
    patch = [int(v) for v in a.patch.split(",")]
    feats = [int(v) for v in a.features.split(",")]
    net = UNet(3, feats, a.classes, parse_strides(a.strides))
    net.load_state_dict(torch.load(a.weights))
    net.eval()
    vol = torch.from_numpy(np.fromfile(a.volume, dtype=np.float32).reshape(shape))
    t0 = time.perf_counter()
    c0 = time.process_time()
    acc = torch.zeros([a.classes] + shape, dtype=torch.float32)
    wsum = torch.zeros(shape, dtype=torch.float32)
    imp = torch.from_numpy(gaussian(patch))
    origins = [(z, y, x) for z in starts(shape[0], patch[0], a.overlap) for y in starts(shape[1], patch[1], a.overlap)
               for x in starts(shape[2], patch[2], a.overlap)]
    with torch.no_grad():
        for i in range(0, len(origins), a.batch):
            chunk = origins[i:i + a.batch]
            batch = torch.stack([vol[None, z:z + patch[0], y:y + patch[1], x:x + patch[2]] for z, y, x in chunk])
            probs = torch.softmax(net(batch), 1) * imp
            for b, (z, y, x) in enumerate(chunk):
                acc[:, z:z + patch[0], y:y + patch[1], x:x + patch[2]] += probs[b]
                wsum[z:z + patch[0], y:y + patch[1], x:x + patch[2]] += imp
        acc /= wsum
        labels = acc.argmax(0).to(torch.uint8)
    seconds = time.perf_counter() - t0
    cpu_seconds = time.process_time() - c0
    # VmHWM, not ru_maxrss: the latter survives execve and would report the parent's peak for a child process.
    peak_mb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:")) / 1024
    if a.labels_out:
        labels.numpy().tofile(a.labels_out)
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds, "patches": len(origins), "peak_rss_mb": peak_mb,
                      "foreground": int((labels > 0).sum())}))


def export(a):
    torch.manual_seed(a.seed)
    feats = [int(v) for v in a.features.split(",")]
    net = UNet(a.dims, feats, a.classes, parse_strides(a.strides))
    # Perturb the affine norm parameters too, so a mix-up of weight and bias would show.
    with torch.no_grad():
        for name, p in net.named_parameters():
            if ".norm." in name:
                p.add_(torch.randn_like(p) * 0.1)
    net.eval()
    torch.save(net.state_dict(), f"{a.out}/state_dict.pt")
    shape = (1, 1, 16, 16, 16) if a.dims == 3 else (1, 1, 32, 32)
    x = torch.randn(shape)
    with torch.no_grad():
        y = net(x)
    x.numpy().astype("<f4").tofile(f"{a.out}/input.f32")
    y.numpy().astype("<f4").tofile(f"{a.out}/output.f32")


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("export")
    e.add_argument("out")
    e.add_argument("--dims", type=int, default=3)
    e.add_argument("--features", default="8,16,32")
    e.add_argument("--classes", type=int, default=3)
    e.add_argument("--strides", default="")
    e.add_argument("--seed", type=int, default=0)
    b = sub.add_parser("bench")
    b.add_argument("weights")
    b.add_argument("volume")
    b.add_argument("--shape", required=True)
    b.add_argument("--patch", required=True)
    b.add_argument("--overlap", type=float, default=0.5)
    b.add_argument("--batch", type=int, default=2)
    b.add_argument("--features", required=True)
    b.add_argument("--classes", type=int, required=True)
    b.add_argument("--strides", default="")
    b.add_argument("--threads", type=int, default=2)
    b.add_argument("--labels-out", default="")
    a = p.parse_args()
    export(a) if a.cmd == "export" else bench(a)
    return 0


if __name__ == "__main__":
    sys.exit(main())
