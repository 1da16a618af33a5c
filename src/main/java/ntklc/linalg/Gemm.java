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
 * contiguously, and each 4×2W tile of {@code C} is held in eight vector registers for the whole
 * {@code KC}-long inner product (four broadcasts of {@code A} and two loads of {@code B} per
 * eight fused multiply–adds). Row tiles are spread over threads.
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
    private static final int MR = 4;
    /**
     * Depth of one packed block of B: a {@code KC × NR} panel of doubles fills half of the L1 data
     * cache ({@code KC = L1d / (2·NR·8)}, rounded down to a multiple of 8, within [64, 512]);
     * 256 with AVX2 and a 32 KiB L1.
     */
    static final int KC = Math.max(64, Math.min(512, CpuCaches.current().l1d() / (2 * NR * Double.BYTES) / 8 * 8));
    /**
     * Columns of one packed block of B: a {@code KC × NC} block of doubles fills half of the L2
     * cache ({@code NC = L2 / (2·KC·8)}, a multiple of NR, at least NR), so that every row tile of
     * A sweeps a block that stays in L2 (Goto &amp; van de Geijn §4.2); 128 with a 512 KiB L2.
     */
    static final int NC = Math.max(NR, CpuCaches.current().l2() / (2 * KC * Double.BYTES) / NR * NR);

    private Gemm() {
    }

    /**
     * {@code C[m×n] += A[m×k]·B[k×n]}. {@code c} is Modified; {@code a}, {@code b} are not.
     */
    static void multiplyAdd(int m, int n, int k, double[] a, int ao, int lda, double[] b, int bo, int ldb,
                            double[] c, int co, int ldc) {
        if (m == 0 || n == 0 || k == 0) {
            return;
        }
        boolean split = MatMul.splitAcrossCores(m, n, k);
        for (int j0 = 0; j0 < n; j0 += NC) {
            multiplyAddBlock(m, Math.min(NC, n - j0), k, a, ao, lda, b, bo + j0, ldb, c, co + j0, ldc, split);
        }
    }

    /** {@link #multiplyAdd} on at most {@link #NC} columns, split over the cores if {@code split}. */
    private static void multiplyAddBlock(int m, int n, int k, double[] a, int ao, int lda, double[] b, int bo,
                                         int ldb, double[] c, int co, int ldc, boolean split) {
        int panels = (n + NR - 1) / NR;
        double[] packed = new double[panels * KC * NR];
        int tiles = (m + MR - 1) / MR;
        int minTiles = split ? Math.max(1, tiles / (4 * Parallel.threads())) : tiles;
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kc = Math.min(KC, k - p0);
            pack(b, bo + p0 * ldb, ldb, kc, n, packed);
            int pStart = p0;
            Parallel.forRange(tiles, minTiles, (t0, t1) -> {
                double[] tile = new double[MR * NR];
                for (int t = t0; t < t1; t++) {
                    int i0 = t * MR;
                    int mr = Math.min(MR, m - i0);
                    for (int panel = 0; panel < panels; panel++) {
                        int j0 = panel * NR;
                        int nr = Math.min(NR, n - j0);
                        int aoff = ao + i0 * lda + pStart;
                        int poff = panel * KC * NR;
                        if (mr == MR && nr == NR) {
                            kernel4(a, aoff, lda, packed, poff, kc, c, co + i0 * ldc + j0, ldc);
                        } else {
                            edge(a, aoff, lda, mr, packed, poff, kc, tile);
                            for (int r = 0; r < mr; r++) {
                                int crow = co + (i0 + r) * ldc + j0;
                                for (int j = 0; j < nr; j++) {
                                    c[crow + j] += tile[r * NR + j];
                                }
                            }
                        }
                    }
                }
            });
        }
    }

    /** Packs rows {@code [0, kc)} of {@code B} (n columns) into zero-padded panels of NR columns. */
    private static void pack(double[] b, int bo, int ldb, int kc, int n, double[] packed) {
        int panels = (n + NR - 1) / NR;
        for (int panel = 0; panel < panels; panel++) {
            int j0 = panel * NR;
            int nr = Math.min(NR, n - j0);
            int base = panel * KC * NR;
            for (int p = 0; p < kc; p++) {
                int dst = base + p * NR;
                System.arraycopy(b, bo + p * ldb + j0, packed, dst, nr);
                for (int j = nr; j < NR; j++) {
                    packed[dst + j] = 0;
                }
            }
        }
    }

    /** The 4×NR micro-kernel: {@code C[0..4, 0..NR) += A[0..4, 0..kc) · panel}. */
    private static void kernel4(double[] a, int ao, int lda, double[] pb, int po, int kc, double[] c, int co,
                                int ldc) {
        DoubleVector c00 = DoubleVector.zero(S);
        DoubleVector c01 = DoubleVector.zero(S);
        DoubleVector c10 = DoubleVector.zero(S);
        DoubleVector c11 = DoubleVector.zero(S);
        DoubleVector c20 = DoubleVector.zero(S);
        DoubleVector c21 = DoubleVector.zero(S);
        DoubleVector c30 = DoubleVector.zero(S);
        DoubleVector c31 = DoubleVector.zero(S);
        int a0 = ao;
        int a1 = ao + lda;
        int a2 = ao + 2 * lda;
        int a3 = ao + 3 * lda;
        for (int p = 0; p < kc; p++) {
            DoubleVector b0 = DoubleVector.fromArray(S, pb, po + p * NR);
            DoubleVector b1 = DoubleVector.fromArray(S, pb, po + p * NR + W);
            DoubleVector x = DoubleVector.broadcast(S, a[a0 + p]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            x = DoubleVector.broadcast(S, a[a1 + p]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            x = DoubleVector.broadcast(S, a[a2 + p]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            x = DoubleVector.broadcast(S, a[a3 + p]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
        }
        addInto(c00, c01, c, co);
        addInto(c10, c11, c, co + ldc);
        addInto(c20, c21, c, co + 2 * ldc);
        addInto(c30, c31, c, co + 3 * ldc);
    }

    private static void addInto(DoubleVector v0, DoubleVector v1, double[] c, int off) {
        v0.add(DoubleVector.fromArray(S, c, off)).intoArray(c, off);
        v1.add(DoubleVector.fromArray(S, c, off + W)).intoArray(c, off + W);
    }

    /** Ragged tile ({@code mr ≤ 4} rows, panel padded with zeros): {@code tile = A·panel}. {@code tile} is Modified. */
    private static void edge(double[] a, int ao, int lda, int mr, double[] pb, int po, int kc, double[] tile) {
        for (int r = 0; r < mr; r++) {
            DoubleVector acc0 = DoubleVector.zero(S);
            DoubleVector acc1 = DoubleVector.zero(S);
            int arow = ao + r * lda;
            for (int p = 0; p < kc; p++) {
                DoubleVector x = DoubleVector.broadcast(S, a[arow + p]);
                acc0 = DoubleVector.fromArray(S, pb, po + p * NR).fma(x, acc0);
                acc1 = DoubleVector.fromArray(S, pb, po + p * NR + W).fma(x, acc1);
            }
            acc0.intoArray(tile, r * NR);
            acc1.intoArray(tile, r * NR + W);
        }
    }
}
