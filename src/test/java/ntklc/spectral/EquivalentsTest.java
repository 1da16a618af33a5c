package ntklc.spectral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import ntklc.activation.Activation;
import ntklc.activation.Activations;
import ntklc.linalg.Matrix;
import ntklc.linalg.Products;

/**
 * Theorems 1 and 2 checked on exact kernels (no Monte-Carlo noise), the scaled-down R1/R2 of
 * spec §12: GMM {@code var}, K = 2, n = p, three ReLU layers. The spec's table (§5.5) gives, at
 * n = p = 400: 0.053 (CK, recommended identity), 0.114 (CK, paper identity), and, for the
 * NTK at n = p = 800, 0.124. At n = p = 200 the CK errors are larger (they decay like n^−1/2). One
 * data draw moves the CK errors by a few 1e−3, so their tolerance is ±0.01.
 */
class EquivalentsTest {
    private static final List<Activation> RELU3 = Activations.parseChain("relu,relu,relu");

    private static double ckError(SpectralTestSupport.Gmm gmm, EquivalentCoefficients.Identity identity) {
        Matrix gram = Products.gram(gmm.x());
        double tau0 = gmm.stats().tau0();
        Matrix k = ExactKernels.ck(gram, tau0, RELU3);
        SpectralTestSupport.ReluCoefficients c = SpectralTestSupport.reluCoefficients(tau0, 3);
        EquivalentCoefficients coef = EquivalentCoefficients.ck(c.alpha1(), c.alpha2(), c.alpha3(), c.tauL(), tau0,
                identity);
        Matrix kt = Equivalents.build(gram, gmm.stats(), DataStatistics.Form.V, coef);
        return SpectralComparison.of(k, kt, 2).relError();
    }

    @Test
    void conjugateKernelEquivalentAtFourHundred() {
        SpectralTestSupport.Gmm gmm = SpectralTestSupport.gmmVar(400, 400, new SplittableRandom(21));
        assertEquals(0.053, ckError(gmm, EquivalentCoefficients.Identity.RECOMMENDED), 0.01);
        assertEquals(0.114, ckError(gmm, EquivalentCoefficients.Identity.PAPER), 0.01);
    }

    @Test
    void errorShrinksAsNAndPDoubleTogether() {
        double small = ckError(SpectralTestSupport.gmmVar(200, 200, new SplittableRandom(22)),
                EquivalentCoefficients.Identity.RECOMMENDED);
        double large = ckError(SpectralTestSupport.gmmVar(400, 400, new SplittableRandom(23)),
                EquivalentCoefficients.Identity.RECOMMENDED);
        // n^−1/2 decay predicts a ratio of 1/√2 ≈ 0.71 (spec §5.5: ≈ 0.72 per doubling).
        assertTrue(large < 0.85 * small, "n = 200: " + small + ", n = 400: " + large);
    }

    @Test
    void psiTFormEqualsVFormWithPopulationTauOnVarData() {
        // Spec §2.1 identity: J t/√p + ψ = ‖z‖²/p − τ0² when t is built from the same τ0. With μ = 0
        // (var), ‖x_i‖² = ‖z_i‖²/p, so both forms give the same v to round-off.
        SpectralTestSupport.Gmm gmm = SpectralTestSupport.gmmVar(50, 70, new SplittableRandom(24));
        double[] v = gmm.stats().v(DataStatistics.Form.V);
        double[] vt = gmm.stats().v(DataStatistics.Form.PSI_T);
        for (int i = 0; i < v.length; i++) {
            assertEquals(v[i], vt[i], 1e-12);
        }
    }

    private static double ntkError(SpectralTestSupport.Gmm gmm) {
        Matrix gram = Products.gram(gmm.x());
        double tau0 = gmm.stats().tau0();
        Matrix k = ExactKernels.ntk(gram, tau0, RELU3);
        SpectralTestSupport.ReluCoefficients c = SpectralTestSupport.reluCoefficients(tau0, 3);
        EquivalentCoefficients coef = EquivalentCoefficients.ntk(c.beta1(), c.beta2(), c.beta3(), c.kappaSquared(),
                tau0, EquivalentCoefficients.Identity.RECOMMENDED);
        return SpectralComparison.of(k, Equivalents.build(gram, gmm.stats(), DataStatistics.Form.V, coef), 2)
                .relError();
    }

    @Test
    void neuralTangentKernelEquivalentAtEightHundred() {
        // Spec §12 R2: 0.124 at n = p = 800, L = 3, recommended β. The NTK error depends on the data
        // draw more than the CK's (it is set by the t-spike of the top eigenvalue): over four seeds
        // this implementation measured 0.115, 0.136, 0.116, 0.127 (mean 0.124, sd ≈ 0.01), so the
        // tolerance is three standard deviations.
        double err = ntkError(SpectralTestSupport.gmmVar(800, 800, new SplittableRandom(25)));
        assertEquals(0.124, err, 0.03);
    }

    @Test
    void estimatedStatisticsRecoverThePopulationOnes() {
        // The U-statistic estimate of T_ab = tr(C_a C_b)/p is unbiased: on var data with p = 60
        // and 400 samples per class it fluctuates by ≈ 3 % around the population value
        // (1 + 8a/√p)(1 + 8b/√p) (standard deviation measured over seeds), tr(C_a)/p by ≈ 1.5 %;
        // tolerances are about three standard deviations.
        SpectralTestSupport.Gmm gmm = SpectralTestSupport.gmmVar(800, 60, new SplittableRandom(26));
        DataStatistics est = DataStatistics.estimate(gmm.x(), gmm.stats().labels(), 2);
        for (int a = 0; a < 2; a++) {
            assertEquals(gmm.stats().traceOverP()[a], est.traceOverP()[a], 0.05 * gmm.stats().traceOverP()[a]);
            for (int b = 0; b < 2; b++) {
                assertEquals(gmm.stats().T()[a][b], est.T()[a][b], 0.1 * gmm.stats().T()[a][b]);
            }
        }
        assertEquals(gmm.stats().tau0(), est.tau0(), 1e-12);
    }
}
