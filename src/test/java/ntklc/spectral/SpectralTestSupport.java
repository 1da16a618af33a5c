package ntklc.spectral;

import java.util.SplittableRandom;

import ntklc.linalg.Matrix;

/**
 * Test data and an independent ReLU coefficient recursion.
 *
 * <p>The GMM {@code var} case of docs/theory.md §1.1 is drawn here directly (not through ntklc.data) so the
 * tests have population statistics by construction: {@code x_i = z_i/√p},
 * {@code z_i ~ N(0, (1 + 8a/√p) I_p)} for class a ∈ {0, 1} in two contiguous halves,
 * {@code tr(C_a)/p = 1 + 8a/√p}, {@code T_ab = (1 + 8a/√p)(1 + 8b/√p)},
 * {@code ψ_i = ‖z_i‖²/p − tr(C_a)/p}.
 */
final class SpectralTestSupport {
    private SpectralTestSupport() {
    }

    record Gmm(Matrix x, DataStatistics stats) {
    }

    /** Layer-L coefficients of a ReLU chain. */
    record ReluCoefficients(double alpha1, double alpha2, double alpha3, double tauL, double beta1, double beta2,
                            double beta3, double kappaSquared) {
    }

    static Gmm gmmVar(int n, int p, SplittableRandom rng) {
        Matrix x = Matrix.zeros(n, p);
        int[] labels = new int[n];
        double[] psi = new double[n];
        double[] norms = new double[n];
        double[] trace = new double[2];
        for (int a = 0; a < 2; a++) {
            trace[a] = 1 + 8 * a / Math.sqrt(p);
        }
        for (int i = 0; i < n; i++) {
            int a = i < n / 2 ? 0 : 1;
            labels[i] = a;
            double sd = Math.sqrt(trace[a]);
            double z2 = 0;
            for (int c = 0; c < p; c++) {
                double z = sd * polarNormal(rng);
                z2 += z * z;
                x.set(i, c, z / Math.sqrt(p));
            }
            norms[i] = z2 / p;
            psi[i] = z2 / p - trace[a];
        }
        double[][] t = new double[2][2];
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 2; b++) {
                t[a][b] = trace[a] * trace[b];
            }
        }
        DataStatistics stats = new DataStatistics(DataStatistics.tau0(norms), labels, 2, p, trace, t, psi, norms);
        return new Gmm(x, stats);
    }

    /**
     * The τ/α/β/κ recursions of docs/theory.md §4.1 and §5.2 (recommended β) for a chain of ReLU layers,
     * written out with the closed-form ReLU moments of docs/theory.md §3.2 ({@code D1 = 1/4},
     * {@code D2 = 1/(2π τ²)}, {@code D3 = 1 − 1/π}, {@code v = τ²(1/2 − 1/(2π))}, {@code q = 1/2}):
     * a second implementation, independent of {@code Coefficients}.
     *
     */
    static ReluCoefficients reluCoefficients(double tau0, int depth) {
        double tau = tau0;
        double a1 = 1;
        double a2 = 0;
        double a3 = 0;
        double a4 = 1;
        double b1 = 1;
        double b2 = 0;
        double b3 = 0;
        double kappa2 = tau0 * tau0;
        for (int l = 0; l < depth; l++) {
            double d1 = 0.25;
            double d2 = 1 / (2 * Math.PI * tau * tau);
            double d3 = 1 - 1 / Math.PI;
            double na1 = d1 * a1;
            double na2 = d1 * a2 + 0.25 * d2 * a4 * a4;
            double na3 = d1 * a3 + 0.5 * d2 * a1 * a1;
            double na4 = 0.5 * d3 * a4;
            double nb1 = na1 + d1 * b1;
            double nb2 = na2 + d1 * b2;
            double nb3 = na3 + d1 * b3 + d2 * a1 * b1;
            tau = tau * Math.sqrt(0.5 - 0.5 / Math.PI);
            kappa2 = tau * tau + kappa2 * 0.5;
            a1 = na1;
            a2 = na2;
            a3 = na3;
            a4 = na4;
            b1 = nb1;
            b2 = nb2;
            b3 = nb3;
        }
        return new ReluCoefficients(a1, a2, a3, tau, b1, b2, b3, kappa2);
    }

    /**
     * A standard normal variate by the Marsaglia polar method: the generator the measured test
     * values of this package (e.g. {@code EquivalentsTest}) were taken with, kept so the test data
     * stay the same since the weight laws moved to {@code ntklc.nn.Initializer} (which uses
     * {@link SplittableRandom#nextGaussian}).
     */
    static double polarNormal(SplittableRandom rng) {
        double u;
        double v;
        double s;
        do {
            u = 2 * rng.nextDouble() - 1;
            v = 2 * rng.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        return u * Math.sqrt(-2 * Math.log(s) / s);
    }
}
