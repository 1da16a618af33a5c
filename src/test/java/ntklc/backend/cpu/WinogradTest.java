package ntklc.backend.cpu;

import static ntklc.tensor.TestTensors.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import ntklc.tensor.Parallel;
import ntklc.tensor.Tensor;

/**
 * The Winograd F(2×2, 3×3) convolution ({@link Winograd3x3}, which {@link Conv3x3} takes for many
 * channels) against the defining sums of the three passes, written out in double here (a second
 * implementation: no tiles, no transforms). The shapes are small (so is the double reference), so the
 * passes are called on {@link Winograd3x3} itself, and one shape with many channels through {@link Conv3x3}. Each computed value must lie within the rounding bound
 * of Winograd's algorithm: {@code γ_m} (Higham, Lemma 3.1) times the same algorithm run on absolute
 * values, which this test computes in double with the transform matrices of Lavin &amp; Gray's
 * Eq. (7)–(9) as explicit matrices (not the hand-unrolled transforms of the class), with {@code m}
 * the longest chain of roundings: 11 plus the length of the sum over channels (forward: C; data
 * gradient: K) or over tiles and cores (weight gradient).
 */
class WinogradTest {
    /** N, C, H, W, K: odd sizes (tiles sticking out of the map), 3×3 maps, one chunk per core and several. */
    private static final int[][] SHAPES = {{2, 16, 5, 7, 17}, {1, 16, 3, 3, 16}, {3, 18, 30, 29, 16}, {1, 33, 4, 4, 20}};

    private static final double U = 0x1p-24;

