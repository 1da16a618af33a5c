package ntklc.spectral;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import ntklc.activation.Activation;
import ntklc.activation.Activations;
import ntklc.spectral.Coefficients.NtkRecursion;

/**
 * Second implementation of the recursions: the coefficients are derivatives of the exact
 * infinite-width kernels of two inputs, taken by finite differences.
 *
 * <p>Two inputs with squared norms A, B and inner product C (the 2×2 Gram [[A, C], [C, B]])
 * are propagated through the exact CK (docs/theory.md §2.2: E[σ̄(u)σ̄(v)], σ̄ = σ − m0(τ_{ℓ−1}) centred at the
 * reference scale) and NTK (N_ℓ = K_ℓ + N_{ℓ−1}·K'_ℓ) with closed-form bivariate expectations.
 * Expanding around C = 0, A = B = τ0²:
 * α_{L,1} = ∂K_L/∂C, α_{L,3} = ½·∂²K_L/∂C², α_{L,2} = ∂²K_L/∂A∂B, α_{L,4} = ∂[K_L]_11/∂A, and the
 * same for β with N_L in place of K_L (docs/theory.md §4.2, §5.1: K̃ = α1·XᵀX + α2·ψψᵀ + α3·(second-order) + …).
 */
class CoefficientsExactKernelTest {
    /** Closed-form bivariate Gaussian expectations of one activation, (u, v) ~ N(0, [[a, c], [c, b]]). */
    private interface Bivariate {
        /** E[σ(u)σ(v)]. */
        double product(double a, double b, double c);

        /** E[σ(u)] with Var u = a. */
        double mean(double a);

        /** E[σ'(u)σ'(v)]. */
        double derivativeProduct(double a, double b, double c);
    }

    /** ReLU: arc-cosine kernel (Cho & Saul 2009), K' = (π − θ)/(2π). */
    private static final Bivariate RELU = new Bivariate() {
        public double product(double a, double b, double c) {
            double cos = Math.max(-1, Math.min(1, c / Math.sqrt(a * b)));
            double theta = Math.acos(cos);
            return Math.sqrt(a * b) / (2 * Math.PI) * (Math.sin(theta) + (Math.PI - theta) * cos);
        }

        public double mean(double a) {
            return Math.sqrt(a / (2 * Math.PI));
        }

        public double derivativeProduct(double a, double b, double c) {
            return (Math.PI - Math.acos(Math.max(-1, Math.min(1, c / Math.sqrt(a * b))))) / (2 * Math.PI);
        }
    };

    /** erf: Williams' arcsine kernel; E[σ'σ'] = (4/π)/√((1+2a)(1+2b) − 4c²). */
    private static final Bivariate ERF = new Bivariate() {
        public double product(double a, double b, double c) {
            return 2 / Math.PI * Math.asin(2 * c / Math.sqrt((1 + 2 * a) * (1 + 2 * b)));
        }

        public double mean(double a) {
            return 0;
        }

        public double derivativeProduct(double a, double b, double c) {
            return 4 / Math.PI / Math.sqrt((1 + 2 * a) * (1 + 2 * b) - 4 * c * c);
        }
    };

    /** cos: E[cos u cos v] = e^{−(a+b)/2} cosh c, E[sin u sin v] = e^{−(a+b)/2} sinh c. */
    private static final Bivariate COS = new Bivariate() {
        public double product(double a, double b, double c) {
            return Math.exp(-(a + b) / 2) * Math.cosh(c);
        }

        public double mean(double a) {
            return Math.exp(-a / 2);
        }

        public double derivativeProduct(double a, double b, double c) {
            return Math.exp(-(a + b) / 2) * Math.sinh(c);
        }
    };

    /** The off-diagonal and first diagonal of the CK and NTK after all layers: {K_12, K_11, N_12, N_11}. */
    private static double[] propagate(List<Bivariate> layers, double[] refTau, double a, double b, double c) {
        double na = a;
        double nb = b;
        double nc = c;
        for (int l = 0; l < layers.size(); l++) {
            Bivariate s = layers.get(l);
            double m = s.mean(refTau[l] * refTau[l]); // centring constant E[σ(τ_{ℓ−1}ξ)]
            double ka = s.product(a, a, a) - 2 * m * s.mean(a) + m * m;
            double kb = s.product(b, b, b) - 2 * m * s.mean(b) + m * m;
            double kc = s.product(a, b, c) - m * (s.mean(a) + s.mean(b)) + m * m;
            double pa = s.derivativeProduct(a, a, a);
            double pc = s.derivativeProduct(a, b, c);
            double pb = s.derivativeProduct(b, b, b);
            na = ka + na * pa;
            nb = kb + nb * pb;
            nc = kc + nc * pc;
            a = ka;
            b = kb;
            c = kc;
        }
        return new double[] {c, a, nc, na};
    }

