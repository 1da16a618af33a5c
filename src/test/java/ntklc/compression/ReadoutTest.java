package ntklc.compression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import ntklc.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ReadoutTest {
    private static Tensor gaussian(int n, int d, SplittableRandom rng) {
        Tensor t = Tensor.zeros(n, d);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) rng.nextGaussian();
        }
        return t;
    }

    /** Primal ridge by the normal equations with Gaussian elimination (second implementation). */
    private static double[] primalScores(Tensor phi, int[] labels, int k, double lambda, Tensor test) {
        int n = phi.rows();
        int d = phi.cols();
        double[] mu = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mu[j] += phi.get(i, j) / (double) n;
            }
        }
        double[] yMean = new double[k];
        for (int label : labels) {
            yMean[label] += 1.0 / n;
        }
        double[] scores = new double[test.rows() * k];
        for (int c = 0; c < k; c++) {
            double[][] a = new double[d][d];
            double[] rhs = new double[d];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    double vj = phi.get(i, j) - mu[j];
                    rhs[j] += vj * (labels[i] == c ? 1 : 0);
                    for (int l = 0; l < d; l++) {
                        a[j][l] += vj * (phi.get(i, l) - mu[l]);
                    }
                }
            }
            for (int j = 0; j < d; j++) {
                a[j][j] += lambda;
            }
            double[] beta = LevenbergMarquardt.solve(a, rhs);
            for (int i = 0; i < test.rows(); i++) {
                double s = yMean[c];
                for (int j = 0; j < d; j++) {
                    s += (test.get(i, j) - mu[j]) * beta[j];
                }
                scores[i * k + c] = s;
            }
        }
        return scores;
    }

    @Test
    void ridgeMatchesTheNormalEquationsInBothForms() {
        // d < n uses the primal system, d > n the dual one; both must equal the primal normal
        // equations (push-through identity (ΦᵀΦ + λI)⁻¹Φᵀ = Φᵀ(ΦΦᵀ + λI)⁻¹).
        SplittableRandom rng = new SplittableRandom(21);
        for (int[] nd : new int[][] {{60, 15}, {15, 40}}) {
            Tensor phi = gaussian(nd[0], nd[1], rng);
            int[] labels = new int[nd[0]];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = rng.nextInt(3);
            }
            Tensor test = gaussian(10, nd[1], rng);
            RidgeReadout r = RidgeReadout.fit(phi, labels, 3, 0.7, 0);
            double[] expected = primalScores(phi, labels, 3, 0.7, test);
            double[] got = r.scores(test);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], got[i], 1e-5 * (1 + Math.abs(expected[i])));
            }
        }
    }

    @Test
    void defaultLambdaIsAThousandthOfTheMeanSquaredCentredNorm() {
        // docs/theory.md §8.5 R6: λ = 1e−3·tr(G)/n; features with one column ±1 around mean 0: tr(G)/n = 1.
        Tensor phi = Tensor.zeros(4, 1);
        phi.data()[0] = 1;
        phi.data()[1] = -1;
        phi.data()[2] = 1;
        phi.data()[3] = -1;
        RidgeReadout r = RidgeReadout.fit(phi, new int[] {0, 1, 0, 1}, 2, Double.NaN, 0);
        assertEquals(1e-3, r.lambda(), 1e-12);
        assertEquals(1.0, r.accuracy(phi, new int[] {0, 1, 0, 1}));
        // the stepwise shift is added when λ stays positive, ignored otherwise
        assertEquals(0.5 + 1e-3, RidgeReadout.fit(phi, new int[] {0, 1, 0, 1}, 2, Double.NaN, 0.5).lambda(), 1e-12);
        assertEquals(1e-3, RidgeReadout.fit(phi, new int[] {0, 1, 0, 1}, 2, Double.NaN, -0.5).lambda(), 1e-12);
    }

    @Test
    void softmaxLearnsSeparableClasses() {
        // Property: two well-separated Gaussian blobs (means ±3 on the first axis, unit noise) are
        // linearly separable up to ~1e−3 of the points; Adam must reach ≥ 99 % training accuracy.
        SplittableRandom rng = new SplittableRandom(22);
        int n = 400;
        Tensor x = gaussian(n, 5, rng);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            x.set(i, 0, x.get(i, 0) + (labels[i] == 0 ? -3 : 3));
        }
        SoftmaxReadout s = SoftmaxReadout.fit(x, labels, 2, 30, 1e-2, 32, new SplittableRandom(1));
        assertTrue(s.accuracy(x, labels) >= 0.99, "accuracy " + s.accuracy(x, labels));
        assertTrue(s.finalLoss() < 0.1, "loss " + s.finalLoss());
    }
}