    private static final double[][] BT = {{1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}};
    private static final double[][] G = {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}};
    private static final double[][] AT = {{1, 1, 1, 0}, {0, 1, -1, -1}};

    @Test
    void conv3x3TakesWinogradForManyChannelsOnly() {
        // VGG19: 64→64 on 32×32 maps and the wider layers take it; 32→32 (VGG19 at a quarter of its
        // width), the first layer (3 input channels) and the 2×2 maps (one dense product) do not.
        assertTrue(Winograd3x3.applies(64, 32, 32, 64) && Winograd3x3.applies(512, 4, 4, 512));
        assertTrue(!Winograd3x3.applies(32, 32, 32, 32) && !Winograd3x3.applies(3, 32, 32, 64));
        assertTrue(!Winograd3x3.applies(512, 2, 2, 512));
        // nor shapes whose 16 transformed weight matrices would not fit in one array (16·K·C > 2³¹)
        assertTrue(!Winograd3x3.applies(12000, 4, 4, 12000) && !Winograd3x3.applies(1 << 20, 4, 4, 200));
        // and through Conv3x3 the forward pass of such a shape is within Winograd's bound, not only im2col's
        SplittableRandom rng = new SplittableRandom(20);
        int[] s = {1, 170, 3, 5, 160};
        assertTrue(Winograd3x3.applies(s[1], s[2], s[3], s[4]));
        Tensor x = uniform(rng, s[0], s[1], s[2], s[3]);
        Tensor w = uniform(rng, s[4], s[1], 3, 3);
        float[] got = Conv3x3.forward(x, w).data();
        float[] winograd = new float[got.length];
        Winograd3x3.forward(x.data(), w.data(), winograd, s[0], s[1], s[2], s[3], s[4]);
        assertArrayEquals(winograd, got, 0f, "Conv3x3.forward is Winograd3x3.forward here");
        assertWithin(CpuReferenceTest.directConv(x, w), got,
                absForward(abs(x.data()), abs(w.data()), s[0], s[1], s[2], s[3], s[4]), gamma(s[1] + 11), "forward");
    }

    @Test
    void forwardPassIsWithinWinogradsRoundingBoundOfTheDefinition() {
        SplittableRandom rng = new SplittableRandom(21);
        for (int[] s : SHAPES) {
            Tensor x = uniform(rng, s[0], s[1], s[2], s[3]);
            Tensor w = uniform(rng, s[4], s[1], 3, 3);
            float[] got = new float[s[0] * s[4] * s[2] * s[3]];
            Winograd3x3.forward(x.data(), w.data(), got, s[0], s[1], s[2], s[3], s[4]);
            double[] exact = CpuReferenceTest.directConv(x, w);
            double[] bound = absForward(abs(x.data()), abs(w.data()), s[0], s[1], s[2], s[3], s[4]);
            assertWithin(exact, got, bound, gamma(s[1] + 11), "forward " + Arrays.toString(s));
        }
    }

    @Test
    void dataGradientIsWithinWinogradsRoundingBoundOfTheDefinition() {
        SplittableRandom rng = new SplittableRandom(22);
        for (int[] s : SHAPES) {
            int n = s[0], c = s[1], h = s[2], wd = s[3], k = s[4];
            Tensor w = uniform(rng, k, c, 3, 3);
            Tensor dy = uniform(rng, n, k, h, wd);
            // the data gradient as Conv3x3 computes it: the forward pass of dy with the flipped weights
            float[] got = new float[n * c * h * wd];
            Winograd3x3.forward(dy.data(), Conv3x3.flip(w).data(), got, n, k, h, wd, c);
            // dx[n,c,r,v] = Σ_{k,i,j} w[k,c,i,j]·dy[n,k,r−i+1,v−j+1], in double.
            double[] exact = new double[n * c * h * wd];
            for (int a = 0; a < n; a++) {
                for (int q = 0; q < c; q++) {
                    for (int r = 0; r < h; r++) {
                        for (int v = 0; v < wd; v++) {
                            double acc = 0;
                            for (int o = 0; o < k; o++) {
                                for (int i = 0; i < 3; i++) {
                                    for (int j = 0; j < 3; j++) {
                                        int rr = r - i + 1;
                                        int vv = v - j + 1;
                                        if (rr >= 0 && rr < h && vv >= 0 && vv < wd) {
                                            acc += (double) w.data()[((o * c + q) * 3 + i) * 3 + j]
                                                    * dy.data()[((a * k + o) * h + rr) * wd + vv];
                                        }
                                    }
                                }
                            }
                            exact[((a * c + q) * h + r) * wd + v] = acc;
                        }
                    }
                }
            }
            // The data gradient is the forward pass of dy with the flipped weights w[k,c,2−i,2−j] as C×K filters.
            double[] flipped = new double[c * k * 9];
            for (int o = 0; o < k; o++) {
                for (int q = 0; q < c; q++) {
                    for (int t = 0; t < 9; t++) {
                        flipped[(q * k + o) * 9 + 8 - t] = Math.abs(w.data()[(o * c + q) * 9 + t]);
                    }
                }
            }
            double[] bound = absForward(abs(dy.data()), flipped, n, k, h, wd, c);
            assertWithin(exact, got, bound, gamma(k + 11), "data gradient " + Arrays.toString(s));
        }
    }

    @Test
    void weightGradientIsWithinWinogradsRoundingBoundOfTheDefinition() {
        SplittableRandom rng = new SplittableRandom(23);
        for (int[] s : SHAPES) {
            int n = s[0], c = s[1], h = s[2], wd = s[3], k = s[4];
            Tensor x = uniform(rng, n, c, h, wd);
            Tensor dy = uniform(rng, n, k, h, wd);
            float[] got = new float[k * c * 9];
            Winograd3x3.backwardWeights(x.data(), dy.data(), got, n, c, h, wd, k);
            // dw[k,c,i,j] = Σ_{n,r,v} dy[n,k,r,v]·x[n,c,r+i−1,v+j−1], in double.
            double[] exact = new double[k * c * 9];
            for (int o = 0; o < k; o++) {
                for (int q = 0; q < c; q++) {
                    for (int i = 0; i < 3; i++) {
                        for (int j = 0; j < 3; j++) {
                            double acc = 0;
                            for (int a = 0; a < n; a++) {
                                for (int r = 0; r < h; r++) {
                                    for (int v = 0; v < wd; v++) {
                                        int rr = r + i - 1;
                                        int vv = v + j - 1;
                                        if (rr >= 0 && rr < h && vv >= 0 && vv < wd) {
                                            acc += (double) dy.data()[((a * k + o) * h + r) * wd + v]
                                                    * x.data()[((a * c + q) * h + rr) * wd + vv];
                                        }
                                    }
                                }
                            }
                            exact[((o * c + q) * 3 + i) * 3 + j] = acc;
                        }
                    }
                }
            }
            int tiles = n * ((h + 1) / 2) * ((wd + 1) / 2);
            double[] bound = absWeightGradient(abs(x.data()), abs(dy.data()), n, c, h, wd, k);
            assertWithin(exact, got, bound, gamma(tiles + 11 + Parallel.threads()),
                    "weight gradient " + Arrays.toString(s));
        }
    }

    /**
     * Every {@code |exact − got| ≤ γ·bound}, and the bound itself small against the values (below
     * 1e-2 of the largest |exact|), so that any wrong tap, sign or tile would fail.
     */
    private static void assertWithin(double[] exact, float[] got, double[] bound, double gamma, String what) {
        assertEquals(exact.length, got.length, what);
        double largest = 0;
        double largestBound = 0;
        for (int i = 0; i < exact.length; i++) {
            largest = Math.max(largest, Math.abs(exact[i]));
            largestBound = Math.max(largestBound, gamma * bound[i]);
            assertTrue(Math.abs(exact[i] - got[i]) <= gamma * bound[i],
                    what + " at " + i + ": " + got[i] + " against " + exact[i] + ", bound " + gamma * bound[i]);
        }
        assertTrue(largestBound < 1e-2 * largest, what + ": the bound " + largestBound + " is not small against " + largest);
    }

    private static double gamma(int m) {
        return m * U / (1 - m * U);
    }

    private static double[] abs(float[] a) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = Math.abs(a[i]);
        }
        return r;
    }

    /** {@code Σ_c |Aᵀ| [ (|G| g |Gᵀ|) ⊙ (|Bᵀ| d |B|) ] |A|} per output pixel, for non-negative {@code x} and {@code w}. */
    private static double[] absForward(double[] x, double[] w, int n, int c, int h, int wd, int k) {
        double[] y = new double[n * k * h * wd];
        double[][] g = abs(G);
        double[][] at = abs(AT);
        for (int a = 0; a < n; a++) {
            for (int ty = 0; 2 * ty < h; ty++) {
                for (int tx = 0; 2 * tx < wd; tx++) {
                    double[][][] v = absInputTiles(x, a, c, h, wd, ty, tx);
                    for (int o = 0; o < k; o++) {
                        double[][] m = new double[4][4];
                        for (int q = 0; q < c; q++) {
                            double[][] filter = new double[3][3];
                            for (int t = 0; t < 9; t++) {
                                filter[t / 3][t % 3] = w[(o * c + q) * 9 + t];
                            }
                            double[][] u = mul(mul(g, filter), transpose(g));
                            for (int i = 0; i < 4; i++) {
                                for (int j = 0; j < 4; j++) {
                                    m[i][j] += u[i][j] * v[q][i][j];
                                }
                            }
                        }
                        double[][] tile = mul(mul(at, m), transpose(at));
                        for (int i = 0; i < 2; i++) {
                            for (int j = 0; j < 2; j++) {
                                if (2 * ty + i < h && 2 * tx + j < wd) {
                                    y[((a * k + o) * h + 2 * ty + i) * wd + 2 * tx + j] = tile[i][j];
                                }
                            }
                        }
                    }
                }
            }
        }
        return y;
    }

    /** {@code |Gᵀ| [ Σ_t (|A| dY_t |Aᵀ|) ⊙ (|Bᵀ| d_t |B|) ] |G|} per weight, for non-negative {@code x} and {@code dy}. */
    private static double[] absWeightGradient(double[] x, double[] dy, int n, int c, int h, int wd, int k) {
        double[][] g = abs(G);
        double[][] at = abs(AT);
        double[][][][] du = new double[k][c][4][4];
        for (int a = 0; a < n; a++) {
            for (int ty = 0; 2 * ty < h; ty++) {
                for (int tx = 0; 2 * tx < wd; tx++) {
                    double[][][] v = absInputTiles(x, a, c, h, wd, ty, tx);
                    for (int o = 0; o < k; o++) {
                        double[][] p = new double[2][2];
                        for (int i = 0; i < 2; i++) {
                            for (int j = 0; j < 2; j++) {
                                int r = 2 * ty + i;
                                int s = 2 * tx + j;
                                p[i][j] = r < h && s < wd ? dy[((a * k + o) * h + r) * wd + s] : 0;
                            }
                        }
                        double[][] dm = mul(mul(transpose(at), p), at);
                        for (int q = 0; q < c; q++) {
                            for (int i = 0; i < 4; i++) {
                                for (int j = 0; j < 4; j++) {
                                    du[o][q][i][j] += dm[i][j] * v[q][i][j];
                                }
                            }
                        }
                    }
                }
            }
        }
        double[] dw = new double[k * c * 9];
        for (int o = 0; o < k; o++) {
            for (int q = 0; q < c; q++) {
                double[][] r = mul(mul(transpose(g), du[o][q]), g);
                for (int t = 0; t < 9; t++) {
                    dw[(o * c + q) * 9 + t] = r[t / 3][t % 3];
                }
            }
        }
        return dw;
    }

    /** {@code |Bᵀ| d |B|} of tile (ty, tx) of image {@code a}, per channel, for non-negative {@code x}. */
    private static double[][][] absInputTiles(double[] x, int a, int c, int h, int wd, int ty, int tx) {
        double[][] bt = abs(BT);
        double[][][] v = new double[c][][];
        for (int q = 0; q < c; q++) {
            v[q] = mul(mul(bt, patch(x, (a * c + q) * h * wd, h, wd, 2 * ty - 1, 2 * tx - 1)), transpose(bt));
        }
        return v;
    }

    /** The 4×4 patch of one channel's H×W map (from {@code off}) with top-left pixel (r0, c0), zero outside. */
    private static double[][] patch(double[] x, int off, int h, int wd, int r0, int c0) {
        double[][] d = new double[4][4];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                int r = r0 + i;
                int s = c0 + j;
                d[i][j] = r >= 0 && r < h && s >= 0 && s < wd ? x[off + r * wd + s] : 0;
            }
        }
        return d;
    }

    private static double[][] mul(double[][] a, double[][] b) {
        double[][] r = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b[0].length; j++) {
                for (int q = 0; q < b.length; q++) {
                    r[i][j] += a[i][q] * b[q][j];
                }
            }
        }
        return r;
    }

    private static double[][] transpose(double[][] a) {
        double[][] r = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                r[j][i] = a[i][j];
            }
        }
        return r;
    }

    private static double[][] abs(double[][] a) {
        double[][] r = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            r[i] = Arrays.stream(a[i]).map(Math::abs).toArray();
        }
        return r;
    }
}
