package ntklc.tensor;

/**
 * Single-precision matrix multiply on the CPU: the reference implementation that every faster
 * backend is checked against.
 *
 * <p>{@code C = A·B} with {@code A: m×k}, {@code B: k×n}, {@code C: m×n}, all row-major. The
 * kernel walks {@code i, k, j} so that the innermost loop streams a row of {@code B} into a row of
 * {@code C} with one shared index {@code j}; HotSpot's C2 compiler turns such loops into SIMD code.
 * Four rows of {@code B} are combined per pass, so each load and store of {@code C} carries four
 * multiply-adds. The {@code k} loop is blocked ({@link #KC} rows of {@code B} at a time) so the
 * active rows of {@code B} stay in cache, and rows of {@code C} are split across cores
 * ({@link Parallel}). Transposed variants transpose one operand first: an
 * {@code O(n²)} copy against {@code O(n³)} work.
 */
public final class MatMul {
    /** Depth of one {@code k} block. */
    static final int KC = 128;

    private MatMul() {
    }

    /** Returns {@code A·B}; {@code A: m×k}, {@code B: k×n}. Not modified. */
    public static Tensor matmul(Tensor a, Tensor b) {
        int m = a.rows();
        int k = a.cols();
        if (b.rows() != k) {
            throw new IllegalArgumentException("matmul: inner dimensions differ, " + a.shapeString() + " · " + b.shapeString());
        }
        Tensor c = Tensor.zeros(m, b.cols());
        gemm(a.data(), b.data(), c.data(), m, k, b.cols(), false);
        return c;
    }

    /** Returns {@code Aᵀ·B}; {@code A: k×m}, {@code B: k×n}. Not modified. */
    public static Tensor matmulTransA(Tensor a, Tensor b) {
        return matmul(transpose(a), b);
    }

    /** Returns {@code A·Bᵀ}; {@code A: m×k}, {@code B: n×k}. Not modified. */
    public static Tensor matmulTransB(Tensor a, Tensor b) {
        return matmul(a, transpose(b));
    }

    /** Returns the transpose of a matrix. Not modified. */
    public static Tensor transpose(Tensor a) {
        int r = a.rows();
        int c = a.cols();
        Tensor t = Tensor.zeros(c, r);
        float[] src = a.data();
        float[] dst = t.data();
        final int tile = 32;
        Parallel.forRange((r + tile - 1) / tile, 4, (from, to) -> {
            for (int ib = from * tile; ib < Math.min(r, to * tile); ib += tile) {
                for (int jb = 0; jb < c; jb += tile) {
                    int iEnd = Math.min(r, ib + tile);
                    int jEnd = Math.min(c, jb + tile);
                    for (int i = ib; i < iEnd; i++) {
                        for (int j = jb; j < jEnd; j++) {
                            dst[j * r + i] = src[i * c + j];
                        }
                    }
                }
            }
        });
        return t;
    }

    /**
     * {@code C (+)= A·B} on raw row-major arrays. {@code C} is Modified: overwritten when
     * {@code accumulate} is false, added to otherwise.
     *
     * @param a {@code m×k}
     * @param b {@code k×n}
     * @param c {@code m×n}
     */
    public static void gemm(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate) {
        if (!accumulate) {
            java.util.Arrays.fill(c, 0, m * n, 0f);
        }
        if (m == 0 || n == 0 || k == 0) {
            return;
        }
        // NOTE: C2 vectorises "x[j] += s * y[j]" reliably only when every array is indexed by the
        // bare loop index (no per-array offset). B is therefore unpacked into one array per row,
        // and each task accumulates its rows of C in row arrays before copying them back.
        float[][] bRows = new float[k][];
        for (int p = 0; p < k; p++) {
            bRows[p] = java.util.Arrays.copyOfRange(b, p * n, (p + 1) * n);
        }
        long flops = 2L * m * n * k;
        int minRows = flops < 2_000_000 ? m : 1;
        Parallel.forRange(m, minRows, (r0, r1) -> gemmRows(a, bRows, c, r0, r1, k, n));
    }

    private static void gemmRows(float[] a, float[][] b, float[] c, int r0, int r1, int k, int n) {
        float[][] cRows = new float[r1 - r0][];
        for (int i = r0; i < r1; i++) {
            cRows[i - r0] = java.util.Arrays.copyOfRange(c, i * n, (i + 1) * n);
        }
        for (int kb = 0; kb < k; kb += KC) {
            int kEnd = Math.min(k, kb + KC);
            for (int i = r0; i < r1; i++) {
                float[] cr = cRows[i - r0];
                int aRow = i * k;
                int p = kb;
                for (; p + 3 < kEnd; p += 4) {
                    float a0 = a[aRow + p];
                    float a1 = a[aRow + p + 1];
                    float a2 = a[aRow + p + 2];
                    float a3 = a[aRow + p + 3];
                    float[] b0 = b[p];
                    float[] b1 = b[p + 1];
                    float[] b2 = b[p + 2];
                    float[] b3 = b[p + 3];
                    for (int j = 0; j < n; j++) {
                        cr[j] += a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
                    }
                }
                for (; p < kEnd; p++) {
                    float a0 = a[aRow + p];
                    float[] b0 = b[p];
                    for (int j = 0; j < n; j++) {
                        cr[j] += a0 * b0[j];
                    }
                }
            }
        }
        for (int i = r0; i < r1; i++) {
            System.arraycopy(cRows[i - r0], 0, c, i * n, n);
        }
    }
}
