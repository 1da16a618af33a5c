package ntklc.special;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Adaptive Gauss–Kronrod against closed-form integrals, with kinks, jumps and infinite ranges. */
class QuadratureTest {
    @Test
    void kronrodIsExactForPolynomialsOnOnePiece() {
        // K15 is exact up to degree 22: ∫_{-1}^{2} x^k dx = (2^{k+1} − (−1)^{k+1})/(k+1).
        for (int k = 0; k <= 22; k++) {
            int power = k;
            Quadrature.Result r = Quadrature.integrate(x -> Math.pow(x, power), -1, 2, new double[0], 0, 1e-13, 1);
            double exact = (Math.pow(2, k + 1) - Math.pow(-1, k + 1)) / (k + 1);
            assertEquals(1.0, r.value() / exact, 1e-14, "degree " + k);
        }
    }

    @Test
    void gaussianExpectationsWithKinksAndJumps() {
        // E[1] = 1, E[ξ²] = 1, E[ξ⁴] = 3 (Gaussian moments).
        assertEquals(1.0, Quadrature.gaussian(x -> 1.0), 1e-14);
        assertEquals(1.0, Quadrature.gaussian(x -> x * x), 1e-13);
        assertEquals(3.0, Quadrature.gaussian(x -> x * x * x * x), 1e-12);
        // E[max(ξ,0)] = 1/√(2π) (half-normal mean), break at the kink.
        assertEquals(1 / Math.sqrt(2 * Math.PI), Quadrature.gaussian(x -> Math.max(x, 0), 0.0), 1e-14);
        // E[1{0.3 < ξ < 1.7}] = Φ(1.7) − Φ(0.3) (definition of Φ), breaks at the jumps.
        assertEquals(Gaussian.cdf(1.7) - Gaussian.cdf(0.3),
                Quadrature.gaussian(x -> x > 0.3 && x < 1.7 ? 1.0 : 0.0, 1.7, 0.3), 1e-14);
        // E[ξ·1{ξ > a}] = φ(a) (Gaussian integration by parts).
        assertEquals(Gaussian.pdf(-0.8), Quadrature.gaussian(x -> x > -0.8 ? x : 0.0, -0.8), 1e-14);
        // E[e^{ξ}] = e^{1/2} (lognormal mean); the integrand overflows where φ underflows, which must not give NaN.
        assertEquals(Math.exp(0.5), Quadrature.gaussian(Math::exp), 1e-12);
    }

    @Test
    void finiteIntervalWithEndpointSingularity() {
        // ∫_0^1 √x dx = 2/3 and ∫_0^1 ln x dx = −1: adaptive bisection towards the endpoint.
        Quadrature.Result r = Quadrature.integrate(Math::sqrt, 0, 1, new double[0], 1e-12, 0, 500);
        assertTrue(r.converged());
        assertEquals(2.0 / 3, r.value(), 1e-12);
        Quadrature.Result log = Quadrature.integrate(Math::log, 0, 1, new double[0], 1e-10, 0, 500);
        assertEquals(-1.0, log.value(), 1e-10);
        // ∫_1^∞ dx/x² = 1 (one infinite end).
        assertEquals(1.0, Quadrature.integrate(x -> 1 / (x * x), 1, Double.POSITIVE_INFINITY,
                new double[0], 1e-13, 1e-13, 200).value(), 1e-13);
    }

    @Test
    void vectorIntegrandSharesOnePartitionAndMeetsEveryTolerance() {
        // Components: E[1{ξ > 0.3}] = 1 − Φ(0.3), E[ξ⁴] = 3, E[cos 3ξ] = e^{−9/2} (closed forms), and a
        // component that is identically 0 (must converge on the absolute tolerance).
        double[] e = Quadrature.gaussian(4, (x, out) -> {
            out[0] = x > 0.3 ? 1 : 0;
            out[1] = x * x * x * x;
            out[2] = Math.cos(3 * x);
            out[3] = 0;
        }, 0.3);
        assertEquals(Gaussian.ccdf(0.3), e[0], 1e-14);
        assertEquals(3.0, e[1], 1e-12);
        assertEquals(Math.exp(-4.5), e[2], 1e-13);
        assertEquals(0.0, e[3], 0.0);
        // Same numbers as the scalar path, component by component.
        assertEquals(Quadrature.gaussian(x -> Math.cos(3 * x), 0.3), e[2], 1e-13);
    }

    @Test
    void reportsFailureInsteadOfGuessing() {
        // Negative control: ∫_0^1 x^{-0.9} dx = 10 cannot be reached with 5 intervals and a 1e−12 tolerance.
        Quadrature.Result r = Quadrature.integrate(x -> Math.pow(x, -0.9), 0, 1, new double[0], 1e-12, 0, 5);
        assertFalse(r.converged());
        assertTrue(r.errorEstimate() > 1e-12);
        assertThrows(IllegalArgumentException.class,
                () -> Quadrature.integrate(x -> x, 1, 0, new double[0], 1e-12, 0, 5));
    }
}
