package ntklc.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The eigensolver is checked by properties that hold for any correct decomposition (A·u = λ·u,
 * orthonormal U, U Λ Uᵀ = A, trace and Frobenius identities) and by closed-form spectra, on the
 * edge cases of EJML's shared suite. Both eigenvector paths are exercised: QL accumulation
 * (k = n) and inverse iteration (small k).
 */
class SymmetricEigenTest {
    private static final double TOL = 1e-11;

    /** Checks A·u_j = λ_j·u_j and orthonormality for every computed vector, relative to ‖A‖. */
    private static void assertEigenpairs(Matrix a, Eigen eig) {
        int n = a.rows();
        double norm = Math.max(Math.abs(eig.values()[0]), Math.abs(eig.values()[n - 1]));
        double scale = norm == 0 ? 1 : norm;
        for (int j = 0; j < eig.vectorCount(); j++) {
            double[] u = eig.vector(j);
            double[] au = Products.times(a, u);
            double res = 0;
            for (int i = 0; i < n; i++) {
                res = Math.max(res, Math.abs(au[i] - eig.values()[j] * u[i]));
            }
            assertTrue(res <= TOL * scale * Math.sqrt(n), "residual of pair " + j + ": " + res);
            for (int q = 0; q <= j; q++) {
                double dot = Products.dot(u, eig.vector(q));
                assertEquals(q == j ? 1 : 0, dot, 1e-10, "⟨u_" + j + ", u_" + q + "⟩");
            }
        }
        for (int j = 1; j < n; j++) {
            assertTrue(eig.values()[j - 1] >= eig.values()[j], "eigenvalues not decreasing at " + j);
        }
    }

    @Test
    void randomSymmetricFullDecompositionReconstructs() {
        // n = 77 crosses two panels of the blocked reduction (NB = 32) with a ragged last one.
        SplittableRandom rng = new SplittableRandom(1);
        Matrix a = LinalgTestSupport.randomSymmetric(77, rng);
        Eigen eig = SymmetricEigen.full(a);
        assertEigenpairs(a, eig);
        // Reconstruction U Λ Uᵀ = A.
        Matrix u = eig.vectors();
        Matrix r = Products.multiply(Products.multiply(u, Matrix.diagonal(eig.values())), u.transpose());
        assertTrue(r.minus(a).maxAbs() < 1e-12 * a.rows(), "reconstruction error " + r.minus(a).maxAbs());
        // Identities: Σλ = tr A and Σλ² = ‖A‖_F².
        double trace = Arrays.stream(a.diagonal()).sum();
        assertEquals(trace, Arrays.stream(eig.values()).sum(), 1e-11);
        double f2 = Math.pow(a.frobeniusNorm(), 2);
        assertEquals(f2, Arrays.stream(eig.values()).map(x -> x * x).sum(), 1e-10 * f2);
    }

    @Test
    void fewVectorsByInverseIterationMatchTheFullDecomposition() {
        SplittableRandom rng = new SplittableRandom(2);
        Matrix a = LinalgTestSupport.randomSymmetric(200, rng);
        Eigen full = SymmetricEigen.full(a);
        Eigen top = SymmetricEigen.decompose(a, 4);
        assertEquals(4, top.vectorCount());
        assertArrayEquals(full.values(), top.values(), 1e-12);
        assertEigenpairs(a, top);
        for (int j = 0; j < 4; j++) {
            // Both paths fix the sign the same way (largest entry positive), so the vectors agree.
            assertArrayEquals(full.vector(j), top.vector(j), 1e-9, "vector " + j);
        }
        assertArrayEquals(full.values(), SymmetricEigen.eigenvalues(a), 1e-12);
    }

    @Test
    void tridiagonalToeplitzHasItsClosedFormSpectrum() {
        // T = tridiag(−1, 2, −1) of order n: λ_j = 2 − 2 cos(jπ/(n+1)), j = 1..n (closed form).
        int n = 60;
        Matrix t = Matrix.zeros(n, n);
        for (int i = 0; i < n; i++) {
            t.set(i, i, 2);
            if (i + 1 < n) {
                t.set(i, i + 1, -1);
                t.set(i + 1, i, -1);
            }
        }
        double[] expected = new double[n];
        for (int j = 1; j <= n; j++) {
            expected[n - j] = 2 - 2 * Math.cos(j * Math.PI / (n + 1));
        }
        Eigen eig = SymmetricEigen.decompose(t, 3);
        assertArrayEquals(expected, eig.values(), 1e-13);
        assertEigenpairs(t, eig);
    }

