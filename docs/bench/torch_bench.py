#!/usr/bin/env python3
"""PyTorch side of `bench --compare=torch`: times the same shapes as ntklc.experiments.Bench.

Run by `bench --compare=torch` (which also clears OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE for this
process only), or by hand:

  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 docs/bench/torch_bench.py \
      --op=matmul --sizes=512,1024,2048 --repeats=7 --threads=2
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 docs/bench/torch_bench.py \
      --op=conv --shape=64,64,32,32,64 --repeats=5 --threads=2

Needs Debian's python3-torch with libopenblas0-pthread (without it torch falls back to a reference
BLAS at ~3 GFLOP/s on one thread). Prints one CSV row per timing, with a header:
op,pass,shape,threads,median_seconds,gflops — the same columns the Java bench writes.
Timings are medians over --repeats runs after warm-up; GFLOP/s = flops / median seconds / 1e9 with
flops = 2·n³ (matmul) or 2·N·K·C·9·H·W per convolution pass (forward, backward data, backward
weights; "all" = the three together).
"""
import argparse
import statistics
import sys
import time

import torch
import torch.nn.functional as F


def median_seconds(fn, repeats, warmup):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def bench_matmul(sizes, repeats, threads):
    g = torch.Generator().manual_seed(1)
    for n in sizes:
        a = torch.rand(n, n, generator=g) * 2 - 1
        b = torch.rand(n, n, generator=g) * 2 - 1
        flops = 2.0 * n ** 3
        s = median_seconds(lambda: torch.mm(a, b), repeats, max(2, min(20, int(2e9 / flops))))
        print(f"matmul,forward,{n},{threads},{s:.6g},{flops / s / 1e9:.4g}")


def bench_conv(shape, repeats, threads):
    n, c, h, w, k = shape
    g = torch.Generator().manual_seed(1)
    x = torch.rand(n, c, h, w, generator=g) * 2 - 1
    wt = torch.rand(k, c, 3, 3, generator=g) * 2 - 1
    dy = torch.rand(n, k, h, w, generator=g) * 2 - 1
    flops = 2.0 * n * k * c * 9 * h * w
    label = f"{n}x{c}x{h}x{w}x{k}"
    grad_input = torch.nn.grad.conv2d_input
    grad_weight = torch.nn.grad.conv2d_weight
    passes = {
        "forward": lambda: F.conv2d(x, wt, padding=1),
        "backward_data": lambda: grad_input(x.shape, wt, dy, padding=1),
        "backward_weights": lambda: grad_weight(x, wt.shape, dy, padding=1),
    }
    total = 0.0
    for name, fn in passes.items():
        s = median_seconds(fn, repeats, 2)
        total += s
        print(f"conv,{name},{label},{threads},{s:.6g},{flops / s / 1e9:.4g}")

    # All three passes through autograd, as in a training step.
    xr = x.clone().requires_grad_(True)
    wr = wt.clone().requires_grad_(True)

    def step():
        y = F.conv2d(xr, wr, padding=1)
        y.backward(dy)

    s = median_seconds(step, repeats, 2)
    print(f"conv,all,{label},{threads},{s:.6g},{3 * flops / s / 1e9:.4g}")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--op", choices=["matmul", "conv"], default="matmul")
    p.add_argument("--sizes", default="512,1024,2048")
    p.add_argument("--shape", default="64,64,32,32,64", help="N,C,H,W,K")
    p.add_argument("--repeats", type=int, default=7)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_grad_enabled(a.op == "conv")
    print("op,pass,shape,threads,median_seconds,gflops")
    if a.op == "matmul":
        bench_matmul([int(s) for s in a.sizes.split(",")], a.repeats, a.threads)
    else:
        shape = [int(s) for s in a.shape.split(",")]
        if len(shape) != 5:
            sys.exit("--shape must be N,C,H,W,K")
        bench_conv(shape, a.repeats, a.threads)


if __name__ == "__main__":
    main()
