package ntklc.compression;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class WeightLawTest {
    private static final int ROWS = 200;
    private static final int COLS = 500;

    @Test
    void iidTernaryHasUnitVarianceAndSparsityEpsilon() {
        // Paper Eq. (16): P(0) = ε, values ±1/√(1−ε): mean 0, E[w²] = 1, E[w⁴] = 1/(1−ε).
        double eps = 0.9;
        float[] w = new WeightLaw.Ternary(eps, false).sample(ROWS, COLS, new SplittableRandom(1));
        int n = w.length;
        double sum = 0;
        double sumSq = 0;
        int zeros = 0;
        for (float x : w) {
            sum += x;
            sumSq += x * x;
            zeros += x == 0 ? 1 : 0;
            assertTrue(x == 0 || Math.abs(Math.abs(x) - 1 / Math.sqrt(1 - eps)) < 1e-6);
        }
        // 5-sigma bounds: sd(mean w) = 1/√n; sd(mean w²) = √(E[w⁴] − 1)/√n = 3/√n; sd(zero fraction) = √(ε(1−ε)/n)
        assertEquals(0, sum / n, 5 / Math.sqrt(n));
        assertEquals(1, sumSq / n, 5 * 3 / Math.sqrt(n));
        assertEquals(eps, (double) zeros / n, 5 * Math.sqrt(eps * (1 - eps) / n));
    }

    @Test
    void exactCountTernaryHasExactlyTheReferenceCodesCounts() {
        // Spec §7.1: exactly round(½(1−ε)N) entries of each sign.
        double eps = 0.5;
        float[] w = new WeightLaw.Ternary(eps, true).sample(ROWS, COLS, new SplittableRandom(2));
        int plus = 0;
        int minus = 0;
        for (float x : w) {
            plus += x > 0 ? 1 : 0;
            minus += x < 0 ? 1 : 0;
        }
        long expected = Math.round(0.5 * (1 - eps) * ROWS * COLS);
        assertEquals(expected, plus);
        assertEquals(expected, minus);
    }

    @Test
    void naiveSparseZeroesTheRequestedFraction() {
        float[] w = new WeightLaw.NaiveSparse(0.8).sample(ROWS, COLS, new SplittableRandom(3));
        int zeros = 0;
        for (float x : w) {
            zeros += x == 0 ? 1 : 0;
        }
        int n = w.length;
        assertEquals(0.8, (double) zeros / n, 5 * Math.sqrt(0.8 * 0.2 / n));
    }

    @Test
    void magnitudePruningRemovesExactlyTheSmallestWeights() {
        // Second construction: the same seed gives the same Gaussian draws before pruning.
        float[] dense = new WeightLaw.Gaussian().sample(ROWS, COLS, new SplittableRandom(4));
        float[] pruned = new WeightLaw.MagnitudePrune(0.93).sample(ROWS, COLS, new SplittableRandom(4));
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
    void sameSeedSameMatrixAndParsing() {
        assertArrayEquals(new WeightLaw.Gaussian().sample(70, 30, new SplittableRandom(9)),
                new WeightLaw.Gaussian().sample(70, 30, new SplittableRandom(9)));
        assertEquals(new WeightLaw.Ternary(0.5, false), WeightLaw.parse("ternary:0.5"));
        assertEquals(new WeightLaw.Ternary(0.5, true), WeightLaw.parse("ternary-exact:0.5"));
        assertEquals(new WeightLaw.MagnitudePrune(0.9), WeightLaw.parse("magnitude-prune:0.9"));
        assertThrows(IllegalArgumentException.class, () -> WeightLaw.parse("ternary:1.0"));
        assertThrows(IllegalArgumentException.class, () -> WeightLaw.parse("bernoulli"));
    }
}
