package ntklc.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Divide and conquer on tridiagonal matrices, checked against a second implementation (implicit
 * QL, {@link SymmetricEigen#ql}) for the eigenvalues and by properties for the vectors
 * ({@code T q = λ q}, {@code QᵀQ = I}), on the cases where deflation decides the outcome:
 * exact repeats, clusters 1e−12 wide, glued Wilkinson matrices and a GMM kernel matrix. The
 * register-blocked {@link Gemm} it relies on is checked against the triple loop.
 */
class TridiagonalDivideConquerTest {

    /** Solves (d, e) both ways and checks eigenvalues, residuals and orthogonality, relative to ‖T‖. */
    private static void assertSolves(double[] d, double[] e) {
        int n = d.length;
        double[] values = d.clone();
        double[] q = new double[n * n];
        TridiagonalDivideConquer.solve(values, e, q);
        double[] ql = d.clone();
        double[] eq = Arrays.copyOf(e, n);
        eq[n - 1] = 0;
        SymmetricEigen.ql(ql, eq, null);
        double norm = 0;
        for (int i = 0; i < n; i++) {
            norm = Math.max(norm, Math.abs(d[i]) + Math.abs(e[i]) + (i > 0 ? Math.abs(e[i - 1]) : 0));
        }
        double[] sortedDc = values.clone();
        Arrays.sort(sortedDc);
        Arrays.sort(ql);
        assertArrayEquals(ql, sortedDc, 1e-13 * n * norm, "eigenvalues against QL");
        double res = 0;
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                double tq = d[i] * q[i * n + j] - values[j] * q[i * n + j];
                if (i > 0) {
                    tq += e[i - 1] * q[(i - 1) * n + j];
                }
                if (i < n - 1) {
                    tq += e[i] * q[(i + 1) * n + j];
                }
                res = Math.max(res, Math.abs(tq));
            }
        }
        assertTrue(res <= 1e-13 * n * norm, "residual " + res + " for ‖T‖ = " + norm);
        double[] gram = new double[n * n];
        Gemm.multiplyAddTransA(n, n, n, q, 0, n, q, 0, n, gram, 0, n);
        double orth = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                orth = Math.max(orth, Math.abs(gram[i * n + j] - (i == j ? 1 : 0)));
            }
        }
        assertTrue(orth <= 1e-13 * n, "‖QᵀQ − I‖_max = " + orth);
    }

    @Test
    void randomTridiagonal() {
        // n = 300: four levels of merges below the leaves of 32.
        SplittableRandom rng = new SplittableRandom(11);
        int n = 300;
        double[] d = new double[n];
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = rng.nextGaussian();
            e[i] = i < n - 1 ? rng.nextGaussian() : 0;
        }
        assertSolves(d, e);
    }

    @Test
    void gluedWilkinsonMatricesDeflateHeavily() {
        // W21⁺ (diagonal |10 − i|, off-diagonal 1) has pairs of eigenvalues equal to ~1e−14;
        // gluing 12 copies with 1e−12 couplings gives clusters of 12 eigenvalues ~1e−12 wide
        // (Fernando, Parlett & Dhillon's test set for tridiagonal solvers).
        int copies = 12;
        int block = 21;
        int n = copies * block;
        double[] d = new double[n];
        double[] e = new double[n];
        for (int c = 0; c < copies; c++) {
            for (int i = 0; i < block; i++) {
                d[c * block + i] = Math.abs(10 - i);
                e[c * block + i] = i < block - 1 ? 1 : 1e-12;
            }
        }
        e[n - 1] = 0;
        assertSolves(d, e);
    }

    @Test
    void exactRepeatsAndZeroCouplings() {
        // T = 2·I with constant couplings in one half and zero couplings (already split) in the other.
        int n = 130;
        double[] d = new double[n];
        double[] e = new double[n];
        Arrays.fill(d, 2);
        for (int i = 0; i < n / 2; i++) {
            e[i] = 1e-3;
        }
        assertSolves(d, e);
        // Identity: every z deflates.
        double[] ones = new double[n];
        Arrays.fill(ones, 1);
        assertSolves(ones, new double[n]);
    }

    @Test
    void fullDecompositionsWithClustersAndRepeats() {
        // A = Q diag(λ) Qᵀ: a 40-fold eigenvalue, a cluster of 20 within 1e−12, the rest spread.
        SplittableRandom rng = new SplittableRandom(12);
        int n = 150;
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = i < 40 ? 3 : i < 60 ? -1 + 1e-12 * (i - 40) / 20 : rng.nextDouble();
        }
        Matrix a = LinalgTestSupport.withSpectrum(lambda, rng);
        Eigen eig = SymmetricEigen.full(a);
        double[] expected = lambda.clone();
        Arrays.sort(expected);
        for (int i = 0; i < n; i++) {
            assertEquals(expected[n - 1 - i], eig.values()[i], 1e-12, "eigenvalue " + i);
        }
        assertReconstructs(a, eig);
    }

    @Test
    void gmmArcCosineKernelMatrix() {
        // A two-class Gaussian mixture (means ±μ, p = 64) through the ReLU conjugate kernel in
        // closed form (arc-cosine kernel of degree 1, Cho & Saul 2009): a few spikes over a bulk
        // of many close eigenvalues, as the spectrum command's kernels have.
        SplittableRandom rng = new SplittableRandom(13);
        int n = 200;
        int p = 64;
        double[][] x = new double[n][p];
        for (int i = 0; i < n; i++) {
            double sign = i % 2 == 0 ? 1 : -1;
            for (int j = 0; j < p; j++) {
                x[i][j] = (rng.nextGaussian() + (j < 4 ? 2 * sign : 0)) / Math.sqrt(p);
            }
        }
        Matrix k = Matrix.zeros(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double ni = Math.sqrt(Products.dot(x[i], x[i]));
                double nj = Math.sqrt(Products.dot(x[j], x[j]));
                double cos = Math.max(-1, Math.min(1, Products.dot(x[i], x[j]) / (ni * nj)));
                double theta = Math.acos(cos);
                k.set(i, j, ni * nj / (2 * Math.PI) * (Math.sin(theta) + (Math.PI - theta) * cos));
            }
        }
        k = k.plus(k.transpose()).times(0.5);
        Eigen eig = SymmetricEigen.full(k);
        assertReconstructs(k, eig);
        // Second implementation of the values: the QL-only path.
        assertArrayEquals(SymmetricEigen.eigenvalues(k), eig.values(), 1e-13 * n * eig.values()[0]);
    }

    /** 37 rows: six tiles and a ragged seventh; 257: 42 whole tiles over both threads and a ragged last. */
    static java.util.stream.IntStream gemmRows() {
        return java.util.stream.IntStream.of(37, 257);
    }

    @ParameterizedTest
    @MethodSource("gemmRows")
    void gemmMatchesTheTripleLoop(int m) {
        // Ragged sizes: rows not a multiple of the six of a tile, columns not of the panel width,
        // depth beyond KC; A given as stored (m×k) and transposed (k×m, multiplyAddTransA), each
        // with a row stride past its width.
        for (boolean transposed : new boolean[] {false, true}) {
            SplittableRandom rng = new SplittableRandom(14);
            int n = 45;
            int k = Gemm.KC + 45;
            int lda = (transposed ? m : k) + 3;
            double[] a = new double[(transposed ? k : m) * lda];
            double[] b = new double[k * n];
            double[] c = new double[m * n];
            for (int i = 0; i < a.length; i++) {
                a[i] = rng.nextGaussian();
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = rng.nextGaussian();
            }
            for (int i = 0; i < c.length; i++) {
                c[i] = rng.nextGaussian();
            }
            double[] expected = c.clone();
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        s += (transposed ? a[p * lda + i] : a[i * lda + p]) * b[p * n + j];
                    }
                    expected[i * n + j] += s;
                }
            }
            if (transposed) {
                Gemm.multiplyAddTransA(m, n, k, a, 0, lda, b, 0, n, c, 0, n);
            } else {
                Gemm.multiplyAdd(m, n, k, a, 0, lda, b, 0, n, c, 0, n);
            }
            assertArrayEquals(expected, c, 1e-12, transposed ? "Aᵀ·B" : "A·B");
        }
    }

    @Test
    void gemmAndRowTrailingUpdatesGiveTheSameReduction() {
        // Two implementations of the same rank-2·NB update (GEMM on the upper trapezoid, row
        // axpys): T and the reflectors must agree to rounding. n = 300 spans nine panels and
        // several 128-row blocks of the GEMM update.
        SplittableRandom rng = new SplittableRandom(15);
        int n = 300;
        double[] a = LinalgTestSupport.randomSymmetric(n, rng).data();
        double[][] out = new double[2][];
        for (int pass = 0; pass < 2; pass++) {
            double[] w = a.clone();
            double[] d = new double[n];
            double[] e = new double[n];
            double[] tau = new double[n];
            SymmetricEigen.tridiagonalize(w, n, d, e, tau, pass == 0);
            double[] all = new double[3 * n];
            System.arraycopy(d, 0, all, 0, n);
            System.arraycopy(e, 0, all, n, n);
            System.arraycopy(tau, 0, all, 2 * n, n);
            out[pass] = all;
        }
        assertArrayEquals(out[1], out[0], 1e-11);
    }

    /** ‖U Λ Uᵀ − A‖_max and ‖UᵀU − I‖_max at working precision. */
    private static void assertReconstructs(Matrix a, Eigen eig) {
        int n = a.rows();
        Matrix u = eig.vectors();
        double scale = Math.max(Math.abs(eig.values()[0]), Math.abs(eig.values()[n - 1]));
        Matrix r = Products.multiply(Products.multiply(u, Matrix.diagonal(eig.values())), u.transpose());
        assertTrue(r.minus(a).maxAbs() <= 1e-13 * n * scale, "reconstruction error " + r.minus(a).maxAbs());
        Matrix g = Products.multiply(u.transpose(), u);
        assertTrue(g.minus(Matrix.identity(n)).maxAbs() <= 1e-13 * n, "orthogonality " + g.minus(Matrix.identity(n)).maxAbs());
    }
}