    private static void check(List<Bivariate> exact, List<Activation> chain, double tau0) {
        Coefficients coefficients = Coefficients.compute(chain, tau0, NtkRecursion.RECOMMENDED);
        double[] refTau = new double[chain.size()];
        for (int l = 0; l < chain.size(); l++) {
            refTau[l] = coefficients.layer(l).tau();
        }
        double t2 = tau0 * tau0;
        // Central differences: h = 1e−4 for first derivatives (error ≈ h²·f''' ≈ 1e−8), h = 1e−3 for
        // second derivatives (error ≈ h²·f'''' ≈ 1e−6, rounding ≈ 1e−16/h² = 1e−10).
        double h = 1e-4;
        double[] cPlus = propagate(exact, refTau, t2, t2, h);
        double[] cMinus = propagate(exact, refTau, t2, t2, -h);
        double[] aPlus = propagate(exact, refTau, t2 + h, t2, 0);
        double[] aMinus = propagate(exact, refTau, t2 - h, t2, 0);
        double g = 1e-3;
        double[] centre = propagate(exact, refTau, t2, t2, 0);
        double[] c2Plus = propagate(exact, refTau, t2, t2, g);
        double[] c2Minus = propagate(exact, refTau, t2, t2, -g);
        double[] pp = propagate(exact, refTau, t2 + g, t2 + g, 0);
        double[] pm = propagate(exact, refTau, t2 + g, t2 - g, 0);
        double[] mp = propagate(exact, refTau, t2 - g, t2 + g, 0);
        double[] mm = propagate(exact, refTau, t2 - g, t2 - g, 0);
        Coefficients.Layer last = coefficients.last();
        String what = chain.toString();
        assertEquals(last.alpha1(), (cPlus[0] - cMinus[0]) / (2 * h), 1e-7, what + " alpha1");
        assertEquals(last.alpha3(), 0.5 * (c2Plus[0] - 2 * centre[0] + c2Minus[0]) / (g * g), 2e-6, what + " alpha3");
        assertEquals(last.alpha2(), (pp[0] - pm[0] - mp[0] + mm[0]) / (4 * g * g), 2e-6, what + " alpha2");
        assertEquals(last.alpha4(), (aPlus[1] - aMinus[1]) / (2 * h), 1e-7, what + " alpha4");
        assertEquals(last.tau() * last.tau(), centre[1], 1e-12, what + " tau");
        assertEquals(last.beta1(), (cPlus[2] - cMinus[2]) / (2 * h), 1e-7, what + " beta1");
        assertEquals(last.beta3(), 0.5 * (c2Plus[2] - 2 * centre[2] + c2Minus[2]) / (g * g), 2e-6, what + " beta3");
        assertEquals(last.beta2(), (pp[2] - pm[2] - mp[2] + mm[2]) / (4 * g * g), 2e-6, what + " beta2");
        assertEquals(last.kappa() * last.kappa(), centre[3], 1e-12, what + " kappa");
    }

    @Test
    void recommendedRecursionIsTheTaylorExpansionOfTheExactKernels() {
        check(List.of(RELU, RELU, RELU), List.of(Activations.relu(), Activations.relu(), Activations.relu()), 1.0693);
        check(List.of(RELU, ERF, COS, RELU),
                List.of(Activations.relu(), Activations.erf(), Activations.cos(), Activations.relu()), 0.9);
        check(List.of(COS, RELU), List.of(Activations.cos(), Activations.relu()), 1.4);
    }

    @Test
    void negativeControlPreprintBetaIsNotTheExpansion() {
        // The preprint's β1 = α1 drops the D1·β_{ℓ−1,1} term (docs/theory.md §5.2): it must miss ∂N_L/∂C.
        List<Activation> chain = new ArrayList<>(List.of(Activations.relu(), Activations.relu()));
        Coefficients pre = Coefficients.compute(chain, 1.0, NtkRecursion.PREPRINT);
        double[] refTau = {1.0, pre.layer(1).tau()};
        double h = 1e-4;
        double slope = (propagate(List.of(RELU, RELU), refTau, 1, 1, h)[2]
                - propagate(List.of(RELU, RELU), refTau, 1, 1, -h)[2]) / (2 * h);
        // Exact: β_{2,1} = α_{2,1} + D1·(α_{1,1} + D1) = 1/16 + 1/4·(1/2) = 3/16; preprint: 1/16.
        assertEquals(3.0 / 16, slope, 1e-7);
        assertEquals(1.0 / 16, pre.last().beta1(), 1e-15);
    }
}
