package ntklc.tensor;

import java.util.Arrays;

/**
 * gemm1, the fallback GEMM kernel (no Vector API): {@code C += op(A)·op(B)} with loops that HotSpot's C2
 * compiler turns into SIMD code by itself (≈ 40–70 GFLOP/s on two AVX-512 cores).
 *
 * <p>The kernel walks {@code i, k, j} so that the innermost loop streams a row of {@code B} into a
 * row of {@code C} with one shared index {@code j}. Four rows of {@code B} are combined per pass,
 * so each load and store of {@code C} carries four multiply-adds; the {@code k} loop is blocked
 * ({@link #KC} rows of {@code B} at a time) so the active rows of {@code B} stay in cache, and
 * rows of {@code C} are split across cores.
 */
final class ScalarGemm implements MatMul.Kernel {
    /** Depth of one {@code k} block. */
    static final int KC = 128;

    @Override
    public String name() {
        return "gemm1";
    }

    @Override
    public String description() {
        return "scalar";
    }

    @Override
    public void multiplyAdd(int m, int n, int k, float[] a, int aOff, int aRs, int aCs,
                            float[] b, int bOff, int bRs, int bCs, float[] c, int cOff, int ldc, boolean parallel) {
        // NOTE: C2 vectorises "x[j] += s * y[j]" reliably only when every array is indexed by the
        // bare loop index (no per-array offset). B is therefore unpacked into one array per row,
        // and each task accumulates its rows of C in row arrays before copying them back.
        float[][] bRows = new float[k][n];
        for (int p = 0; p < k; p++) {
            float[] row = bRows[p];
            for (int j = 0; j < n; j++) {
                row[j] = b[bOff + p * bRs + j * bCs];
            }
        }
        int minRows = parallel && MatMul.splitAcrossCores(m, n, k) ? 1 : m;
        Parallel.forRange(m, minRows, (r0, r1) -> rows(a, aOff, aRs, aCs, bRows, c, cOff, ldc, r0, r1, k, n));
    }

    private static void rows(float[] a, int aOff, int aRs, int aCs, float[][] b, float[] c, int cOff, int ldc,
                             int r0, int r1, int k, int n) {
        float[][] cRows = new float[r1 - r0][];
        for (int i = r0; i < r1; i++) {
            cRows[i - r0] = Arrays.copyOfRange(c, cOff + i * ldc, cOff + i * ldc + n);
        }
        for (int kb = 0; kb < k; kb += KC) {
            int kEnd = Math.min(k, kb + KC);
            for (int i = r0; i < r1; i++) {
                float[] cr = cRows[i - r0];
                int aRow = aOff + i * aRs;
                int p = kb;
                for (; p + 3 < kEnd; p += 4) {
                    float a0 = a[aRow + p * aCs];
                    float a1 = a[aRow + (p + 1) * aCs];
                    float a2 = a[aRow + (p + 2) * aCs];
                    float a3 = a[aRow + (p + 3) * aCs];
                    float[] b0 = b[p];
                    float[] b1 = b[p + 1];
                    float[] b2 = b[p + 2];
                    float[] b3 = b[p + 3];
                    for (int j = 0; j < n; j++) {
                        cr[j] += a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
                    }
                }
                for (; p < kEnd; p++) {
                    float a0 = a[aRow + p * aCs];
                    float[] b0 = b[p];
                    for (int j = 0; j < n; j++) {
                        cr[j] += a0 * b0[j];
                    }
                }
            }
        }
        for (int i = r0; i < r1; i++) {
            System.arraycopy(cRows[i - r0], 0, c, cOff + i * ldc, n);
        }
    }
}
