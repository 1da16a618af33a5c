package ntklc.compression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The grids of {@link ExactSums}: the reference for every sum is exact decimal arithmetic
 * ({@link BigDecimal} holds any float exactly), so "exact" is checked, not assumed.
 */
class ExactSumsTest {
    /** Rows of mixed magnitude: Gaussians, entries 10⁻³⁰ to 10³, exact zeros, subnormals. */
    static float[] awkwardRow(int p, SplittableRandom rng) {
        float[] x = new float[p];
        for (int i = 0; i < p; i++) {
            x[i] = switch (rng.nextInt(5)) {
                case 0 -> (float) rng.nextGaussian();
                case 1 -> (float) (Math.pow(10, rng.nextDouble(-30, 3)) * (rng.nextBoolean() ? 1 : -1));
                case 2 -> 0f;
                case 3 -> Float.MIN_VALUE * rng.nextInt(1, 1000);
                default -> (float) (rng.nextGaussian() / Math.sqrt(p));
            };
        }
        return x;
    }

    static int[] signs(int p, double zeros, SplittableRandom rng) {
        int[] t = new int[p];
        for (int i = 0; i < p; i++) {
            t[i] = rng.nextDouble() < zeros ? 0 : rng.nextBoolean() ? 1 : -1;
        }
        return t;
    }

    static BigDecimal exact(float[] x, int[] t) {
        BigDecimal s = BigDecimal.ZERO;
        for (int i = 0; i < x.length; i++) {
            s = s.add(new BigDecimal(x[i]).multiply(BigDecimal.valueOf(t[i])));
        }
        return s;
    }

    /** The float sum of {@code t_i·x_i} over the indices in the given order. */
    static float floatSum(float[] x, int[] t, int[] order) {
        float s = 0;
        for (int i : order) {
            s += t[i] * x[i];
        }
        return s;
    }

    /** Pairwise (tree) summation, the order of a vectorised reduction. */
    static float pairwise(float[] x, int[] t, int from, int to) {
        if (to - from == 1) {
            return t[from] * x[from];
        }
        int mid = (from + to) >>> 1;
        return pairwise(x, t, from, mid) + pairwise(x, t, mid, to);
    }

    static int[][] orders(int p, SplittableRandom rng) {
        int[] forward = new int[p];
        int[] backward = new int[p];
        int[] shuffled = new int[p];
        for (int i = 0; i < p; i++) {
            forward[i] = i;
            backward[i] = p - 1 - i;
            shuffled[i] = i;
        }
        for (int i = p - 1; i > 0; i--) {
            int k = rng.nextInt(i + 1);
            int tmp = shuffled[i];
            shuffled[i] = shuffled[k];
            shuffled[k] = tmp;
        }
        return new int[][] {forward, backward, shuffled};
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 100, 784, 5000, 20000})
    void gridRowSumsAreExactInEveryOrder(int p) {
        SplittableRandom rng = new SplittableRandom(p);
        for (int trial = 0; trial < 20; trial++) {
            float[] x = awkwardRow(p, rng);
            float[] g = x.clone();
            ExactSums.gridRow(g, 0, p);
            double l1 = 0;
            for (float v : x) {
                l1 += Math.abs(v);
            }
            double delta = ExactSums.spacing(l1);
            // the grid: a power of two with l1 ≤ 2^23·δ < 2·l1, each entry moved by at most δ/2
            assertEquals(Math.scalb(1.0, Math.getExponent(delta)), delta, 0.0);
            assertTrue(l1 <= Math.scalb(delta, 23) && Math.scalb(delta, 23) < 2 * l1 || delta == Float.MIN_VALUE);
            for (int i = 0; i < p; i++) {
                assertTrue(Math.abs((double) g[i] - x[i]) <= delta / 2, "entry " + i);
                assertEquals(0.0, Math.IEEEremainder(g[i], delta), 0.0, "entry " + i + " on the grid");
            }
            int[] t = signs(p, trial % 2 == 0 ? 0.0 : 0.9, rng);
            BigDecimal reference = exact(g, t);
            for (int[] order : orders(p, rng)) {
                assertEquals(0, reference.compareTo(new BigDecimal(floatSum(g, t, order))), "p = " + p);
            }
            assertEquals(0, reference.compareTo(new BigDecimal(pairwise(g, t, 0, p))), "pairwise, p = " + p);
        }
    }

    @Test
    void ungriddedRowsDoNotSumExactly() {
        // Negative control: the same check fails on the raw rows, so the test above can fail.
        SplittableRandom rng = new SplittableRandom(5);
        int inexact = 0;
        for (int trial = 0; trial < 20; trial++) {
            float[] x = awkwardRow(784, rng);
            int[] t = signs(784, 0.0, rng);
            BigDecimal reference = exact(x, t);
            for (int[] order : orders(784, rng)) {
                inexact += reference.compareTo(new BigDecimal(floatSum(x, t, order))) != 0 ? 1 : 0;
            }
        }
        assertTrue(inexact > 30, inexact + " of 60 raw sums inexact");
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 100, 5000, 20000})
    void gridValuesSumExactlyOverAnyLayerInput(int d) {
        SplittableRandom rng = new SplittableRandom(d + 1);
        for (int trial = 0; trial < 10; trial++) {
            int levels = 2 + rng.nextInt(15);
            double[] c = new double[levels];
            for (int k = 0; k < levels; k++) {
                c[k] = rng.nextGaussian() * Math.pow(10, rng.nextInt(-3, 3));
            }
            c[levels - 1] = c[0]; // a repeated level, as σ_T has
            double m0 = rng.nextGaussian();
            float[] v = ExactSums.gridValues(c, m0, d);
            double largest = 0;
            for (int k = 0; k < levels; k++) {
                largest = Math.max(largest, Math.abs((float) ((c[k] - m0) / Math.sqrt(d))));
            }
            double delta = ExactSums.spacing(d * (double) largest);
            for (int k = 0; k < levels; k++) {
                double unrounded = (float) ((c[k] - m0) / Math.sqrt(d));
                assertTrue(Math.abs(v[k] - unrounded) <= delta / 2, "level " + k);
                // the documented size of the change: at most 2^−23·d of the largest value
                assertTrue(Math.abs(v[k] - unrounded) <= Math.scalb(d * largest, -23) * 1.0000001, "level " + k);
            }
            assertEquals(v[0], v[levels - 1], 0.0f);
            // the worst input: every unit at the largest |v|, signs mixed; then random inputs
            float[] h = new float[d];
            int worst = 0;
            for (int k = 1; k < levels; k++) {
                worst = Math.abs(v[k]) > Math.abs(v[worst]) ? k : worst;
            }
            java.util.Arrays.fill(h, v[worst]);
            int[] t = signs(d, 0.0, rng);
            int[] all = new int[d];
            java.util.Arrays.fill(all, 1);
            for (int[] tt : new int[][] {t, all}) {
                BigDecimal reference = exact(h, tt);
                for (int[] order : orders(d, rng)) {
                    assertEquals(0, reference.compareTo(new BigDecimal(floatSum(h, tt, order))), "d = " + d);
                }
            }
            for (int i = 0; i < d; i++) {
                h[i] = v[rng.nextInt(levels)];
            }
            BigDecimal reference = exact(h, t);
            for (int[] order : orders(d, rng)) {
                assertEquals(0, reference.compareTo(new BigDecimal(floatSum(h, t, order))), "d = " + d);
            }
            assertEquals(0, reference.compareTo(new BigDecimal(pairwise(h, t, 0, d))), "pairwise, d = " + d);
        }
    }
}
