"""Gaussian moments of an activation by plain numerical integration (Python 3 standard library only).

A second implementation, independent of the Java closed forms, of the moments of docs/theory.md §3.1:
for xi ~ N(0, 1) and a scale tau > 0,

    m0 = E[s(tau xi)]                     m1 = E[xi s(tau xi)] / tau
    m2 = E[(xi^2 - 1) s(tau xi)] / tau^2  m3 = E[(xi^2 - 1)(s(tau xi) - m0)^2] / tau^2
    v  = E[(s(tau xi) - m0)^2]

(Gaussian integration by parts, so steps need no derivative). Each expectation is a composite
Simpson rule on [-12, 12] in the variable xi, split at the points where s(tau xi) has a kink or a
jump, so every piece is smooth; 4000 intervals per piece give about 1e-12 relative accuracy.
"""
import math

PHI0 = 1.0 / math.sqrt(2.0 * math.pi)


def _simpson(f, a, b, n=4000):
    # the end points are nudged inwards by 1e-13 so a jump at a break point takes its one-sided limit
    h = (b - a) / n
    s = f(a + 1e-13) + f(b - 1e-13)
    for i in range(1, n):
        s += (4 if i % 2 else 2) * f(a + i * h)
    return s * h / 3.0


def expect(g, breaks=()):
    """E[g(xi)], xi ~ N(0, 1); breaks: points (in xi) where g is not smooth."""
    pts = [-12.0] + sorted(b for b in breaks if -12.0 < b < 12.0) + [12.0]
    dens = lambda x: g(x) * PHI0 * math.exp(-0.5 * x * x)
    return sum(_simpson(dens, pts[i], pts[i + 1]) for i in range(len(pts) - 1))


def moments(s, tau, kinks=()):
    """(m0, m1, m2, m3, v) of s at scale tau; kinks: points (in u = tau xi) where s is not smooth."""
    br = [k / tau for k in kinks]
    m0 = expect(lambda x: s(tau * x), br)
    m1 = expect(lambda x: x * s(tau * x), br) / tau
    m2 = expect(lambda x: (x * x - 1) * s(tau * x), br) / tau ** 2
    m3 = expect(lambda x: (x * x - 1) * (s(tau * x) - m0) ** 2, br) / tau ** 2
    v = expect(lambda x: (s(tau * x) - m0) ** 2, br)
    return m0, m1, m2, m3, v


# The activations of the paper's Tables 1-2 (App. B) with the points where they are not smooth.
ACTIVATIONS = {
    "relu": (lambda u: max(u, 0.0), (0.0,)),
    "abs": (abs, (0.0,)),
    "sign": (lambda u: 1.0 if u > 0 else (-1.0 if u < 0 else 0.0), (0.0,)),
    "step": (lambda u: 1.0 if u >= 0 else 0.0, (0.0,)),
    "plinear:-1:0.1": (lambda u: 0.1 * max(u, 0.0) + max(-u, 0.0), (0.0,)),
    "sin": (math.sin, ()),
    "cos": (math.cos, ()),
    "erf": (math.erf, ()),
    "sigmoid": (lambda u: 1.0 / (1.0 + math.exp(-u)), ()),
    "linear": (lambda u: u, ()),
}
