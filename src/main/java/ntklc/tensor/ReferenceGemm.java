package ntklc.tensor;

/**
 * gemm0, the reference every other GEMM variant is checked against: {@code C += op(A)·op(B)} by
 * the definition, {@code c_ij += Σ_p a_ip·b_pj}, each sum accumulated in double and rounded to
 * float once. No blocking, no threads; it exists to be obviously right (in the manner of llm.c's
 * CPU reference kernels), and {@code bench --op=gemm} times it only on small sizes.
 */
final class ReferenceGemm implements MatMul.Kernel {
    @Override
    public String name() {
        return "gemm0";
    }

    @Override
    public String description() {
        return "reference (triple loop, double sums)";
    }

    @Override
    public void multiplyAdd(int m, int n, int k, float[] a, int aOff, int aRs, int aCs,
                            float[] b, int bOff, int bRs, int bCs, float[] c, int cOff, int ldc, boolean parallel) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = c[cOff + i * ldc + j];
                for (int p = 0; p < k; p++) {
                    sum += (double) a[aOff + i * aRs + p * aCs] * b[bOff + p * bRs + j * bCs];
                }
                c[cOff + i * ldc + j] = (float) sum;
            }
        }
    }
}
