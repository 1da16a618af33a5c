package ntklc.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class GmmTest {
    /**
     * Population statistics by hand for gmm-var, K = 2, p = 64, c = (1/4, 3/4) (docs/theory.md §1.1):
     * s_0 = 1, s_1 = 1 + 8/√64 = 2; tr C°/p = 1/4 + 3/2 = 1.75 = τ0²;
     * t = √64·(s − 1.75) = (−6, 2); T = s sᵀ = [[1, 2], [2, 4]].
     */
    @Test
    void populationStatisticsByHand() {
        GmmSpec spec = new GmmSpec(GmmCase.VAR, 2, 64, new double[] {0.25, 0.75});
        assertEquals(1.0, spec.covarianceScale(0), 0);
        assertEquals(2.0, spec.covarianceScale(1), 1e-15);
        assertEquals(Math.sqrt(1.75), spec.tau0(), 1e-15);
        assertArrayEquals(new double[] {-6, 2}, spec.t(), 1e-12);
        assertArrayEquals(new double[] {1, 2}, spec.T()[0], 1e-15);
        assertArrayEquals(new double[] {2, 4}, spec.T()[1], 1e-15);
        // identity from the definition of C°: Σ_a c_a t_a = tr(Σ_a c_a C_a − C°)/√p = 0
        assertEquals(0, 0.25 * spec.t()[0] + 0.75 * spec.t()[1], 1e-12);
    }

    /** Means as in the table of docs/theory.md §1.1: gmm-means 4·e_a, gmm-mixed 8·e_{8a}, others 0. */
    @Test
    void meansFollowTheTestCaseTable() {
        double[] m = GmmSpec.balanced(GmmCase.MIXED, 3, 32).mean(2);
        assertEquals(8, m[16], 0);
        assertEquals(64, Arrays.stream(m).map(v -> v * v).sum(), 0);
        assertEquals(4, GmmSpec.balanced(GmmCase.MEANS, 3, 32).mean(2)[2], 0);
        assertEquals(0, Arrays.stream(GmmSpec.balanced(GmmCase.VAR, 3, 32).mean(2)).map(Math::abs).sum(), 0);
        assertEquals(1, GmmSpec.balanced(GmmCase.MEANS, 3, 32).covarianceScale(2), 0);
        assertThrows(DataException.class, () -> GmmSpec.balanced(GmmCase.MIXED, 3, 16));
        assertThrows(DataException.class, () -> new GmmSpec(GmmCase.VAR, 2, 16, new double[] {0.5, 0.6}));
    }

    /**
     * Sample moments against the definitions x = (μ_a + z)/√p, z ~ N(0, s_a I). With y = √p·x − μ_a
     * (i.i.d. N(0, s_a) entries), per class and n_a samples:
     * <ul>
     *   <li>Σ_j n_a·ȳ_j²/s_a ~ χ²_p: mean p, sd √(2p) — checked within 5 sd;</li>
     *   <li>the average of y² over n_a·p entries has mean s_a, sd s_a·√(2/(n_a p)) — within 5 sd;</li>
     *   <li>ψ_i = ||y_i||²/p − s_a has mean 0, sd s_a·√(2/p) per sample, so the class mean is within
     *       5·s_a·√(2/(n_a p)) of 0; and ψ_i recomputed from x agrees up to float rounding.</li>
     * </ul>
     */
    @Test
    void sampleMomentsMatchDefinitions() {
        int p = 100;
        GmmSpec spec = new GmmSpec(GmmCase.MIXED, 3, p, new double[] {0.2, 0.3, 0.5});
        GmmSample s = Gmm.sample(spec, 1000, new SplittableRandom(42));
        Dataset d = s.dataset();
        assertArrayEquals(new int[] {200, 300, 500}, SampleStatistics.classCounts(d));
        int start = 0;
        for (int a = 0; a < 3; a++) {
            int na = spec.classSizes(1000)[a];
            double sa = spec.covarianceScale(a);
            double[] mu = spec.mean(a);
            double[] colMean = new double[p];
            double sumSq = 0;
            double psiSum = 0;
            for (int i = start; i < start + na; i++) {
                assertEquals(a, d.labels()[i], "classes in contiguous blocks");
                double norm2 = 0;
                for (int j = 0; j < p; j++) {
                    double y = Math.sqrt(p) * d.x().get(i, j) - mu[j];
                    colMean[j] += y / na;
                    sumSq += y * y;
                    norm2 += y * y;
                }
                assertEquals(norm2 / p - sa, s.psi()[i], 1e-5, "ψ from its definition");
                psiSum += s.psi()[i];
            }
            double chi2 = 0;
            for (double m : colMean) {
                chi2 += na * m * m / sa;
            }
            assertEquals(p, chi2, 5 * Math.sqrt(2.0 * p), "class " + a + " mean");
            assertEquals(sa, sumSq / ((double) na * p), 5 * sa * Math.sqrt(2.0 / ((double) na * p)), "class " + a + " variance");
            assertEquals(0, psiSum / na, 5 * sa * Math.sqrt(2.0 / ((double) na * p)), "class " + a + " mean ψ");
            start += na;
        }
    }

    /**
     * docs/theory.md §1.1: with μ = 0 (gmm-var) and the population τ0, v_i = ||x_i||² − τ0² equals
     * ψ_i + t_a/√p exactly (both are ||z_i||²/p − tr C°/p); checked up to float rounding of x.
     */
    @Test
    void normFluctuationEqualsPsiPlusTOverSqrtP() {
        GmmSpec spec = GmmSpec.balanced(GmmCase.VAR, 2, 256);
        GmmSample s = Gmm.sample(spec, 64, new SplittableRandom(3));
        double[] v = SampleStatistics.squaredNormFluctuation(s.dataset(), spec.tau0());
        double[] t = spec.t();
        for (int i = 0; i < v.length; i++) {
            int a = s.dataset().labels()[i];
            assertEquals(s.psi()[i] + t[a] / Math.sqrt(256), v[i], 1e-5);
        }
    }

    /**
     * The data estimate τ0² = (1/n)Σ||x_i||² (docs/theory.md §1.2) has mean τ0_pop² + Σ_a c_a||μ_a||²/p.
     * For gmm-mixed, K = 2 balanced, p = n = 400: s = (1, 1 + 8/20 = 1.4), τ0_pop² = 1.2, plus
     * 64/400 = 0.16, so 1.36 (the population τ0² alone, 1.2, is 0.16 away). The sd of the estimate
     * is ≈ √(2·mean(s_a²)/(p n)) = √(2·1.48/160000) ≈ 0.0043; checked within 0.02.
     */
    @Test
    void estimatedTau0IncludesMeanNorm() {
        GmmSpec spec = GmmSpec.balanced(GmmCase.MIXED, 2, 400);
        GmmDraw draw = Gmm.trainTest(spec, 400, 400, new SplittableRandom(5));
        double expected = 1.36;
        assertEquals(1.2, spec.tau0() * spec.tau0(), 1e-12);
        double tau0 = SampleStatistics.tau0(draw.train().dataset());
        assertEquals(expected, tau0 * tau0, 0.02);
    }

    @Test
    void seededAndTrainTestIndependent() {
        GmmSpec spec = GmmSpec.balanced(GmmCase.IID, 2, 20);
        GmmDraw a = Gmm.trainTest(spec, 10, 10, new SplittableRandom(9));
        GmmDraw b = Gmm.trainTest(spec, 10, 30, new SplittableRandom(9));
        GmmDraw c = Gmm.trainTest(spec, 10, 10, new SplittableRandom(10));
        assertArrayEquals(a.train().dataset().x().data(), b.train().dataset().x().data(), "same seed, same train draw");
        assertFalse(Arrays.equals(a.train().dataset().x().data(), a.test().dataset().x().data()), "train ≠ test");
        assertFalse(Arrays.equals(a.train().dataset().x().data(), c.train().dataset().x().data()), "seed matters");
        assertEquals(30, b.test().dataset().n());
    }

    /** ⌊c_a·n⌋ per class as in the reference code; 0.3·10 must give 3, not 2. */
    @Test
    void classSizesFloor() {
        GmmSpec spec = new GmmSpec(GmmCase.IID, 3, 4, new double[] {0.3, 0.3, 0.4});
        assertArrayEquals(new int[] {3, 3, 4}, spec.classSizes(10));
        assertArrayEquals(new int[] {3, 3, 4}, spec.classSizes(11));
        assertTrue(GmmSpec.balanced(GmmCase.IID, 3, 4).classSizes(10)[0] == 3);
    }
}
