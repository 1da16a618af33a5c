package ntklc.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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

    /** {@code (1/N) Σ w⁴}, for the fourth cumulant {@code κ4 = E[w⁴] − 3} of a unit-variance law. */
    private static double fourthMoment(Tensor w) {
        double s = 0;
        for (float v : w.data()) {
            s += (double) v * v * v * v;
        }
        return s / w.size();
    }

    /** How many entries of {@code w} satisfy {@code test}. */
    private static int count(Tensor w, java.util.function.DoublePredicate test) {
        int c = 0;
        for (float v : w.data()) {
            c += test.test(v) ? 1 : 0;
        }
        return c;
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
    void iidTernaryFollowsPaperEquation16() {
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
        // Variance 1 by construction (docs/theory.md §6.1): Var of the second moment is ((1−ε)·level⁴ − 1)/N = 9/N
        // for ε = 0.9, standard deviation ≈ 0.0095; 5σ ≈ 0.05.
        assertEquals(1, secondMoment(w), 0.05);
    }

    @Test
    void exactCountTernaryHasExactCounts() {
        double eps = 0.5;
        Tensor w = draw(new Initializer.SparseTernary(eps, true), 4);
        float level = (float) Math.sqrt(2);
        int plus = count(w, v -> v == level);
        int minus = count(w, v -> v == -level);
        // round(½(1−ε)N) = round(0.25·100000) = 25 000 of each sign (docs/theory.md §6.1).
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

    @Test
    void weightLawsHaveUnitVarianceAndTheirFourthCumulant() {
        // Sample moments of 2e5 draws: mean 0 ± 4·(1/√N) ≈ 0.009, variance 1 ± 0.03, and the
        // fourth cumulant κ4 = E[w⁴] − 3 of each law (closed forms: 0, 1/(1−ε) − 3, 6/(ν − 4)).
        int n = 200_000;
        for (Initializer law : List.of(Initializer.Gaussian.standard(), new Initializer.SparseTernary(0.5, false),
                Initializer.parse("bernoulli"), Initializer.parse("student-t:30"))) {
            Tensor w = law.sample(1, n, new SplittableRandom(6));
            assertEquals(0, mean(w), 0.009, law.spec());
            assertEquals(1, secondMoment(w), 0.03, law.spec());
            assertEquals(law.fourthCumulant(), fourthMoment(w) - 3, 0.15 + 0.1 * Math.abs(law.fourthCumulant()), law.spec());
        }
        assertThrows(IllegalArgumentException.class, () -> Initializer.parse("ternary:1.5"));
        assertThrows(IllegalArgumentException.class, () -> Initializer.parse("student-t:2"));
        assertThrows(IllegalArgumentException.class, () -> Initializer.parse("uniform"));
    }

    @Test
    void iidTernaryHasUnitVarianceAndSparsityEpsilon() {
        // Paper Eq. (16): P(0) = ε, values ±1/√(1−ε): mean 0, E[w²] = 1, E[w⁴] = 1/(1−ε).
        double eps = 0.9;
        Tensor w = new Initializer.SparseTernary(eps, false).sample(ROWS, COLS, new SplittableRandom(1));
        int n = w.size();
        for (float x : w.data()) {
            assertTrue(x == 0 || Math.abs(Math.abs(x) - 1 / Math.sqrt(1 - eps)) < 1e-6);
        }
        int zeros = count(w, x -> x == 0);
        // 5-sigma bounds: sd(mean w) = 1/√n; sd(mean w²) = √(E[w⁴] − 1)/√n = 3/√n; sd(zero fraction) = √(ε(1−ε)/n)
        assertEquals(0, mean(w), 5 / Math.sqrt(n));
        assertEquals(1, secondMoment(w), 5 * 3 / Math.sqrt(n));
        assertEquals(eps, (double) zeros / n, 5 * Math.sqrt(eps * (1 - eps) / n));
    }

    @Test
    void exactCountTernaryHasExactlyTheReferenceCodesCounts() {
        // docs/theory.md §6.1: exactly round(½(1−ε)N) entries of each sign.
        double eps = 0.5;
        Tensor w = new Initializer.SparseTernary(eps, true).sample(ROWS, COLS, new SplittableRandom(2));
        int plus = count(w, x -> x > 0);
        int minus = count(w, x -> x < 0);
        long expected = Math.round(0.5 * (1 - eps) * ROWS * COLS);
        assertEquals(expected, plus);
        assertEquals(expected, minus);
    }

    @Test
    void naiveSparseZeroesTheRequestedFraction() {
        Tensor w = new Initializer.NaiveSparse(0.8).sample(ROWS, COLS, new SplittableRandom(3));
        int zeros = count(w, x -> x == 0);
        int n = w.size();
        assertEquals(0.8, (double) zeros / n, 5 * Math.sqrt(0.8 * 0.2 / n));
    }

    @Test
    void magnitudePruningRemovesExactlyTheSmallestWeights() {
        // Second construction: the same seed gives the same Gaussian draws before pruning.
        float[] dense = Initializer.Gaussian.standard().sample(ROWS, COLS, new SplittableRandom(4)).data();
        float[] pruned = new Initializer.MagnitudePrune(0.93).sample(ROWS, COLS, new SplittableRandom(4)).data();
        float largestPruned = 0;
        float smallestKept = Float.MAX_VALUE;
        int zeros = 0;
        for (int i = 0; i < dense.length; i++) {
            if (pruned[i] == 0) {
                zeros++;
                largestPruned = Math.max(largestPruned, Math.abs(dense[i]));
            } else {
                assertEquals(dense[i], pruned[i]);
                smallestKept = Math.min(smallestKept, Math.abs(dense[i]));
            }
        }
        assertEquals(Math.round(0.93 * dense.length), zeros);
        assertTrue(largestPruned <= smallestKept);
    }

    @Test
    void sameSeedSameMatrixAndParsingOfTheCompressionSpellings() {
        assertArrayEquals(Initializer.Gaussian.standard().sample(70, 30, new SplittableRandom(9)).data(),
                Initializer.Gaussian.standard().sample(70, 30, new SplittableRandom(9)).data());
        assertEquals(new Initializer.SparseTernary(0.5, false), Initializer.parse("ternary:0.5"));
        assertEquals(new Initializer.SparseTernary(0.5, true), Initializer.parse("ternary-exact:0.5"));
        assertEquals(new Initializer.MagnitudePrune(0.9), Initializer.parse("magnitude-prune:0.9"));
        assertThrows(IllegalArgumentException.class, () -> Initializer.parse("ternary:1.0"));
        // "bernoulli" was refused by the compression's own parser; the unified one reads it as ternary:0
        // (docs/theory.md §6.1 with ε = 0: ±1 with probability ½ each, the paper's Fig. 2 right)
        assertEquals(new Initializer.SparseTernary(0, false), Initializer.parse("bernoulli"));
        assertEquals(new Initializer.NaiveSparse(0.8), Initializer.parse(" naive-sparse:0.8 "));
        assertEquals(new Initializer.StudentT(30), Initializer.parse("student-t:30"));
        for (Initializer i : new Initializer[] {new Initializer.NaiveSparse(0.25), new Initializer.MagnitudePrune(0.5),
            new Initializer.StudentT(5), new Initializer.Gaussian(0.5)}) {
            assertEquals(i, Initializer.parse(i.spec()));
        }
        assertThrows(IllegalArgumentException.class, () -> Initializer.parse("naive-sparse"));
        assertThrows(IllegalArgumentException.class, () -> Initializer.parse("magnitude-prune:x"));
    }
}
