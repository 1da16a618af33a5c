package ntklc.linalg;

/**
 * Cholesky factorisation {@code A = L Lᵀ} of a symmetric positive-definite matrix and the solves
 * it gives (ridge regression {@code (GᵀG + λI) w = Gᵀy} in {@code ntklc.compression}).
 *
 * <p>Row-oriented (Cholesky–Banachiewicz) algorithm, Golub &amp; Van Loan, <i>Matrix
 * Computations</i>, 4th ed., §4.2.5 (Algorithm 4.2.1 computes the same factor column by
 * column): {@code L_ij = (A_ij − Σ_{k<j} L_ik L_jk) / L_jj}, {@code L_jj = √(A_jj − Σ_{k<j} L_jk²)}.
 * Only the lower triangle of A is read; an asymmetric input is refused like in
 * {@link SymmetricEigen}. A non-positive pivot means A is not (numerically) positive definite:
 * that is an {@link IllegalArgumentException} naming the pivot, never a silent NaN.
 *
 * <pre>{@code
 * Cholesky chol = Cholesky.factor(gram.addIdentityInPlace(lambda));
 * Matrix w = chol.solve(rhs);          // rhs: n×m, w: n×m
 * }</pre>
 */
public final class Cholesky {
    private final Matrix l;

    private Cholesky(Matrix l) {
        this.l = l;
    }

    /**
     * Factors the symmetric positive-definite {@code a} ({@code n×n}, not modified).
     *
     * @throws IllegalArgumentException if {@code a} is not square, not finite, not symmetric or
     *                                  not positive definite
     */
    public static Cholesky factor(Matrix a) {
        a.requireSquare("Cholesky");
        if (!a.isFinite()) {
            throw new IllegalArgumentException("Cholesky: matrix has NaN or infinite entries");
        }
        a.requireSymmetric("Cholesky", SymmetricEigen.SYMMETRY_TOLERANCE);
        int n = a.rows();
        Matrix l = Matrix.zeros(n, n);
        double[] ld = l.data();
        double[] ad = a.data();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = ad[i * n + j] - Simd.dot(ld, i * n, ld, j * n, j);
                if (i == j) {
                    if (!(s > 0)) {
                        throw new IllegalArgumentException("Cholesky: matrix is not positive definite (pivot " + i + " = "
                                + s + ")");
                    }
                    ld[i * n + i] = Math.sqrt(s);
                } else {
                    ld[i * n + j] = s / ld[j * n + j];
                }
            }
        }
        return new Cholesky(l);
    }

    /** The lower-triangular factor L ({@code n×n}), a copy. */
    public Matrix factorL() {
        return l.copy();
    }

    /** Order n of the factored matrix. */
    public int size() {
        return l.rows();
    }

    /** Solves {@code A x = b} for one right-hand side (length n, not modified). */
    public double[] solve(double[] b) {
        int n = l.rows();
        if (b.length != n) {
            throw new IllegalArgumentException("Cholesky.solve: right-hand side of length " + b.length + ", matrix is "
                    + n + "×" + n);
        }
        double[] ld = l.data();
        double[] x = b.clone();
        // L y = b (forward), then Lᵀ x = y (backward).
        for (int i = 0; i < n; i++) {
            x[i] = (x[i] - Simd.dot(ld, i * n, x, 0, i)) / ld[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--) {
            double s = x[i];
            for (int k = i + 1; k < n; k++) {
                s -= ld[k * n + i] * x[k];
            }
            x[i] = s / ld[i * n + i];
        }
        return x;
    }

    /** Solves {@code A X = B} column by column; {@code B: n×m} (not modified), returns {@code X: n×m}. */
    public Matrix solve(Matrix b) {
        int n = l.rows();
        if (b.rows() != n) {
            throw new IllegalArgumentException("Cholesky.solve: right-hand side " + b.shapeString() + ", matrix is " + n
                    + "×" + n);
        }
        Matrix x = Matrix.zeros(n, b.cols());
        for (int j = 0; j < b.cols(); j++) {
            double[] col = solve(b.column(j));
            for (int i = 0; i < n; i++) {
                x.set(i, j, col[i]);
            }
        }
        return x;
    }

    /** {@code log det A = 2 Σ_i log L_ii}. */
    public double logDeterminant() {
        double s = 0;
        for (int i = 0; i < l.rows(); i++) {
            s += Math.log(l.get(i, i));
        }
        return 2 * s;
    }
}
