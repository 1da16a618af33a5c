# Golden Gaussian moments of tanh and sigmoid (no closed form) for ActivationMomentsTest.
# mpmath quad at 30 digits, split at 0 and ±3. Run: python3 golden_moments.py
import mpmath as mp
mp.mp.dps = 30
t = mp.mpf('1.7')
def E(g):
    return mp.quad(lambda x: g(x) * mp.npdf(x), [-mp.inf, -3, 0, 3, mp.inf])
for name, s, ds in [("tanh", mp.tanh, lambda u: 1 / mp.cosh(u) ** 2),
                    ("sigmoid", lambda u: 1 / (1 + mp.exp(-u)), lambda u: mp.exp(-u) / (1 + mp.exp(-u)) ** 2)]:
    m0 = E(lambda x: s(t * x))
    m1 = E(lambda x: x * s(t * x)) / t
    m2 = E(lambda x: (x * x - 1) * s(t * x)) / t ** 2
    v = E(lambda x: (s(t * x) - m0) ** 2)
    m3 = E(lambda x: (x * x - 1) * (s(t * x) - m0) ** 2) / t ** 2
    q = E(lambda x: ds(t * x) ** 2)
    print(name, "tau=1.7", *[mp.nstr(z, 17) for z in (m0, m1, m2, m3, v, q)])
