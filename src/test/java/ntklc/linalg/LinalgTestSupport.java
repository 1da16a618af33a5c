package ntklc.linalg;

import java.util.SplittableRandom;

/** Random test matrices with known spectra. */
final class LinalgTestSupport {
    private LinalgTestSupport() {
    }

    static Matrix randomMatrix(int rows, int cols, SplittableRandom rng) {
        Matrix m = Matrix.zeros(rows, cols);
        double[] d = m.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = rng.nextDouble() * 2 - 1;
        }
        return m;
    }

    /** (B + Bᵀ)/2 for a uniform random B. */
    static Matrix randomSymmetric(int n, SplittableRandom rng) {
        Matrix b = randomMatrix(n, n, rng);
        return b.plus(b.transpose()).times(0.5);
    }

    /** A random orthogonal matrix: modified Gram–Schmidt on the columns of a random matrix. */
    static Matrix randomOrthogonal(int n, SplittableRandom rng) {
        double[][] cols = new double[n][];
        Matrix b = randomMatrix(n, n, rng);
        for (int j = 0; j < n; j++) {
            double[] c = b.column(j);
            for (int q = 0; q < j; q++) {
                double s = Products.dot(cols[q], c);
                for (int i = 0; i < n; i++) {
                    c[i] -= s * cols[q][i];
                }
            }
            double nrm = Math.sqrt(Products.dot(c, c));
            for (int i = 0; i < n; i++) {
                c[i] /= nrm;
            }
            cols[j] = c;
        }
        Matrix q = Matrix.zeros(n, n);
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                q.set(i, j, cols[j][i]);
            }
        }
        return q;
    }

    /** {@code Q diag(λ) Qᵀ} with a random orthogonal Q: a symmetric matrix with the given spectrum. */
    static Matrix withSpectrum(double[] lambda, SplittableRandom rng) {
        Matrix q = randomOrthogonal(lambda.length, rng);
        Matrix a = Products.multiply(Products.multiply(q, Matrix.diagonal(lambda)), q.transpose());
        return a.plus(a.transpose()).times(0.5);
    }
}
