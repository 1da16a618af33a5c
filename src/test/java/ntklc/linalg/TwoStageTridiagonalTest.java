package ntklc.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The two-stage reduction is an orthogonal similarity, so it is checked by what such a
 * similarity preserves and by its structure: stage 1 leaves nothing outside the band and keeps
 * the trace and ‖A‖_F; stage 2 ends tridiagonal with {@code Σd² + 2Σe² = ‖A‖_F²}; the
 * eigenvalues of T are the closed-form spectrum of {@code Q diag(λ) Qᵀ} and agree with the
 * one-stage reduction (a second implementation). Orders above 512 run the pipelined chase on
 * several threads. The reduction reads only the upper triangle, so every input here has NaN
 * below the diagonal: one read of the lower triangle would spread NaN into every check.
 */
class TwoStageTridiagonalTest {

    private static double[] copy(Matrix a) {
        return a.data().clone();
    }

    /** Row-major copy of {@code a} with NaN below the diagonal. */
    private static double[] upperOnly(Matrix a) {
        int n = a.rows();
        double[] w = copy(a);
        for (int i = 0; i < n; i++) {
            Arrays.fill(w, i * n, i * n + i, Double.NaN);
        }
        return w;
    }

    private static double frobenius2(double[] a) {
        double s = 0;
        for (double x : a) {
            s += x * x;
        }
        return s;
    }

    @Test
    void bandStageLeavesNothingOutsideTheBandAndKeepsTraceAndNorm() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int[] nb : new int[][] {{50, 4}, {131, 8}, {301, 32}}) {
            int n = nb[0];
            int b = nb[1];
            Matrix a = LinalgTestSupport.randomSymmetric(n, rng);
            double[] w = upperOnly(a);
            TwoStageTridiagonal.toBand(w, n, b);
            double trace = 0;
            double traceA = 0;
            double band2 = 0;
            for (int i = 0; i < n; i++) {
                trace += w[i * n + i];
                traceA += a.get(i, i);
                band2 += w[i * n + i] * w[i * n + i];
                for (int j = i + 1; j < n; j++) {
                    if (j - i > b) {
                        assertEquals(0, w[i * n + j], 0, "entry (" + i + ", " + j + ") outside band " + b);
                    }
                    band2 += 2 * w[i * n + j] * w[i * n + j];
                }
            }
            assertEquals(traceA, trace, 1e-11 * n);
            double f2 = frobenius2(a.data());
            assertEquals(f2, band2, 1e-12 * f2);
        }
    }

    @Test
    void tridiagonalFormHasTheKnownSpectrumAndNorm() {
        // Q diag(λ) Qᵀ with λ_i = i − n/2 (and a cluster of equal values): its spectrum is λ.
        SplittableRandom rng = new SplittableRandom(4);
        for (int[] nb : new int[][] {{97, 8}, {600, 32}}) {
            int n = nb[0];
            int b = nb[1];
            double[] lambda = new double[n];
            for (int i = 0; i < n; i++) {
                lambda[i] = i < n / 10 ? 3.5 : i - n / 2.0;
            }
            Matrix a = LinalgTestSupport.withSpectrum(lambda, rng);
            double[] w = upperOnly(a);
            double[] d = new double[n];
            double[] e = new double[n];
            TwoStageTridiagonal.reduce(w, n, d, e, b);
            assertEquals(0, e[n - 1], 0);
            double f2 = frobenius2(a.data());
            double t2 = 0;
            for (int i = 0; i < n; i++) {
                t2 += d[i] * d[i] + 2 * e[i] * e[i];
            }
            assertEquals(f2, t2, 1e-12 * f2, "Σd² + 2Σe² = ‖A‖_F²");
            SymmetricEigen.ql(d, e, null);
            Arrays.sort(d);
            double[] expected = lambda.clone();
            Arrays.sort(expected);
            assertArrayEquals(expected, d, 1e-12 * n, "spectrum, n = " + n + ", b = " + b);
        }
    }

    @Test
    void eigenvaluesAgreeWithTheOneStageReduction() {
        // From GEMM_UPDATE_MIN_N on, SymmetricEigen.eigenvalues takes the two-stage path; the
        // one-stage reduction (Householder, one reflector per column) is an independent route.
        SplittableRandom rng = new SplittableRandom(5);
        int n = SymmetricEigen.GEMM_UPDATE_MIN_N;
        Matrix a = LinalgTestSupport.randomSymmetric(n, rng);
        double[] twoStage = SymmetricEigen.eigenvalues(a);
        double[] w = copy(a);
        double[] d = new double[n];
        double[] e = new double[n];
        SymmetricEigen.tridiagonalize(w, n, d, e, new double[n], true);
        SymmetricEigen.ql(d, e, null);
        Arrays.sort(d);
        double norm = Math.max(Math.abs(d[0]), Math.abs(d[n - 1]));
        for (int i = 0; i < n; i++) {
            assertEquals(d[n - 1 - i], twoStage[i], 1e-12 * n * norm, "eigenvalue " + i);
        }
        for (int i = 1; i < n; i++) {
            assertTrue(twoStage[i - 1] >= twoStage[i], "not decreasing at " + i);
        }
    }

    @Test
    void symmetricProductFromTheUpperTriangleMatchesTheTripleLoop() {
        // A second implementation: the plain triple loop on the full symmetric square. Trailing
        // blocks of 1, 2 and 7 whole blocks plus ragged edges; from four blocks on, both threads.
        SplittableRandom rng = new SplittableRandom(6);
        int bs = TwoStageTridiagonal.SYMMETRIC_BLOCK;
        for (int[] shape : new int[][] {{bs / 2 + 3, 5, 9}, {2 * bs + 40, 40, 32}, {7 * bs + 19, 3, 31}}) {
            int n = shape[0];
            int r0 = shape[1];
            int nr = shape[2];
            int m = n - r0;
            Matrix a = LinalgTestSupport.randomSymmetric(n, rng);
            double[] v = new double[m * nr];
            for (int i = 0; i < v.length; i++) {
                v[i] = rng.nextGaussian();
            }
            double[] x = TwoStageTridiagonal.symmetricTimes(upperOnly(a), n, r0, v, nr, null);
            for (int i = 0; i < m; i++) {
                for (int c = 0; c < nr; c++) {
                    double s = 0;
                    double abs = 0;
                    for (int p = 0; p < m; p++) {
                        s += a.get(r0 + i, r0 + p) * v[p * nr + c];
                        abs += Math.abs(a.get(r0 + i, r0 + p) * v[p * nr + c]);
                    }
                    // Higham's bound for an inner product of length m: γ_m · Σ|a_ip v_pc|.
                    double gamma = m * Math.ulp(1.0) / (1 - m * Math.ulp(1.0));
                    assertEquals(s, x[i * nr + c], 2 * gamma * abs, "X[" + i + ", " + c + "], n = " + n);
                }
            }
        }
    }

    @Test
    void everyRunGivesTheSameEigenvaluesToTheLastBit() {
        // Property: the threads' shares of the reduction are fixed, so repeated runs agree exactly
        // (with block rows taken from a shared counter they differed in the last bits).
        SplittableRandom rng = new SplittableRandom(7);
        int n = SymmetricEigen.GEMM_UPDATE_MIN_N + 77;
        Matrix a = LinalgTestSupport.randomSymmetric(n, rng);
        double[] first = SymmetricEigen.eigenvalues(a);
        for (int run = 0; run < 3; run++) {
            assertArrayEquals(first, SymmetricEigen.eigenvalues(a), 0, "run " + (run + 2));
        }
    }
}
