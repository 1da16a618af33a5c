package ntklc.activation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Normalised Hermite coefficients a_k = E[σ(τξ)He_k(ξ)]/√k!. */
class HermiteCoefficientsTest {
    @Test
    void firstCoefficientsAreTheMomentsByStein() {
        // Stein / Gaussian integration by parts: E[σ(τξ)He_k(ξ)] = τ^k E[σ^{(k)}(τξ)], so
        // a_0 = m0, a_1 = τ·m1, a_2 = τ²·m2/√2 — for every activation (closed-form moments).
        for (String spec : ActivationMomentsTest.ALL) {
            Activation a = Activations.parse(spec);
            for (double tau : ActivationMomentsTest.TAUS) {
                double[] h = a.hermiteCoefficients(tau, 2);
                Moments m = a.moments(tau);
                assertEquals(m.m0(), h[0], 1e-11, spec + " a0");
                assertEquals(tau * m.m1(), h[1], 1e-11, spec + " a1");
                assertEquals(tau * tau * m.m2() / Math.sqrt(2), h[2], 1e-11, spec + " a2");
            }
        }
    }

    @Test
    void stepClosedFormMatchesQuadrature() {
        // Closed form of docs/theory.md §3.2 for steps against the generic quadrature path, k ≤ 15.
        for (String spec : new String[] {"sign", "step", "binary-zero:-1.2:0.4:-1.5",
            "binary-last:-2:-0.5:0.7:1.9:1.3:-0.8"}) {
            Activation a = Activations.parse(spec);
            for (double tau : ActivationMomentsTest.TAUS) {
                double[] closed = a.hermiteCoefficients(tau, 15);
                double[] quad = GaussianMoments.hermiteByQuadrature(a, tau, 15);
                for (int k = 0; k <= 15; k++) {
                    assertEquals(quad[k], closed[k], 1e-11, spec + " a_" + k + " at tau=" + tau);
                }
            }
        }
    }

    @Test
    void parsevalForSmoothActivations() {
        // Σ_k a_k² = E[σ(τξ)²] = v + m0² (completeness of the Hermite basis). The slowest here is
        // erf, whose a_k² decay like (2τ²/(1 + 2τ²))^k = (2/3)^k at τ = 1: 80 terms leave ≈ 1e−14.
        for (String spec : new String[] {"erf", "sin", "cos", "poly:0.3:-0.7:0.2"}) {
            Activation a = Activations.parse(spec);
            double[] h = a.hermiteCoefficients(1.0, 80);
            double sum = 0;
            for (double c : h) {
                sum += c * c;
            }
            Moments m = a.moments(1.0);
            assertEquals(m.v() + m.m0() * m.m0(), sum, 1e-10, spec);
        }
        // sin(τξ) has a_k = e^{−τ²/2} τ^k/√k! (−1)^{(k−1)/2} for odd k, 0 for even k (Taylor of e^{iτξ}).
        double[] sin = Activations.sin().hermiteCoefficients(1.3, 7);
        assertEquals(0.0, sin[2], 1e-13);
        assertEquals(-Math.exp(-1.3 * 1.3 / 2) * Math.pow(1.3, 3) / Math.sqrt(6), sin[3], 1e-13);
    }
}
