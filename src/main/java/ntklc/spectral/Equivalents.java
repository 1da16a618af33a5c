package ntklc.spectral;

import ntklc.linalg.Matrix;

/**
 * The random-matrix equivalents K̃_CK (Theorem 1, paper Eq. (8)) and K̃_NTK (Theorem 2) of
 * docs/theory.md §4.2 and §5.1, in the cheap form of the identity of docs/theory.md §1.1:
 *
 * <pre>
 *   K̃ = c_lin·XᵀX + c_rank1·v vᵀ + c_cov·J T Jᵀ/p + c_id·I_n,
 *   [J T Jᵀ]_ij = T_{a(i) a(j)},
 * </pre>
 * which equals {@code α1 XᵀX + V A Vᵀ + c I} of the paper for {@code v = J t/√p + ψ}
 * ({@link DataStatistics.Form#PSI_T}); {@link DataStatistics.Form#V} uses
 * {@code v_i = ‖x_i‖² − τ0²} instead. All matrices n×n.
 */
public final class Equivalents {
    private Equivalents() {
    }

    /**
     * Builds K̃.
     *
     * @param gram  {@code XᵀX}, n×n (not modified)
     * @param stats class labels, T, ψ, norms and τ0 of the same n samples
     * @param form  how v is formed
     * @param c     the four coefficients (CK: α, c; NTK: β, c')
     */
    public static Matrix build(Matrix gram, DataStatistics stats, DataStatistics.Form form, EquivalentCoefficients c) {
        int n = gram.rows();
        if (gram.cols() != n || stats.n() != n) {
            throw new IllegalArgumentException("Equivalents: Gram matrix " + gram.shapeString() + " but " + stats.n()
                    + " samples");
        }
        double[] v = stats.v(form);
        int[] lab = stats.labels();
        double[][] t = stats.T();
        double invP = 1.0 / stats.p();
        Matrix out = Matrix.zeros(n, n);
        double[] g = gram.data();
        double[] o = out.data();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                o[i * n + j] = c.linear() * g[i * n + j] + c.rankOne() * v[i] * v[j]
                        + c.classCovariance() * t[lab[i]][lab[j]] * invP;
            }
            o[i * n + i] += c.identity();
        }
        return out;
    }
}
