#!/usr/bin/env python3
"""PyTorch side of `bench --compare=torch`: times the same shapes as ntklc.experiments.Bench.

Run by `bench --compare=torch` (which also clears OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE for this
process only), or by hand:

  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 docs/bench/torch_bench.py \
      --op=matmul --sizes=512,1024,2048 --repeats=7 --threads=2
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 docs/bench/torch_bench.py \
      --op=conv --shape=64,64,32,32,64 --repeats=5 --threads=2

The other ops of `bench --op=all --compare=torch` (one row each, median seconds; gflops is NaN
where the count depends on the data):
  --op=eigh --sizes=2000,4000   numpy.linalg.eigh (pass full) and eigvalsh (pass values) on a
                                random symmetric matrix; numpy's LAPACK threads follow --threads
                                through OPENBLAS_NUM_THREADS, which `bench` sets
  --op=e1                       one Monte-Carlo draw of E1 as the reference code computes it
                                (see e1_draw below), n = 3200, p = 784, widths 2000,2000,1000
  --op=mlp                      one training epoch of the 784-512-512-10 ReLU MLP, batch 128, Adam
                                (lr 1e-3), on 60000 synthetic samples of MNIST's shape

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


def bench_eigh(sizes, repeats, threads):
    import numpy as np
    rng = np.random.default_rng(1)
    for n in sizes:
        b = rng.uniform(-1, 1, size=(n, n))
        a = (b + b.T) / 2
        for name, fn in (("full", lambda: np.linalg.eigh(a)), ("values", lambda: np.linalg.eigvalsh(a))):
            s = median_seconds(fn, repeats, 1)
            print(f"eigh,{name},{n},{threads},{s:.6g},nan")


E1_N, E1_P, E1_WIDTHS = 3200, 784, (2000, 2000, 1000)


def e1_draw(x, widths, m0, acc):
    """One draw of the empirical conjugate kernel as the reference code computes it (its
    calculate_CK_loop): fresh bias-free Linear layers with N(0, 1) weights (nn.init.normal_),
    Σ_ℓ = (ReLU(W_ℓ Σ_{ℓ−1}) − m0_ℓ)/√d_ℓ, then Σ_L Σ_Lᵀ (samples as rows) added to a float64
    accumulator. acc is modified."""
    out = x
    d_in = x.shape[1]
    for d, m in zip(widths, m0):
        layer = torch.nn.Linear(d_in, d, bias=False)
        torch.nn.init.normal_(layer.weight)
        out = (torch.relu(layer(out)) - m) / d ** 0.5
        d_in = d
    acc += (out @ out.T).double()


def bench_e1(repeats, threads, dry=False):
    n, p_, widths = (40, 20, (30, 30, 10)) if dry else (E1_N, E1_P, E1_WIDTHS)
    g = torch.Generator().manual_seed(1)
    x = torch.randn(n, p_, generator=g)
    x = x / x.norm(dim=1, keepdim=True)          # rows of unit norm: τ0 = 1
    # Centring constants of ReLU along the τ-recursion from τ0 = 1: m0 = τ/√(2π), τ² ← E[ReLU²] − m0²
    # = τ²/2 − τ²/(2π). (Only the timing matters here; these are the values the Java side uses too.)
    m0, tau = [], 1.0
    for _ in widths:
        m0.append(tau / (2 * 3.141592653589793) ** 0.5)
        tau = (tau * tau * (0.5 - 1 / (2 * 3.141592653589793))) ** 0.5
    acc = torch.zeros(n, n, dtype=torch.float64)
    with torch.no_grad():
        s = median_seconds(lambda: e1_draw(x, widths, m0, acc), repeats, 2)
    d = (p_,) + widths
    flops = sum(2.0 * n * d[i] * d[i + 1] for i in range(3)) + 2.0 * n * n * widths[-1]
    print(f"e1,draw,{n}x{p_}x{'-'.join(map(str, widths))},{threads},{s:.6g},{flops / s / 1e9:.4g}")


def bench_mlp(repeats, threads, samples=60000):
    g = torch.Generator().manual_seed(1)
    x = torch.rand(samples, 784, generator=g)
    y = torch.randint(0, 10, (samples,), generator=g)
    model = torch.nn.Sequential(torch.nn.Linear(784, 512), torch.nn.ReLU(), torch.nn.Linear(512, 512),
                                torch.nn.ReLU(), torch.nn.Linear(512, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()

    def epoch():
        order = torch.randperm(samples, generator=g)
        for b in range(0, samples, 128):
            rows = order[b:b + 128]
            opt.zero_grad()
            loss = loss_fn(model(x[rows]), y[rows])
            loss.backward()
            opt.step()

    s = median_seconds(epoch, min(repeats, 3), 1)
    flops = 3 * 2.0 * samples * (784 * 512 + 512 * 512 + 512 * 10)
    print(f"mlp,epoch,784-512-512-10,{threads},{s:.6g},{flops / s / 1e9:.4g}")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--op", choices=["matmul", "conv", "eigh", "e1", "mlp"], default="matmul")
    p.add_argument("--sizes", default="512,1024,2048")
    p.add_argument("--shape", default="64,64,32,32,64", help="N,C,H,W,K")
    p.add_argument("--repeats", type=int, default=7)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--dry-run", action="store_true", help="e1, mlp: tiny sizes (a smoke test)")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_grad_enabled(a.op in ("conv", "mlp"))
    print("op,pass,shape,threads,median_seconds,gflops")
    if a.op == "matmul":
        bench_matmul([int(s) for s in a.sizes.split(",")], a.repeats, a.threads)
    elif a.op == "eigh":
        bench_eigh([int(s) for s in a.sizes.split(",")], a.repeats, a.threads)
    elif a.op == "e1":
        bench_e1(a.repeats, a.threads, a.dry_run)
    elif a.op == "mlp":
        bench_mlp(a.repeats, a.threads, 512 if a.dry_run else 60000)
    else:
        shape = [int(s) for s in a.shape.split(",")]
        if len(shape) != 5:
            sys.exit("--shape must be N,C,H,W,K")
        bench_conv(shape, a.repeats, a.threads)


if __name__ == "__main__":
    main()
