package ntklc.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

import ntklc.tensor.CpuCaches;
import ntklc.tensor.MatMul;
import ntklc.tensor.Parallel;

/**
 * dgemm1: register-blocked double-precision matrix product {@code C += A·B} on row-major
 * sub-matrices, the level-3 kernel the divide-and-conquer eigensolver and the blocked
 * back-transformation spend their flops in.
 *
 * <p>It belongs to the project's GEMM scheme of {@link ntklc.tensor.MatMul} (a named reference,
 * numbered fast variants checked against it, one rule for going parallel): its reference
 * ({@code dgemm0}) is the triple loop of {@code TridiagonalDivideConquerTest}, which checks this
 * kernel against it within Higham's bound, and it splits over the cores by
 * {@link ntklc.tensor.MatMul#splitAcrossCores}. The block depth comes from the L1 data cache the
 * OS reports ({@link CpuCaches}).
 *
 * <p>The layout follows Goto &amp; van de Geijn, "Anatomy of high-performance matrix
 * multiplication", ACM TOMS 34(3), 2008, §4: {@code B} is packed, {@link #KC} rows at a time,
 * into panels of {@code 2·W} columns (W = SIMD lanes) so that the micro-kernel streams it
 * contiguously; each tile of six rows of {@code A} is packed too, the six rows interleaved, and
 * each 6×2W tile of {@code C} is held in twelve vector registers for the whole {@code KC}-long
 * inner product (six broadcasts of {@code A} and two loads of {@code B} per twelve fused
 * multiply–adds; with AVX2's sixteen registers, fifteen are in use). Row tiles are spread over
 * threads, and each runs along the whole packed block of B (see {@link #multiplyAdd} for why not
 * the other way round).
 *
 * <p>NOTE: until C2 compiles the micro-kernel the Vector API runs boxed, hundreds of times
 * slower; in a fresh JVM the first large product pays about a second for that (measured on the
 * 2-core AMD EPYC dev machine). Warming the kernel up on tiny tiles in a static initialiser did
 * not shorten it, so there is none.
 *
 * <p>Addressing: element {@code (i, j)} of {@code A} is {@code a[ao + i·lda + j]}, likewise for
 * {@code B} and {@code C}.
 */
final class Gemm {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int W = S.length();
    /** Columns of one packed panel of B (two vectors). */
    private static final int NR = 2 * W;
    /** Rows of A (and C) per micro-tile. */
    private static final int MR = 6;
    /**
     * Depth of one packed block of B: a {@code KC × NR} panel of doubles fills half of the L1 data
     * cache ({@code KC = L1d / (2·NR·8)}, rounded down to a multiple of 8, within [64, 512]), so
     * that it and the {@code MR × KC} tile of A it meets (three quarters of its size) share the
     * L1; 256 with AVX2 and a 32 KiB L1.
     */
    static final int KC = Math.max(64, Math.min(512, CpuCaches.current().l1d() / (2 * NR * Double.BYTES) / 8 * 8));

    private Gemm() {
    }

    /**
     * {@code C[m×n] += A[m×k]·B[k×n]}. {@code c} is Modified; {@code a}, {@code b} are not.
     *
     * <p>Per depth block of {@link #KC}: all of B's rows of the block packed ({@code KC × n},
     * shared by the threads), then each thread takes its row tiles one at a time, packs the
     * tile's A ({@code MR × KC}, kept in L1) and runs it along every panel of B, so that the
     * tile's C rows are written left to right, six sequential streams the hardware prefetcher
     * follows. (Running each B panel down a group of tiles instead, as Goto and van de Geijn do,
     * jumps between rows of C on every call: with a shallow depth, as in the eigensolver's
     * rank-64 updates, C's cache misses then cost a third of the time. On the 2-core AMD EPYC,
     * n = 2000, two threads: depth 64 15–16 → 22–24 GMAC/s, depth 2000 20–25 → 24–28.)
     */
    static void multiplyAdd(int m, int n, int k, double[] a, int ao, int lda, double[] b, int bo, int ldb,
                            double[] c, int co, int ldc) {
        product(false, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc);
    }

