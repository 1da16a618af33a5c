package ntklc.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import ntklc.tensor.Tensor;

/**
 * Weight laws against their defining moments. Sample size N = 200·500 = 100 000; the standard
 * error of a sample mean of unit-variance entries is 1/√N ≈ 0.0032 and of a sample variance
 * √(2/N) ≈ 0.0045 (Gaussian), so every tolerance below is about 5 standard errors.
 */
class InitializerTest {
    private static final int ROWS = 200;
    private static final int COLS = 500;
    private static final int N = ROWS * COLS;

    private static double mean(Tensor w) {
        double s = 0;
        for (float v : w.data()) {
            s += v;
        }
        return s / w.size();
    }

    private static double secondMoment(Tensor w) {
        double s = 0;
        for (float v : w.data()) {
            s += (double) v * v;
        }
        return s / w.size();
    }

    private static Tensor draw(Initializer init, long seed) {
        Tensor w = Tensor.zeros(ROWS, COLS);
        init.fill(w, new SplittableRandom(seed));
        return w;
    }

    @Test
    void gaussianHasMeanZeroVarianceOne() {
        Tensor w = draw(Initializer.Gaussian.standard(), 1);
        assertEquals(0, mean(w), 0.016);
        assertEquals(1, secondMoment(w), 0.023);
    }

    @Test
    void kaimingHasVarianceTwoOverFanIn() {
        // He et al. 2015: Var W = 2/d_in with d_in = COLS = 500.
        Tensor w = draw(new Initializer.KaimingNormal(), 2);
        assertEquals(0, mean(w) * Math.sqrt(COLS / 2.0), 0.016);
        assertEquals(1, secondMoment(w) * COLS / 2.0, 0.023);
    }

    @Test
    void iidTernaryFollowsSpecSection71() {
        double eps = 0.9;
        Initializer.SparseTernary law = new Initializer.SparseTernary(eps, false);
        Tensor w = draw(law, 3);
        float level = (float) (1 / Math.sqrt(1 - eps));
        int zeros = 0;
        int plus = 0;
        for (float v : w.data()) {
            assertTrue(v == 0 || v == level || v == -level, "value " + v + " outside {0, ±1/√(1−ε)}");
            zeros += v == 0 ? 1 : 0;
            plus += v > 0 ? 1 : 0;
        }
        // Binomial(N, ε) zeros: standard deviation √(N ε(1−ε)) ≈ 95; 5σ ≈ 475.
        assertEquals(eps * N, zeros, 475);
        // Binomial(N, (1−ε)/2) positives: standard deviation ≈ 69; 5σ ≈ 345.
        assertEquals((1 - eps) / 2 * N, plus, 345);
        // Variance 1 by construction (spec §7.1): Var of the second moment is ((1−ε)·level⁴ − 1)/N = 9/N
        // for ε = 0.9, standard deviation ≈ 0.0095; 5σ ≈ 0.05.
        assertEquals(1, secondMoment(w), 0.05);
    }

    @Test
    void exactCountTernaryHasExactCounts() {
        double eps = 0.5;
        Tensor w = draw(new Initializer.SparseTernary(eps, true), 4);
        float level = (float) Math.sqrt(2);
        int plus = 0;
        int minus = 0;
        for (float v : w.data()) {
            plus += v == level ? 1 : 0;
            minus += v == -level ? 1 : 0;
        }
        // round(½(1−ε)N) = round(0.25·100000) = 25 000 of each sign (spec §7.1).
        assertEquals(25_000, plus);
        assertEquals(25_000, minus);
        assertEquals(1, secondMoment(w), 1e-6);
        // Shuffled: the first and last tenth each hold about a tenth of the positives
        // (hypergeometric, standard deviation ≈ 47; 5σ ≈ 240).
        int head = 0;
        for (int i = 0; i < N / 10; i++) {
            head += w.data()[i] == level ? 1 : 0;
        }
        assertEquals(2_500, head, 240);
    }

    @Test
    void parsesTheCommandLineSpelling() {
        assertEquals(Initializer.Gaussian.standard(), Initializer.parse("gaussian"));
        assertEquals(new Initializer.Gaussian(0.5), Initializer.parse("gaussian:0.5"));
        assertEquals(new Initializer.KaimingNormal(), Initializer.parse("kaiming"));
        assertEquals(new Initializer.SparseTernary(0.9, false), Initializer.parse("ternary:0.9"));
        assertEquals(new Initializer.SparseTernary(0.9, true), Initializer.parse("ternary-exact:0.9"));
        for (Initializer i : new Initializer[] {Initializer.Gaussian.standard(), new Initializer.KaimingNormal(),
            new Initializer.SparseTernary(0.25, true)}) {
            assertEquals(i, Initializer.parse(i.spec()));
        }
        assertThrows(IllegalArgumentException.class, () -> Initializer.parse("ternary:1"));
        assertThrows(IllegalArgumentException.class, () -> Initializer.parse("ternary"));
        assertThrows(IllegalArgumentException.class, () -> Initializer.parse("xavier"));
    }
}
