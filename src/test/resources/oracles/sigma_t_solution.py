"""Reference solutions of the NTK-LC hidden-layer system for ReLU (docs/theory.md §6.3, §6.5).

Finds (s1, s2, a) of the two-threshold activation sigma_T(u) = a (1{u < s1} + 1{u > s2}) whose
Gaussian moments at scale tau match ReLU's, i.e. m1^2 = D1, m2^2 = D2, m3 = D3 (three equations,
three unknowns), and prints the solution, the residual F, the new scale tau' = sqrt(v) and m0.
Moments come from plain Simpson quadrature (gaussian_moments.py), not from the Java closed forms;
the solver is a damped Gauss-Newton (Levenberg-Marquardt) iteration with a finite-difference Jacobian
from a small grid of starting points. Python 3 standard library only:

    python3 src/test/resources/oracles/sigma_t_solution.py [tau ...]     (default: 1 1.2 0.8 1.106)

Solutions come in mirror pairs: (s1, s2, a) and (-s2, -s1, a) have the same moments up to the sign
of m1 (which only enters squared), and a -> -a flips m1 and m2 but not D1, D2, D3; the script prints
the one it lands on.
"""
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gaussian_moments import ACTIVATIONS, moments  # noqa: E402


def sigma_t(s1, s2, a):
    return lambda u: a * ((1.0 if u < s1 else 0.0) + (1.0 if u > s2 else 0.0))


def residual(x, tau, target):
    s1, s2, a = x
    if s2 < s1:
        return [1e3, 1e3, 1e3]
    m0, m1, m2, m3, v = moments(sigma_t(s1, s2, a), tau, (s1, s2))
    return [m1 * m1 - target[0], m2 * m2 - target[1], m3 - target[2]]


def solve3(jac, r):
    """Solves the 3x3 system jac * d = r by Gaussian elimination with partial pivoting."""
    m = [row[:] + [r[i]] for i, row in enumerate(jac)]
    for c in range(3):
        p = max(range(c, 3), key=lambda i: abs(m[i][c]))
        m[c], m[p] = m[p], m[c]
        for i in range(c + 1, 3):
            f = m[i][c] / m[c][c]
            for j in range(c, 4):
                m[i][j] -= f * m[c][j]
    d = [0.0] * 3
    for i in (2, 1, 0):
        d[i] = (m[i][3] - sum(m[i][j] * d[j] for j in range(i + 1, 3))) / m[i][i]
    return d


def lm(x, tau, target, iterations=60):
    r = residual(x, tau, target)
    f = sum(e * e for e in r)
    lam = 1e-3
    for _ in range(iterations):
        h = 1e-7
        cols = []
        for k in range(3):
            y = x[:]
            y[k] += h
            ry = residual(y, tau, target)
            cols.append([(ry[i] - r[i]) / h for i in range(3)])
        jac = [[cols[k][i] for k in range(3)] for i in range(3)]
        jtj = [[sum(jac[i][a] * jac[i][b] for i in range(3)) + (lam if a == b else 0.0) for b in range(3)]
               for a in range(3)]
        jtr = [-sum(jac[i][a] * r[i] for i in range(3)) for a in range(3)]
        try:
            d = solve3(jtj, jtr)
        except ZeroDivisionError:
            break
        y = [x[k] + d[k] for k in range(3)]
        ry = residual(y, tau, target)
        fy = sum(e * e for e in ry)
        if fy < f:
            x, r, f, lam = y, ry, fy, lam / 10
            if f < 1e-26:
                break
        else:
            lam *= 10
    return x, f


def solve(tau):
    relu, kinks = ACTIVATIONS["relu"]
    _, m1, m2, m3, _ = moments(relu, tau, kinks)
    target = (m1 * m1, m2 * m2, m3)
    best = None
    starts = [(s1, width, a) for s1 in (0.5, 1.0, -2.0, -1.0) for width in (1.5, 0.5) for a in (2.5, 1.5)]
    for s1, width, a in starts:
        x, f = lm([s1 * tau, (s1 + width) * tau, a * tau], tau, target)
        if best is None or f < best[1]:
            best = (x, f)
        if f < 1e-24:
            break
    x, f = best
    m0, _, _, _, v = moments(sigma_t(*x), tau, (x[0], x[1]))
    return x, f, math.sqrt(v), m0, target


if __name__ == "__main__":
    taus = [float(t) for t in sys.argv[1:]] or [1.0, 1.2, 0.8, 1.106]
    print("tau, s1, s2, a, F, tau_prime, m0, D1, D2, D3")
    for tau in taus:
        x, f, tp, m0, t = solve(tau)
        print("%g, %.6f, %.6f, %.6f, %.1e, %.6f, %.6f, %.6f, %.6f, %.6f" % ((tau,) + tuple(x) + (f, tp, m0) + t))
