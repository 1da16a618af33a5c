"""Relative errors of the equivalents K~_CK and K~_NTK on exact ReLU kernels (docs/theory.md §4.3, §5.3).

A second implementation (NumPy) of the check EquivalentsTest makes: GMM `var` (K = 2 balanced
classes, x_i = z_i/sqrt(p), z_i ~ N(0, (1 + 8a/sqrt(p)) I_p)), three centred ReLU layers, the exact
infinite-width CK and NTK by the arc-cosine recursion (docs/theory.md §2.2), the equivalents with
v_i = ||x_i||^2 - tau0^2 (docs/theory.md §4.2, §5.1), and ||K - K~|| / ||K|| in operator norm.

    python3 src/test/resources/oracles/equivalent_errors.py [n=p ...]   (default: 200 400 800)

Prints, per size and seed, the CK error with the code's identity coefficient c = tau_L^2 - tau0^2 a1,
with the paper's (c - tau0^4 a3), and the NTK error (recommended beta/kappa recursion). One data
draw moves the CK errors by a few 1e-3 and the NTK error by about 0.01.
"""
import math
import sys

import numpy as np

INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


def relu_coefficients(tau0, layers):
    """tau_L, alpha_L (1..3), beta_L (1..3), kappa_L^2 of a ReLU chain, from the closed-form moments
    m1 = 1/2, m2 = 1/(sqrt(2 pi) tau), m3 = 1 - 1/pi, v = tau^2 (1/2 - 1/(2 pi)), q = 1/2."""
    tau, a, b, k2 = tau0, [1.0, 0.0, 0.0, 1.0], [1.0, 0.0, 0.0], tau0 * tau0
    for _ in range(layers):
        d1, d2, d3 = 0.25, (INV_SQRT_2PI / tau) ** 2, 1 - 1 / math.pi
        na = [d1 * a[0], d1 * a[1] + 0.25 * d2 * a[3] ** 2, d1 * a[2] + 0.5 * d2 * a[0] ** 2, 0.5 * d3 * a[3]]
        nb = [na[0] + d1 * b[0], na[1] + d1 * b[1], na[2] + d1 * b[2] + d2 * a[0] * b[0]]
        tau = tau * math.sqrt(0.5 - 0.5 / math.pi)
        k2 = tau * tau + k2 * 0.5
        a, b = na, nb
    return tau, a, b, k2


def exact_kernels(gram, tau0, layers):
    """Exact CK and NTK of centred ReLU layers: E[s(u)s(v)] - m0 (E s(u) + E s(v)) + m0^2 with
    E[relu(u)relu(v)] = sqrt(k_ii k_jj) (sin t + (pi - t) cos t) / (2 pi), E relu(u) = sqrt(k_ii/(2 pi)),
    m0 = tau_{l-1}/sqrt(2 pi), and K' = (pi - t)/(2 pi), t the angle between u and v."""
    ck, ntk, tau = gram.copy(), gram.copy(), tau0
    for _ in range(layers):
        d = np.sqrt(np.diag(ck))
        cos = np.clip(ck / np.outer(d, d), -1.0, 1.0)
        t = np.arccos(cos)
        m0 = tau * INV_SQRT_2PI
        mean = d * INV_SQRT_2PI
        new = np.outer(d, d) * (np.sin(t) + (math.pi - t) * cos) / (2 * math.pi)
        new = new - m0 * (mean[:, None] + mean[None, :]) + m0 * m0
        deriv = (math.pi - t) / (2 * math.pi)
        ntk = new + ntk * deriv
        ck = new
        tau = tau * math.sqrt(0.5 - 0.5 / math.pi)
    return ck, ntk


def rel_error(k, kt):
    return np.linalg.norm(k - kt, 2) / np.linalg.norm(k, 2)


def errors(n, p, seed, layers=3):
    rng = np.random.default_rng(seed)
    labels = np.repeat([0, 1], [n // 2, n - n // 2])
    trace = 1 + 8 * np.array([0.0, 1.0]) / math.sqrt(p)
    x = rng.standard_normal((n, p)) * np.sqrt(trace[labels])[:, None] / math.sqrt(p)
    gram = x @ x.T
    norms = np.einsum("ij,ij->i", x, x)
    tau0 = math.sqrt(norms.mean())
    v = norms - tau0 ** 2
    jtj = np.outer(trace, trace)[labels][:, labels] / p
    ck, ntk = exact_kernels(gram, tau0, layers)
    tau, a, b, k2 = relu_coefficients(tau0, layers)
    base = a[0] * gram + a[1] * np.outer(v, v) + a[2] * jtj
    c = tau * tau - tau0 ** 2 * a[0]
    eye = np.eye(n)
    ck_code = rel_error(ck, base + c * eye)
    ck_paper = rel_error(ck, base + (c - tau0 ** 4 * a[2]) * eye)
    ntk_t = b[0] * gram + b[1] * np.outer(v, v) + b[2] * jtj + (k2 - tau0 ** 2 * b[0]) * eye
    return ck_code, ck_paper, rel_error(ntk, ntk_t)


if __name__ == "__main__":
    sizes = [int(s) for s in sys.argv[1:]] or [200, 400, 800]
    print("n=p, seed, ck_code_identity, ck_paper_identity, ntk")
    for n in sizes:
        for seed in range(4):
            e = errors(n, n, seed)
            print("%d, %d, %.4f, %.4f, %.4f" % ((n, seed) + e))