    @Test
    void identityAndZeros() {
        int n = 40;
        for (int k : new int[] {0, 3, n}) {
            Eigen id = SymmetricEigen.decompose(Matrix.identity(n), k);
            double[] ones = new double[n];
            Arrays.fill(ones, 1);
            assertArrayEquals(ones, id.values(), 0);
            assertEigenpairs(Matrix.identity(n), id);
            Eigen zero = SymmetricEigen.decompose(Matrix.zeros(n, n), k);
            assertArrayEquals(new double[n], zero.values(), 0);
            assertEigenpairs(Matrix.zeros(n, n), zero);
        }
        Eigen one = SymmetricEigen.full(Matrix.fromRows(new double[][] {{-3}}));
        assertArrayEquals(new double[] {-3}, one.values(), 0);
        assertArrayEquals(new double[] {1}, one.vector(0), 0);
    }

    @Test
    void repeatedAndClusteredEigenvalues() {
        SplittableRandom rng = new SplittableRandom(3);
        // Spectrum known by construction (A = Q diag(λ) Qᵀ): a triple top eigenvalue, a double
        // one, and a cluster 1e−12 wide.
        double[] lambda = new double[50];
        for (int i = 0; i < lambda.length; i++) {
            lambda[i] = -1 + 0.01 * i;
        }
        lambda[10] = lambda[11] = lambda[12] = 5;
        lambda[20] = lambda[21] = -2;
        lambda[30] = 2;
        lambda[31] = 2 + 1e-12;
        lambda[32] = 2 - 1e-12;
        Matrix a = LinalgTestSupport.withSpectrum(lambda, rng);
        double[] sorted = lambda.clone();
        Arrays.sort(sorted);
        double[] expected = new double[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            expected[i] = sorted[sorted.length - 1 - i];
        }
        for (int k : new int[] {6, 50}) {
            Eigen eig = SymmetricEigen.decompose(a, k);
            assertArrayEquals(expected, eig.values(), 1e-12);
            assertEigenpairs(a, eig);
        }
    }

    @Test
    void rankDeficientGramMatrix() {
        // G = X Xᵀ with X: 120×7 has rank 7; its non-zero eigenvalues are those of the 7×7 XᵀX
        // (identity: XXᵀ and XᵀX share their non-zero spectrum).
        SplittableRandom rng = new SplittableRandom(4);
        Matrix x = LinalgTestSupport.randomMatrix(120, 7, rng);
        Matrix g = Products.gram(x);
        Matrix small = Products.gram(x.transpose());
        Eigen eig = SymmetricEigen.decompose(g, 7);
        double[] smallValues = SymmetricEigen.eigenvalues(small);
        double norm = eig.values()[0];
        for (int i = 0; i < 7; i++) {
            assertEquals(smallValues[i], eig.values()[i], 1e-12 * norm);
        }
        for (int i = 7; i < 120; i++) {
            assertEquals(0, eig.values()[i], 1e-13 * norm);
        }
        assertEigenpairs(g, eig);
        assertEigenpairs(g, SymmetricEigen.full(g));
    }

    @Test
    void tinyAndHugeScales() {
        SplittableRandom rng = new SplittableRandom(5);
        Matrix a = LinalgTestSupport.randomSymmetric(30, rng);
        double[] base = SymmetricEigen.eigenvalues(a);
        for (double s : new double[] {1e-290, 1e-150, 1e150, 1e290}) {
            Eigen eig = SymmetricEigen.decompose(a.times(s), 2);
            for (int i = 0; i < base.length; i++) {
                // Eigenvalues are homogeneous of degree 1 in A.
                assertEquals(base[i], eig.values()[i] / s, 1e-12, "scale " + s);
            }
            assertTrue(Arrays.stream(eig.vectors().data()).allMatch(Double::isFinite));
        }
    }

    @Test
    void operatorNormIsTheLargestMagnitude() {
        // Spectrum {−7, 3, 1, 0.5} by construction: ‖A‖ = 7 although λ_max = 3.
        Matrix a = LinalgTestSupport.withSpectrum(new double[] {-7, 3, 1, 0.5}, new SplittableRandom(6));
        assertEquals(7, SymmetricEigen.operatorNorm(a), 1e-13);
    }

    @Test
    void nonSymmetricInputIsRefused() {
        Matrix a = Matrix.fromRows(new double[][] {{1, 2}, {2.5, 1}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.full(a));
        assertTrue(e.getMessage().contains("not symmetric"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.eigenvalues(Matrix.zeros(2, 3)));
        Matrix nan = Matrix.fromRows(new double[][] {{1, Double.NaN}, {Double.NaN, 1}});
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.eigenvalues(nan));
    }
}
