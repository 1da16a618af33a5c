package ntklc.compression.packed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import ntklc.activation.Activation;
import ntklc.activation.Activations;
import ntklc.compression.RandomFeatureNetwork;
import ntklc.nn.Initializer;
import ntklc.tensor.MatMul;
import ntklc.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The packed engine against the dense float network it emulates (the independent reference,
 * {@link RandomFeatureNetwork}) and against a second bit kernel.
 */
class PackedNetworkTest {
    /** Unit round-off of float32. */
    private static final double U = Math.ulp(1.0f) / 2;

    /** A random 0/1 matrix {@code n×d} with P(1) = {@code density}. */
    static boolean[][] randomBits(int n, int d, double density, SplittableRandom rng) {
        boolean[][] b = new boolean[n][d];
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < d; i++) {
                b[s][i] = rng.nextDouble() < density;
            }
        }
        return b;
    }

    /** Sample-sliced words {@code in[i·nBlk + β]}, bit s = sample 64β + s. */
    static long[] sampleSliced(boolean[][] b, int d) {
        int nBlk = (b.length + 63) / 64;
        long[] w = new long[d * nBlk];
        for (int s = 0; s < b.length; s++) {
            for (int i = 0; i < d; i++) {
                if (b[s][i]) {
                    w[i * nBlk + s / 64] |= 1L << s;
                }
            }
        }
        return w;
    }

    /** Sample rows {@code h[s·words + ⌊i/64⌋]}, bit i mod 64. */
    static long[] sampleRows(boolean[][] b, int d) {
        int words = TernaryMatrix.wordsPerRow(d);
        long[] w = new long[b.length * words];
        for (int s = 0; s < b.length; s++) {
            for (int i = 0; i < d; i++) {
                if (b[s][i]) {
                    w[s * words + i / 64] |= 1L << i;
                }
            }
        }
        return w;
    }

    @Test
    void transposeOf64x64BitsMatchesEntryByEntry() {
        SplittableRandom rng = new SplittableRandom(3);
        long[] a = new long[64];
        for (int r = 0; r < 64; r++) {
            a[r] = rng.nextLong();
        }
        long[] t = a.clone();
        Bits.transpose64(t);
        for (int r = 0; r < 64; r++) {
            for (int c = 0; c < 64; c++) {
                assertEquals(a[r] >>> c & 1, t[c] >>> r & 1, "entry (" + r + ", " + c + ")");
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"0.0, SIGNS", "0.5, PLANES", "0.9, INDICES", "0.95, INDICES"})
    void packedSampleIsTheDenseDrawOfTheSameSeed(double epsilon, String form) {
        // 1100 rows: more than one sampling chunk (1024 rows) and a partial block of 64; 131 columns.
        Initializer.SparseTernary law = new Initializer.SparseTernary(epsilon, false);
        Tensor dense = law.sample(1100, 131, new SplittableRandom(5));
        TernaryMatrix t = TernaryMatrix.sample(law, 1100, 131, new SplittableRandom(5));
        assertEquals(TernaryMatrix.Form.valueOf(form), t.form());
        Tensor back = MatMul.transpose(t.denseTransposed());
        assertArrayEquals(dense.data(), back.data());
        long nz = 0;
        for (float v : dense.data()) {
            nz += v != 0 ? 1 : 0;
        }
        assertEquals(nz, t.nonZero());
        for (int j = 0; j < 1100; j += 97) {
            int sum = 0;
            for (int i = 0; i < 131; i++) {
                sum += (int) Math.signum(dense.get(j, i));
                assertEquals((int) Math.signum(dense.get(j, i)), t.entry(j, i));
            }
            assertEquals(sum, t.rowSum(j));
        }
    }

    @ParameterizedTest
    @CsvSource({"1, 0.0", "1, 0.9", "1000, 0.0", "1000, 0.9", "130, 0.5", "64, 0.97", "300, 0.9", "300, 0.5", "257, 0.0"})
    void bitCountsAreExactIntegerProducts(int n, double epsilon) {
        // Reference: the dense float GEMM of the 0/1 inputs with T (entries ±1, 0): every partial
        // sum is an integer below 2^24, so the float product is exact.
        SplittableRandom rng = new SplittableRandom(17);
        int dIn = 200;
        int dOut = 77;
        TernaryMatrix t = TernaryMatrix.sample(new Initializer.SparseTernary(epsilon, false), dOut, dIn, rng);
        boolean[][] b = randomBits(n, dIn, 0.3, rng);
        Tensor h = Tensor.zeros(n, dIn);
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < dIn; i++) {
                h.set(s, i, b[s][i] ? 1 : 0);
            }
        }
        Tensor tT = t.denseTransposed();
        for (int k = 0; k < tT.size(); k++) {
            tT.data()[k] = Math.signum(tT.data()[k]);
        }
        float[] reference = MatMul.matmul(h, tT).data();
        int[] sliced = TernaryLayer.counts(t, sampleSliced(b, dIn), (n + 63) / 64, n);
        int[] popcount = PopcountKernel.counts(sampleRows(b, dIn), n, t.plusPlane(), t.signsOnly() ? null : t.minusPlane(),
                dOut, t.words());
        for (int k = 0; k < reference.length; k++) {
            assertEquals((int) reference[k], sliced[k], "bit-sliced count " + k);
            assertEquals((int) reference[k], popcount[k], "popcount count " + k);
        }
    }

    @ParameterizedTest
    @CsvSource({"0", "1", "15", "16", "17", "111", "112", "113", "500", "1999"})
    void wideSlicedCountsEqualDirectBitCounts(int m) {
        // Reference: each lane's count summed bit by bit; the wide (Vector API) and scalar counts
        // must both reproduce it level by level (tails of 1..15 words, chunks of 112 words).
        SplittableRandom rng = new SplittableRandom(31 + m);
        int cols = 2000;
        int nBlk = 6;
        long[] in = new long[cols * nBlk];
        for (int k = 0; k < in.length; k++) {
            in[k] = rng.nextLong() & rng.nextLong() | (rng.nextInt(4) == 0 ? rng.nextLong() : 0);
        }
        int[] idx = new int[m];
        for (int q = 0; q < m; q++) {
            idx[q] = rng.nextInt(cols);
        }
        int levels = BitSlicedKernel.levels(cols);
        for (SlicedCounts counts : List.of(SlicedCounts.SCALAR, SlicedCounts.best())) {
            int w = counts.blocks();
            long[] c = new long[levels * w];
            for (int block = 0; block + w <= nBlk; block += w) {
                java.util.Arrays.fill(c, -1L); // overwritten, not added to
                counts.count(in, nBlk, block, idx, m, c, levels);
                for (int k = 0; k < w; k++) {
                    for (int lane = 0; lane < 64; lane++) {
                        int expected = 0;
                        for (int q = 0; q < m; q++) {
                            expected += (int) (in[idx[q] * nBlk + block + k] >>> lane & 1);
                        }
                        int got = 0;
                        for (int l = 0; l < levels; l++) {
                            got |= (int) (c[l * w + k] >>> lane & 1) << l;
                        }
                        assertEquals(expected, got, w + " blocks per call, block " + (block + k) + ", lane " + lane);
                    }
                }
            }
        }
    }

    @Test
    void floatThresholdsAreTheLeastFloatsAtOrAboveTheThreshold() {
        // Property (class comment of FirstLayerKernel): a·τ ≥ t and a·nextDown(τ) < t, in double.
        SplittableRandom rng = new SplittableRandom(41);
        for (int r = 0; r < 2000; r++) {
            float a = (float) (0.5 + 4 * rng.nextDouble());
            double t = rng.nextGaussian() * Math.pow(10, rng.nextInt(7) - 3);
            float tau = FirstLayerKernel.floatThresholds(a, new double[] {t})[0];
            assertTrue((double) a * tau >= t, "a = " + a + ", t = " + t + ", τ = " + tau);
            assertTrue((double) a * Math.nextDown(tau) < t, "a = " + a + ", t = " + t + ", τ = " + tau);
        }
    }

    @Test
    void vectorThresholdBitsEqualTheScalarComparisons() {
        // Second implementation: the scalar default method of BlockSums.
        SplittableRandom rng = new SplittableRandom(43);
        float[] tau = {-0.3f, 0f, 0.25f, 1.5f};
        for (int r = 0; r < 50; r++) {
            float[] acc = new float[64];
            float[] total = new float[3 * 64];
            for (int s = 0; s < 64; s++) {
                acc[s] = (float) rng.nextGaussian();
            }
            acc[r % 64] = tau[r % tau.length]; // ties at a threshold
            for (int k = 0; k < total.length; k++) {
                total[k] = (float) rng.nextGaussian();
            }
            for (float[] tot : java.util.Arrays.asList(null, total)) {
                float[] a1 = acc.clone();
                float[] a2 = acc.clone();
                long[] b1 = new long[tau.length];
                long[] b2 = new long[tau.length];
                BlockSums.SCALAR.atLeast(a1, tot, 64, tau, b1);
                BlockSums.best().atLeast(a2, tot, 64, tau, b2);
                assertArrayEquals(b1, b2);
                for (int k = 0; k < tau.length; k++) {
                    for (int s = 0; s < 64; s++) {
                        float v = tot == null ? acc[s] : 2 * acc[s] - tot[64 + s];
                        assertEquals(v >= tau[k], (b1[k] >>> s & 1) != 0, "lane " + s + ", threshold " + k);
                    }
                }
            }
        }
    }

    @Test
    void atLeastComparesEveryLaneWithTheConstant() {
        // Property: [D ≥ k] for D over the whole range of a 9-level two's complement number.
        int levels = 9;
        for (int k = -120; k <= 120; k += 7) {
            for (int base = -127; base <= 127 - 63; base += 64) {
                long[] d = new long[levels];
                for (int s = 0; s < 64; s++) {
                    int v = base + s;
                    for (int l = 0; l < levels; l++) {
                        d[l] |= (long) (v >> l & 1) << s;
                    }
                }
                long ge = BitSlicedKernel.atLeast(d, levels, k);
                for (int s = 0; s < 64; s++) {
                    assertEquals(base + s >= k, (ge >>> s & 1) != 0, "D = " + (base + s) + ", k = " + k);
                }
            }
        }
    }

    /** An NTK-LC-like chain: σ_T on the hidden layers, σ_Q last (levels of the kind the solver returns). */
    static List<Activation> chain() {
        // thresholds that are not round numbers, as the solver's (see PredictTest.CHAIN)
        return List.of(Activations.binaryZero(-0.6137, 0.5821, 1.0), Activations.binaryZero(-0.4513, 0.7229, 1.0),
                Activations.binaryLast(-1.1173, -0.2951, 0.3533, 1.2089, 1.0, -0.8));
    }

    static Tensor gaussianRows(int n, int p, SplittableRandom rng) {
        Tensor x = Tensor.zeros(n, p);
        for (int k = 0; k < x.size(); k++) {
            x.data()[k] = (float) (rng.nextGaussian() / Math.sqrt(p));
        }
        return x;
    }

    @ParameterizedTest
    @CsvSource({"1, 0.0, 100", "1, 0.9, 100", "1000, 0.0, 100", "1000, 0.9, 100", "1000, 0.0, 1000", "1000, 0.9, 300",
        "1000, 0.5, 512"})
    void packedFeaturesEqualTheDenseNetworkOnEverySampleTiesIncluded(int n, double epsilon, int batch) {
        // batch 100 runs 2 blocks of 64 samples (64-bit counts only), 300 one group of 4 blocks
        // (256-bit counts) and a single block, 512 and 1000 groups of 4 only. Both engines sum
        // exactly on the grids of ExactSums, so they must agree on every sample, including the
        // samples built below to put a first-layer pre-activation on a threshold.
        SplittableRandom data = new SplittableRandom(23);
        int p = 100;
        int[] widths = {150, 130, 70};
        Tensor x = gaussianRows(n, p, data);
        double tau0 = RandomFeatureNetwork.tau0(x);
        Initializer law = new Initializer.SparseTernary(epsilon, false);
        RandomFeatureNetwork dense = RandomFeatureNetwork.sample(p, widths, chain(), law, tau0, new SplittableRandom(9));
        PackedNetwork packed = PackedNetwork.sample(p, widths, chain(), law, tau0, new SplittableRandom(9));
        for (int l = 0; l < widths.length; l++) {
            assertEquals(dense.layers().get(l).centring(), packed.layers().get(l).centring(), 0.0, "m0 of layer " + (l + 1));
            assertEquals(dense.layers().get(l).preScale(), packed.layers().get(l).preScale(), 0.0, "s of layer " + (l + 1));
        }
        onThresholds(x, dense, data);
        Tensor fd = dense.features(x, 333);
        Tensor fp = packed.features(x, batch);
        for (int s = 0; s < n; s++) {
            for (int j = 0; j < fd.cols(); j++) {
                assertEquals(fd.get(s, j), fp.get(s, j), 0.0f, "sample " + s + ", feature " + j);
            }
        }
        // Non-vacuous: most samples have a unit within float rounding of a threshold in an
        // unrounded float pass (nearThreshold), where a non-exact engine may decide either way.
        int near = 0;
        for (boolean b : nearThreshold(dense, x)) {
            near += b ? 1 : 0;
        }
        assertTrue(near >= n / 2, near + " of " + n + " samples near a threshold");
    }

    /**
     * Moves each sample s along row j = s mod d_1 of T_1 so that unit j's first-layer pre-activation
     * {@code a·Σ_i T_ji x_i} equals one of σ_1's thresholds in double before the rows are rounded to
     * float: the float data then put that unit within rounding of the threshold. Modified: x.
     */
    static void onThresholds(Tensor x, RandomFeatureNetwork net, SplittableRandom rng) {
        RandomFeatureNetwork.Layer first = net.layers().get(0);
        Tensor signs = first.weightsT();
        double[] thresholds = ((ntklc.activation.PiecewiseConstant) first.activation()).thresholds();
        for (int s = 0; s < x.rows(); s++) {
            int j = s % signs.cols();
            double dot = 0;
            int nonZero = 0;
            for (int i = 0; i < x.cols(); i++) {
                dot += signs.get(i, j) * (double) x.get(s, i);
                nonZero += signs.get(i, j) != 0 ? 1 : 0;
            }
            if (nonZero == 0) {
                continue;
            }
            double t = thresholds[rng.nextInt(thresholds.length)];
            double shift = (t / first.level() - dot) / nonZero;
            for (int i = 0; i < x.cols(); i++) {
                x.set(s, i, (float) (x.get(s, i) + shift * signs.get(i, j)));
            }
        }
    }

    /**
     * Per sample: whether any unit of any layer of an unrounded float pass (input not on its grid,
     * levels not on theirs, {@code a·T} in the GEMM: the dense engine before {@code ExactSums}) has
     * its pre-activation z within the rounding bound of a threshold,
     * {@code |z − t| ≤ 2·γ_{d+2}·Σ_i |h_i||w_ji|} (Higham, Accuracy and Stability of Numerical
     * Algorithms, 2nd ed., §3.1: a dot product of length d is within γ_d = d·u/(1 − d·u) of exact
     * relative to Σ|h||w|; one γ for each of two summation orders, +2 for the rounding of the
     * inputs h): where two such float engines could decide a unit differently.
     */
    static boolean[] nearThreshold(RandomFeatureNetwork net, Tensor x) {
        int n = x.rows();
        boolean[] near = new boolean[n];
        Tensor h = x;
        for (RandomFeatureNetwork.Layer layer : net.layers()) {
            Tensor wT = layer.weightsT().copy();
            for (int k = 0; k < wT.size(); k++) {
                wT.data()[k] *= layer.level();
            }
            int d = wT.rows();
            double gamma = (d + 2) * U / (1 - (d + 2) * U);
            Tensor z = MatMul.matmul(h, wT);
            Tensor absH = Tensor.zeros(h.rows(), h.cols());
            Tensor absW = Tensor.zeros(wT.rows(), wT.cols());
            for (int k = 0; k < h.size(); k++) {
                absH.data()[k] = Math.abs(h.data()[k]);
            }
            for (int k = 0; k < wT.size(); k++) {
                absW.data()[k] = Math.abs(wT.data()[k]);
            }
            Tensor mag = MatMul.matmul(absH, absW);
            double[] thresholds = layer.activation().breakPoints();
            Tensor next = Tensor.zeros(n, wT.cols());
            double scale = 1 / Math.sqrt(layer.width());
            for (int s = 0; s < n; s++) {
                for (int j = 0; j < wT.cols(); j++) {
                    float zz = z.get(s, j);
                    double bound = 2 * gamma * mag.get(s, j) * 1.01;
                    for (double t : thresholds) {
                        near[s] |= Math.abs(zz - t) <= bound;
                    }
                    next.set(s, j, (float) ((layer.activation().value(zz) - layer.centring()) * scale));
                }
            }
            h = next;
        }
        return near;
    }

    @Test
    void vectorBlockSumsEqualTheScalarLoops() {
        // Both add the same floats in the same order per lane, so they agree exactly.
        SplittableRandom rng = new SplittableRandom(12);
        float[] x = new float[37 * 64];
        for (int k = 0; k < x.length; k++) {
            x[k] = (float) rng.nextGaussian();
        }
        int[] plus = {0, 5, 6, 30, 36};
        int[] minus = {1, 2, 17};
        float[] a = new float[64];
        float[] b = new float[64];
        BlockSums.SCALAR.sum(x, 0, plus, plus.length, minus, minus.length, a);
        BlockSums.best().sum(x, 0, plus, plus.length, minus, minus.length, b);
        assertArrayEquals(a, b);
        float[] expected = new float[64];
        for (int s = 0; s < 64; s++) {
            for (int i : plus) {
                expected[s] += x[i * 64 + s];
            }
            for (int i : minus) {
                expected[s] -= x[i * 64 + s];
            }
        }
        assertArrayEquals(expected, a);
    }

    @Test
    void packedNetworkHoldsFarLessMemoryThanTheDenseOne() {
        // 2 bits per weight at most against 32: a factor ≥ 16 on the weights, less the constants.
        PackedNetwork net = PackedNetwork.sample(100, new int[] {640, 640, 320}, chain(),
                new Initializer.SparseTernary(0.5, false), 1.0, new SplittableRandom(1));
        long denseBytes = 4L * (100 * 640 + 640 * 640 + 640 * 320);
        assertTrue(net.residentBytes() * 12 < denseBytes, net.residentBytes() + " vs " + denseBytes);
    }
}
