package ntklc.activation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import ntklc.special.GaussHermite;

/**
 * Closed-form Gaussian moments against the quadrature path for every activation, the reference
 * values of docs/theory.md §4.3 and §6.5, and the {0, b} identity of docs/theory.md §3.2.
 */
class ActivationMomentsTest {
    /** Every family and spelling, with awkward parameters (negative levels, asymmetric thresholds). */
    static final List<String> ALL = List.of("relu", "abs", "linear", "lrelu:0.1", "plinear:-1:0.1",
            "poly:0.3:-0.7:0.2", "sign", "step", "binary-zero:0.99953:2.21253:2.40874", "binary-zero:-1.2:0.4:-1.5",
            "binary-last:-2:-0.5:0.7:1.9:1.3:-0.8", "sin", "cos", "erf", "tanh", "sigmoid");

    static final double[] TAUS = {0.3, 1.0, 1.7};

    private static void assertClose(double want, double got, double tol, String what) {
        if (Double.isNaN(want)) {
            assertTrue(Double.isNaN(got), what + ": expected NaN, got " + got);
            return;
        }
        assertTrue(Math.abs(want - got) <= tol * Math.max(1.0, Math.abs(want)),
                what + ": expected " + want + ", got " + got + " (diff " + Math.abs(want - got) + ")");
    }

    private static void assertMoments(Moments want, Moments got, double tol, String what) {
        assertClose(want.m0(), got.m0(), tol, what + " m0");
        assertClose(want.m1(), got.m1(), tol, what + " m1");
        assertClose(want.m2(), got.m2(), tol, what + " m2");
        assertClose(want.m3(), got.m3(), tol, what + " m3");
        assertClose(want.v(), got.v(), tol, what + " v");
        assertClose(want.q(), got.q(), tol, what + " q");
    }

    @Test
    void closedFormsAgreeWithPiecewiseQuadrature() {
        // Oracle: adaptive Gauss–Kronrod with break points on the integration-by-parts forms (docs/theory.md §3.1),
        // tolerance 1e−12 per expectation; 1e−9 leaves room for the /τ² of m2, m3 at τ = 0.3.
        for (String spec : ALL) {
            Activation a = Activations.parse(spec);
            for (double tau : TAUS) {
                assertMoments(a.momentsByQuadrature(tau), a.moments(tau), 1e-9, spec + " at tau=" + tau);
            }
        }
    }

    /** The six moments by a 200-node Gauss–Hermite rule (smooth σ only). */
    private static Moments gaussHermite(Activation a, double tau) {
        GaussHermite rule = GaussHermite.of(200);
        double m0 = rule.expectation(x -> a.value(tau * x));
        double m1 = rule.expectation(x -> x * a.value(tau * x)) / tau;
        double m2 = rule.expectation(x -> (x * x - 1) * a.value(tau * x)) / (tau * tau);
        double v = rule.expectation(x -> Math.pow(a.value(tau * x) - m0, 2));
        double m3 = rule.expectation(x -> (x * x - 1) * Math.pow(a.value(tau * x) - m0, 2)) / (tau * tau);
        double q = rule.expectation(x -> Math.pow(a.derivative(tau * x), 2));
        return new Moments(tau, m0, m1, m2, m3, v, q);
    }

    @Test
    void smoothActivationsAgreeWithGaussHermite() {
        // Second implementation for the activations whose moments() is itself quadrature (tanh,
        // sigmoid), and a third for the smooth closed forms: 200-node Gauss–Hermite.
        // NOTE: tanh and sigmoid have poles at ξ = ±iπ/(2τ) (resp. ±iπ/τ), which stalls Gauss–Hermite
        // at ≈ 1e−8 for q of tanh at τ = 1.7 (the adaptive value is the accurate one: see the mpmath
        // values below), so the Gauss–Hermite comparison stops at τ = 1 (where it reaches 1e−10).
        for (String spec : List.of("tanh", "sigmoid", "erf", "sin", "cos", "poly:0.3:-0.7:0.2")) {
            Activation a = Activations.parse(spec);
            for (double tau : new double[] {0.3, 1.0}) {
                assertMoments(gaussHermite(a, tau), a.moments(tau), 1e-10, spec + " at tau=" + tau);
            }
        }
        // mpmath quad at 30 digits (src/test/resources/ntklc/activation/golden_moments.py), τ = 1.7.
        assertMoments(new Moments(1.7, 0.0, 0.41674170575916713, 0.0, 0.1149619537433119, 0.58325829424083287,
                0.29698812946333007), Activations.tanh().moments(1.7), 1e-14, "tanh vs mpmath");
        assertMoments(new Moments(1.7, 0.5, 0.16598489589236212, 0.0, 0.030381401350768321, 0.084015104107637876,
                0.032727716207188407), Activations.sigmoid().moments(1.7), 1e-14, "sigmoid vs mpmath");
        // Symmetry: tanh is odd (m0 = m2 = 0); sigmoid − ½ is odd (m0 = ½, m2 = 0).
        Moments tanh = Activations.tanh().moments(1.3);
        assertEquals(0.0, tanh.m0(), 1e-14);
        assertEquals(0.0, tanh.m2(), 1e-13);
        Moments sigmoid = Activations.sigmoid().moments(1.3);
        assertEquals(0.5, sigmoid.m0(), 1e-14);
        assertEquals(0.0, sigmoid.m2(), 1e-13);
    }

