package ntklc.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** Products against the textbook triple loop; Cholesky by reconstruction and residuals. */
class ProductsAndCholeskyTest {
    private static Matrix naive(Matrix a, Matrix b) {
        Matrix c = Matrix.zeros(a.rows(), b.cols());
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < b.cols(); j++) {
                double s = 0;
                for (int k = 0; k < a.cols(); k++) {
                    s += a.get(i, k) * b.get(k, j);
                }
                c.set(i, j, s);
            }
        }
        return c;
    }

    @Test
    void productsAgreeWithTheTripleLoopOnAwkwardShapes() {
        SplittableRandom rng = new SplittableRandom(7);
        int[][] shapes = {{1, 1, 1}, {3, 5, 7}, {37, 1, 29}, {130, 67, 95}};
        for (int[] s : shapes) {
            Matrix a = LinalgTestSupport.randomMatrix(s[0], s[1], rng);
            Matrix b = LinalgTestSupport.randomMatrix(s[1], s[2], rng);
            Matrix expected = naive(a, b);
            assertArrayEquals(expected.data(), Products.multiply(a, b).data(), 1e-12);
            assertArrayEquals(expected.data(), Products.multiplyTransB(a, b.transpose()).data(), 1e-12);
            assertArrayEquals(naive(a, a.transpose()).data(), Products.gram(a).data(), 1e-12);
        }
        assertThrows(IllegalArgumentException.class, () -> Products.multiply(Matrix.zeros(2, 3), Matrix.zeros(2, 3)));
    }

    @Test
    void productsAboveTheGemmThresholdAgreeWithTheTripleLoopWithinHighamsBound() {
        // 661·659·653 multiply-adds (and 661²·659 for the Gram matrix) reach Products.GEMM_MIN_MACS,
        // so these go through the blocked Gemm. Reference: the triple loop; tolerance Higham's bound
        // |fl(AB) − AB| ≤ γ_k |A||B|, γ_k = k·u/(1 − k·u), at its largest entry.
        SplittableRandom rng = new SplittableRandom(9);
        int m = 661;
        int k = 659;
        int n = 653;
        assertTrue((long) m * k * n >= Products.GEMM_MIN_MACS && (long) m * m * k >= Products.GEMM_MIN_MACS);
        Matrix a = LinalgTestSupport.randomMatrix(m, k, rng);
        Matrix b = LinalgTestSupport.randomMatrix(k, n, rng);
        double u = Math.ulp(1.0) / 2;
        double gamma = k * u / (1 - k * u);
        double tol = gamma * maxEntry(naive(abs(a), abs(b)));
        Matrix expected = naive(a, b);
        assertArrayEquals(expected.data(), Products.multiply(a, b).data(), tol);
        assertArrayEquals(expected.data(), Products.multiplyTransB(a, b.transpose()).data(), tol);
        Matrix gram = Products.gram(a);
        assertArrayEquals(naive(a, a.transpose()).data(), gram.data(), gamma * maxEntry(naive(abs(a), abs(a).transpose())));
        assertArrayEquals(gram.transpose().data(), gram.data(), 0.0, "the Gram matrix is exactly symmetric");
    }

    private static Matrix abs(Matrix x) {
        Matrix y = Matrix.zeros(x.rows(), x.cols());
        for (int i = 0; i < x.data().length; i++) {
            y.data()[i] = Math.abs(x.data()[i]);
        }
        return y;
    }

    private static double maxEntry(Matrix x) {
        double m = 0;
        for (double v : x.data()) {
            m = Math.max(m, v);
        }
        return m;
    }

    @Test
    void choleskyReconstructsAndSolves() {
        SplittableRandom rng = new SplittableRandom(8);
        Matrix x = LinalgTestSupport.randomMatrix(60, 40, rng);
        Matrix a = Products.gram(x.transpose()).addIdentityInPlace(0.1); // 40×40, SPD
        Cholesky chol = Cholesky.factor(a);
        Matrix l = chol.factorL();
        assertArrayEquals(a.data(), Products.multiplyTransB(l, l).data(), 1e-12);
        double[] b = LinalgTestSupport.randomMatrix(40, 1, rng).data();
        double[] sol = chol.solve(b);
        assertArrayEquals(b, Products.times(a, sol), 1e-10);
        Matrix bm = LinalgTestSupport.randomMatrix(40, 3, rng);
        assertArrayEquals(bm.data(), Products.multiply(a, chol.solve(bm)).data(), 1e-10);
        // log det A = Σ log λ_i (eigenvalues from the independent eigensolver).
        double logDet = 0;
        for (double v : SymmetricEigen.eigenvalues(a)) {
            logDet += Math.log(v);
        }
        assertEquals(logDet, chol.logDeterminant(), 1e-9);
    }

    @Test
    void choleskyRefusesIndefiniteAndAsymmetricMatrices() {
        Matrix indefinite = Matrix.fromRows(new double[][] {{1, 2}, {2, 1}}); // eigenvalues 3, −1
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cholesky.factor(indefinite));
        assertTrue(e.getMessage().contains("not positive definite"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Cholesky.factor(Matrix.fromRows(new double[][] {{2, 1}, {0, 2}})));
    }
}
