package ntklc.compression;

/**
 * Cholesky factorisation {@code A = L·Lᵀ} of a symmetric positive-definite matrix and the solve
 * {@code A·X = B} (Golub &amp; Van Loan, Matrix Computations, 4th ed., Alg. 4.2.1, p. 164), in
 * double precision, row-major {@code n×n}.
 *
 * <p>NOTE: stand-in until {@code ntklc.linalg} (spectral engineer) lands with its SPD solve.
 */
final class Cholesky {
    private Cholesky() {
    }

    /**
     * Solves {@code A·X = B}.
     *
     * @param a {@code n×n} SPD, row-major (Modified: overwritten by L in its lower triangle)
     * @param b {@code n×k} row-major (Modified: overwritten by X)
     * @throws IllegalArgumentException if A is not numerically positive definite
     */
    static void solveInPlace(double[] a, int n, double[] b, int k) {
        for (int j = 0; j < n; j++) {
            double diag = a[j * n + j];
            for (int p = 0; p < j; p++) {
                diag -= a[j * n + p] * a[j * n + p];
            }
            if (!(diag > 0)) {
                throw new IllegalArgumentException("matrix is not positive definite (pivot " + j + " = " + diag + ")");
            }
            double ljj = Math.sqrt(diag);
            a[j * n + j] = ljj;
            final int col = j;
            ntklc.tensor.Parallel.forRange(n - j - 1, 64, (from, to) -> {
                for (int i = col + 1 + from; i < col + 1 + to; i++) {
                    double s = a[i * n + col];
                    for (int p = 0; p < col; p++) {
                        s -= a[i * n + p] * a[col * n + p];
                    }
                    a[i * n + col] = s / ljj;
                }
            });
        }
        // forward: L·Y = B
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < i; p++) {
                double l = a[i * n + p];
                for (int c = 0; c < k; c++) {
                    b[i * k + c] -= l * b[p * k + c];
                }
            }
            for (int c = 0; c < k; c++) {
                b[i * k + c] /= a[i * n + i];
            }
        }
        // backward: Lᵀ·X = Y
        for (int i = n - 1; i >= 0; i--) {
            for (int p = i + 1; p < n; p++) {
                double l = a[p * n + i];
                for (int c = 0; c < k; c++) {
                    b[i * k + c] -= l * b[p * k + c];
                }
            }
            for (int c = 0; c < k; c++) {
                b[i * k + c] /= a[i * n + i];
            }
        }
    }
}
