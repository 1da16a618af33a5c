package ntklc.linalg;

/**
 * Result of a symmetric eigen-decomposition {@code A = Σ_i λ_i u_i u_iᵀ}.
 *
 * @param values  all n eigenvalues, in decreasing order {@code λ_0 ≥ λ_1 ≥ … ≥ λ_{n−1}}
 * @param vectors {@code n×k}: column {@code j} is the unit eigenvector {@code u_j} of
 *                {@code values[j]}, for the {@code k} largest eigenvalues that were asked for
 *                ({@code k = 0}: values only; {@code k = n}: the full orthogonal matrix). Each
 *                vector's sign is fixed so that its largest-magnitude entry is positive.
 */
public record Eigen(double[] values, Matrix vectors) {
    public Eigen {
        if (vectors.rows() != values.length && vectors.cols() > 0) {
            throw new IllegalArgumentException(values.length + " eigenvalues but eigenvectors of length " + vectors.rows());
        }
    }

    /** Number of eigenvectors held (k). */
    public int vectorCount() {
        return vectors.cols();
    }

    /** A copy of eigenvector {@code j} (of {@code values[j]}). */
    public double[] vector(int j) {
        if (j >= vectors.cols()) {
            throw new IllegalArgumentException("eigenvector " + j + " was not computed (" + vectors.cols() + " were)");
        }
        return vectors.column(j);
    }
}