    @Test
    void reluAtUnitScale() {
        // docs/theory.md §4.3: ReLU at τ = 1 gives D1 = 0.25, D2 = 1/(2π), D3 = 1 − 1/π, v = ½ − 1/(2π) = 0.340845.
        Moments m = Activations.relu().moments(1.0);
        assertEquals(0.25, m.d1(), 1e-15);
        assertEquals(1 / (2 * Math.PI), m.d2(), 1e-15);
        assertEquals(1 - 1 / Math.PI, m.d3(), 1e-15);
        assertEquals(0.340845, m.v(), 5e-7);
        assertEquals(0.5, m.q(), 0.0);
        assertEquals(1 / Math.sqrt(2 * Math.PI), m.m0(), 1e-15);
    }

    @Test
    void signAndStepClosedForms() {
        // docs/theory.md §3.2: sign has m0 = 0, m1 = 2/(√(2π)τ), m2 = m3 = 0, v = 1; q undefined for steps.
        double tau = 1.0693;
        Moments sign = Activations.sign().moments(tau);
        assertEquals(0.0, sign.m0(), 1e-15);
        assertEquals(2 / (Math.sqrt(2 * Math.PI) * tau), sign.m1(), 1e-15);
        assertEquals(0.0, sign.m2(), 1e-15);
        assertEquals(0.0, sign.m3(), 1e-15);
        assertEquals(1.0, sign.v(), 1e-15);
        assertTrue(Double.isNaN(sign.q()));
        // Step = (sign + 1)/2: m0 = ½, m1 = φ(0)/τ, v = ¼.
        Moments step = Activations.step().moments(tau);
        assertEquals(0.5, step.m0(), 1e-15);
        assertEquals(sign.m1() / 2, step.m1(), 1e-15);
        assertEquals(0.25, step.v(), 1e-15);
    }

    @Test
    void sigmaTAtTheReferenceSolution() {
        // docs/theory.md §6.5: (s1, s2, a) = (0.99953, 2.21253, 2.40874) at τ = 1 gives D1 = 0.25, D2 = 0.159155,
        // D3 = 0.681690, τ' = √v = 0.848858, m0 = 2.058743. The parameters are rounded to 5 decimals,
        // which moves the moments by up to ~1e−5 (∂D/∂s ≈ 1 times 5e−6), hence the tolerance.
        Moments m = Activations.binaryZero(0.99953, 2.21253, 2.40874).moments(1.0);
        assertEquals(0.25, m.d1(), 1e-5);
        assertEquals(0.159155, m.d2(), 1e-5);
        assertEquals(0.681690, m.d3(), 1e-5);
        assertEquals(0.848858, Math.sqrt(m.v()), 1e-5);
        assertEquals(2.058743, m.m0(), 1e-5);
        // The mirrored solution (−2.21253, −0.99953, ±2.40874) is equivalent (docs/theory.md §6.5): same D1, D2, D3, v.
        for (double a : new double[] {2.40874, -2.40874}) {
            Moments mirror = Activations.binaryZero(-2.21253, -0.99953, a).moments(1.0);
            assertEquals(m.d1(), mirror.d1(), 1e-14);
            assertEquals(m.d2(), mirror.d2(), 1e-14);
            assertEquals(m.d3(), mirror.d3(), 1e-14);
            assertEquals(m.v(), mirror.v(), 1e-14);
        }
    }

    @Test
    void zeroOrBIdentityHoldsForSigmaT() {
        // docs/theory.md §3.2: any {0, b}-valued σ has b² = m3²/m2² + 4v. Property test over 200 random
        // σ_T = binary-zero:s1:s2:b and scales τ (seeded).
        SplittableRandom rng = new SplittableRandom(20221128);
        for (int trial = 0; trial < 200; trial++) {
            double s1 = rng.nextDouble(-2.5, 2.5);
            double s2 = s1 + rng.nextDouble(0.01, 3);
            double b = rng.nextDouble(0.2, 4) * (rng.nextBoolean() ? 1 : -1);
            double tau = rng.nextDouble(0.3, 2.5);
            Moments m = Activations.binaryZero(s1, s2, b).moments(tau);
            if (Math.abs(m.m2()) < 1e-3) {
                continue; // m3/m2 is 0/0-like there; the identity is ill-conditioned, not wrong
            }
            double rhs = m.m3() * m.m3() / m.d2() + 4 * m.v();
            assertEquals(b * b, rhs, 1e-9 * b * b, "s1=" + s1 + " s2=" + s2 + " b=" + b + " tau=" + tau);
        }
        // Negative control: σ_Q with two different non-zero levels is not {0, b}-valued, and the identity fails.
        Moments q = Activations.binaryLast(-2, -0.5, 0.7, 1.9, 1.3, -0.8).moments(1.0);
        double rhs = q.m3() * q.m3() / q.d2() + 4 * q.v();
        assertTrue(Math.abs(rhs - 1.3 * 1.3) > 0.1 && Math.abs(rhs - 0.8 * 0.8) > 0.1, "rhs = " + rhs);
    }

    @Test
    void derivativesMatchFiniteDifferences() {
        // σ' by central differences (h = 1e−6) away from kinks and jumps.
        for (String spec : ALL) {
            Activation a = Activations.parse(spec);
            if (a.hasJumps()) {
                continue;
            }
            for (double u : new double[] {-2.3, -0.7, 0.45, 1.9}) {
                double h = 1e-6;
                double fd = (a.value(u + h) - a.value(u - h)) / (2 * h);
                assertEquals(fd, a.derivative(u), 1e-8, spec + "'(" + u + ")");
            }
        }
    }
}
