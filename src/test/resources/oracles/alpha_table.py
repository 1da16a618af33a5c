"""The alpha recursion of Theorem 1 (docs/theory.md §4.1) for three identical layers, printed at layer 3.

Regenerates the reference table of docs/theory.md §4.3 that CoefficientsTest checks, from moments
computed by numerical integration (gaussian_moments.py), not from the Java closed forms:

    python3 src/test/resources/oracles/alpha_table.py

Recursion, with D1 = m1^2, D2 = m2^2, D3 = m3 of layer l at tau_{l-1}:
    tau_l = sqrt(v(tau_{l-1})),   alpha_0 = (1, 0, 0, 1)
    a1 <- D1 a1;  a2 <- D1 a2 + D2 a4^2 / 4;  a3 <- D1 a3 + D2 a1^2 / 2;  a4 <- D3 a4 / 2
(all right-hand sides use the previous layer's values).
"""
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gaussian_moments import ACTIVATIONS, moments  # noqa: E402


def alphas(name, tau0, layers=3):
    s, kinks = ACTIVATIONS[name]
    tau, a1, a2, a3, a4 = tau0, 1.0, 0.0, 0.0, 1.0
    for _ in range(layers):
        m0, m1, m2, m3, v = moments(s, tau, kinks)
        d1, d2, d3 = m1 * m1, m2 * m2, m3
        a1, a2, a3, a4 = d1 * a1, d1 * a2 + 0.25 * d2 * a4 * a4, d1 * a3 + 0.5 * d2 * a1 * a1, 0.5 * d3 * a4
        tau = math.sqrt(v)
    return a1, a2, a3, tau


if __name__ == "__main__":
    print("activation, tau0, alpha1, alpha2, alpha3, tau3")
    for name, tau0 in [("relu", 1.0021), ("relu", 1.0693), ("sin", 1.0021), ("erf", 1.0693),
                       ("cos", 1.0693), ("abs", 1.0693), ("sign", 1.0693), ("linear", 1.0693),
                       ("relu", 1.0), ("plinear:-1:0.1", 1.0021), ("plinear:-1:0.1", 1.0693),
                       ("step", 1.0021), ("step", 1.0693), ("sigmoid", 1.0021), ("sigmoid", 1.0693),
                       ("sin", 1.0693), ("erf", 1.0021), ("cos", 1.0021), ("abs", 1.0021),
                       ("linear", 1.0021)]:
        a1, a2, a3, t = alphas(name, tau0)
        print("%s, %.4f, %.6f, %.6f, %.6f, %.6f" % (name, tau0, a1, a2, a3, t))