    /**
     * {@code C[m×n] += Aᵀ·B[k×n]} with {@code A} stored {@code k×m} (element {@code (p, i)} at
     * {@code a[ao + p·lda + i]}): {@link #multiplyAdd} but for the packing of A, which reads six
     * neighbouring entries of a row of A per step. {@code c} is Modified; {@code a}, {@code b} are not.
     */
    static void multiplyAddTransA(int m, int n, int k, double[] a, int ao, int lda, double[] b, int bo, int ldb,
                                  double[] c, int co, int ldc) {
        product(true, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc);
    }

    private static void product(boolean transA, int m, int n, int k, double[] a, int ao, int lda, double[] b, int bo,
                                int ldb, double[] c, int co, int ldc) {
        if (m == 0 || n == 0 || k == 0) {
            return;
        }
        boolean split = MatMul.splitAcrossCores(m, n, k);
        int panels = (n + NR - 1) / NR;
        // the deepest block: the stride of the packed panels, so a shallow product packs no more
        int depth = Math.min(KC, k);
        double[] packed = new double[Math.multiplyExact(panels, depth * NR)];
        int tiles = (m + MR - 1) / MR;
        int minTiles = split ? Math.max(1, tiles / (4 * Parallel.threads())) : tiles;
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kc = Math.min(KC, k - p0);
            pack(b, bo + p0 * ldb, ldb, kc, n, packed, depth, split);
            int pStart = p0;
            Parallel.forRange(tiles, minTiles, (t0, t1) -> {
                double[] ap = new double[depth * MR];
                double[] tile = new double[MR * NR];
                for (int t = t0; t < t1; t++) {
                    int i0 = t * MR;
                    int mr = Math.min(MR, m - i0);
                    if (transA) {
                        packTransposedA(a, ao + pStart * lda + i0, lda, mr, kc, ap);
                    } else {
                        packA(a, ao + i0 * lda + pStart, lda, mr, kc, ap);
                    }
                    for (int panel = 0; panel < panels; panel++) {
                        int j0 = panel * NR;
                        int nr = Math.min(NR, n - j0);
                        int poff = panel * depth * NR;
                        if (mr == MR && nr == NR) {
                            kernel(kc, ap, 0, packed, poff, c, co + i0 * ldc + j0, ldc);
                        } else {
                            java.util.Arrays.fill(tile, 0);
                            kernel(kc, ap, 0, packed, poff, tile, 0, NR);
                            for (int r = 0; r < mr; r++) {
                                int crow = co + (i0 + r) * ldc + j0;
                                for (int jj = 0; jj < nr; jj++) {
                                    c[crow + jj] += tile[r * NR + jj];
                                }
                            }
                        }
                    }
                }
            });
        }
    }

    /**
     * Packs {@code mr ≤ MR} rows of A, {@code kc} columns from {@code ao}, interleaved:
     * {@code ap[p·MR + r] = A[r, p]}, rows past {@code mr} zero, so that the micro-kernel
     * reads A at {@code p·MR + r}, one index range checked once per loop.
     */
    private static void packA(double[] a, int ao, int lda, int mr, int kc, double[] ap) {
        for (int r = 0; r < MR; r++) {
            if (r < mr) {
                int row = ao + r * lda;
                for (int p = 0; p < kc; p++) {
                    ap[p * MR + r] = a[row + p];
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    ap[p * MR + r] = 0;
                }
            }
        }
    }

    /**
     * {@link #packA} for A stored transposed: {@code ap[p·MR + r] = a[ao + p·lda + r]}, the
     * entries past {@code mr} zero.
     */
    private static void packTransposedA(double[] a, int ao, int lda, int mr, int kc, double[] ap) {
        for (int p = 0; p < kc; p++) {
            int src = ao + p * lda;
            int dst = p * MR;
            for (int r = 0; r < mr; r++) {
                ap[dst + r] = a[src + r];
            }
            for (int r = mr; r < MR; r++) {
                ap[dst + r] = 0;
            }
        }
    }

    /**
     * Packs rows {@code [0, kc)} of {@code B} (n columns) into zero-padded panels of NR columns,
     * {@code depth} rows apart; with {@code parallel}, the panels split over the threads (the
     * packing is a copy of all of B's block, serial time the threads would otherwise wait for).
     */
    private static void pack(double[] b, int bo, int ldb, int kc, int n, double[] packed, int depth,
                             boolean parallel) {
        int panels = (n + NR - 1) / NR;
        Parallel.forRange(panels, parallel ? 1 : panels, (q0, q1) -> {
            for (int panel = q0; panel < q1; panel++) {
                int j0 = panel * NR;
                int nr = Math.min(NR, n - j0);
                int base = panel * depth * NR;
                for (int p = 0; p < kc; p++) {
                    int src = bo + p * ldb + j0;
                    int dst = base + p * NR;
                    if (nr == NR) {
                        DoubleVector.fromArray(S, b, src).intoArray(packed, dst);
                        DoubleVector.fromArray(S, b, src + W).intoArray(packed, dst + W);
                    } else {
                        for (int j = 0; j < NR; j++) {
                            packed[dst + j] = j < nr ? b[src + j] : 0;
                        }
                    }
                }
            }
        });
    }

    /**
     * The {@code MR×NR} micro-kernel: {@code C[0..MR, 0..NR) += Aₚ · panel} over {@code kc}
     * columns of the packed A ({@link #packA}) and rows of the packed B panel: twelve accumulators,
     * per column of A six broadcasts and two loads of B for twelve fused multiply–adds. It is
     * {@code ntklc.tensor.VectorGemm}'s float micro-kernel in doubles, line for line: the Vector API
     * has no vector type generic in its element type that C2 still compiles to registers.
     */
    private static void kernel(int kc, double[] ap, int ao, double[] pb, int po, double[] c, int ci, int ldc) {
        DoubleVector c00 = DoubleVector.zero(S);
        DoubleVector c01 = DoubleVector.zero(S);
        DoubleVector c10 = DoubleVector.zero(S);
        DoubleVector c11 = DoubleVector.zero(S);
        DoubleVector c20 = DoubleVector.zero(S);
        DoubleVector c21 = DoubleVector.zero(S);
        DoubleVector c30 = DoubleVector.zero(S);
        DoubleVector c31 = DoubleVector.zero(S);
        DoubleVector c40 = DoubleVector.zero(S);
        DoubleVector c41 = DoubleVector.zero(S);
        DoubleVector c50 = DoubleVector.zero(S);
        DoubleVector c51 = DoubleVector.zero(S);
        // The loop variable is the index into packed A, as in VectorGemm's kernel: counting p
        // with ai = ao + 6p, C2 rewrites 6p into two shifts and an add, no longer recognises
        // the scaled loop variable and checks A's range at every step.
        final int end = ao + MR * kc;
        int bi = po;
        for (int ai = ao; ai < end; ai += MR) {
            DoubleVector b0 = DoubleVector.fromArray(S, pb, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, pb, bi + W);
            bi += NR;
            DoubleVector x = DoubleVector.broadcast(S, ap[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(S, ap[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(S, ap[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(S, ap[ai + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = DoubleVector.broadcast(S, ap[ai + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = DoubleVector.broadcast(S, ap[ai + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        DoubleVector.fromArray(S, c, ci).add(c00).intoArray(c, ci);
        DoubleVector.fromArray(S, c, ci + W).add(c01).intoArray(c, ci + W);
        ci += ldc;
        DoubleVector.fromArray(S, c, ci).add(c10).intoArray(c, ci);
        DoubleVector.fromArray(S, c, ci + W).add(c11).intoArray(c, ci + W);
        ci += ldc;
        DoubleVector.fromArray(S, c, ci).add(c20).intoArray(c, ci);
        DoubleVector.fromArray(S, c, ci + W).add(c21).intoArray(c, ci + W);
        ci += ldc;
        DoubleVector.fromArray(S, c, ci).add(c30).intoArray(c, ci);
        DoubleVector.fromArray(S, c, ci + W).add(c31).intoArray(c, ci + W);
        ci += ldc;
        DoubleVector.fromArray(S, c, ci).add(c40).intoArray(c, ci);
        DoubleVector.fromArray(S, c, ci + W).add(c41).intoArray(c, ci + W);
        ci += ldc;
        DoubleVector.fromArray(S, c, ci).add(c50).intoArray(c, ci);
        DoubleVector.fromArray(S, c, ci + W).add(c51).intoArray(c, ci + W);
    }
}
