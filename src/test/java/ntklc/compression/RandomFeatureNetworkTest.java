package ntklc.compression;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import ntklc.activation.Activation;
import ntklc.activation.Activations;
import ntklc.linalg.Matrix;
import ntklc.linalg.Products;
import ntklc.nn.Initializer;
import ntklc.spectral.ExactKernels;
import ntklc.tensor.Tensor;
import org.junit.jupiter.api.Test;

class RandomFeatureNetworkTest {
    private static Tensor unitRows(int n, int p, SplittableRandom rng) {
        Tensor x = Tensor.zeros(n, p);
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (int j = 0; j < p; j++) {
                float v = (float) rng.nextGaussian();
                x.set(i, j, v);
                norm += v * v;
            }
            for (int j = 0; j < p; j++) {
                x.set(i, j, (float) (x.get(i, j) / Math.sqrt(norm)));
            }
        }
        return x;
    }

    @Test
    void forwardPassEqualsADirectDoubleLoop() {
        // Second implementation: Σ_ℓ = (σ(W Σ_{ℓ−1}) − c)/√d written out per sample, in double.
        SplittableRandom rng = new SplittableRandom(11);
        Tensor x = unitRows(7, 9, rng);
        List<Activation> acts = List.of(Activations.relu(), Activations.binaryZero(-0.7, 0.9, 1.3));
        RandomFeatureNetwork net = RandomFeatureNetwork.sample(9, new int[] {13, 5}, acts,
                new Initializer.SparseTernary(0.5, false), 1.0, rng);
        Tensor f = net.features(x, 3);
        for (int i = 0; i < 7; i++) {
            double[] h = new double[9];
            for (int j = 0; j < 9; j++) {
                h[j] = x.get(i, j);
            }
            for (RandomFeatureNetwork.Layer layer : net.layers()) {
                Tensor wT = layer.weightsT();
                double[] next = new double[wT.cols()];
                for (int o = 0; o < wT.cols(); o++) {
                    double z = 0;
                    for (int k = 0; k < wT.rows(); k++) {
                        z += wT.get(k, o) * h[k];
                    }
                    next[o] = (layer.activation().value((float) z) - layer.centring()) / Math.sqrt(wT.cols());
                }
                h = next;
            }
            for (int o = 0; o < 5; o++) {
                assertEquals(h[o], f.get(i, o), 1e-5);
            }
        }
        // batching does not change the result
        assertArrayEquals(f.data(), net.features(x, 100).data());
    }

    @Test
    void exactTernaryNetworkEqualsADirectDoubleLoopOnTheGrids() {
        // Second implementation of the exact form (docs/theory.md §6.7): per sample in double, the
        // input row on its grid, u = a·Σ_i T_ji h_i (a double sum of grid values: exact), the piece
        // of σ by comparison, the emitted grid value. The engine forms the same sums by float GEMM,
        // so the two agree exactly, ties included.
        SplittableRandom rng = new SplittableRandom(13);
        int p = 37;
        Tensor x = unitRows(50, p, rng);
        List<Activation> acts = List.of(Activations.binaryZero(-0.61, 0.58, 1.0),
                Activations.binaryLast(-1.1, -0.3, 0.35, 1.2, 1.0, -0.8), Activations.binaryLast(-1.1, -0.3, 0.35, 1.2, 1.0, -0.8));
        Initializer.SparseTernary law = new Initializer.SparseTernary(0.7, false);
        assertTrue(RandomFeatureNetwork.exact(law, acts));
        RandomFeatureNetwork net = RandomFeatureNetwork.sample(p, new int[] {65, 70, 9}, acts, law, 1.0, rng);
        assertTrue(net.exact());
        Tensor f = net.features(x, 7);
        float a = (float) law.level();
        for (int i = 0; i < x.rows(); i++) {
            float[] row = java.util.Arrays.copyOfRange(x.data(), i * p, (i + 1) * p);
            ExactSums.gridRow(row, 0, p);
            double[] h = new double[p];
            for (int j = 0; j < p; j++) {
                h[j] = row[j];
            }
            for (int l = 0; l < 3; l++) {
                RandomFeatureNetwork.Layer layer = net.layers().get(l);
                assertEquals(a, layer.level(), 0.0f);
                ntklc.activation.PiecewiseConstant sigma = (ntklc.activation.PiecewiseConstant) acts.get(l);
                double[] levels = sigma.levels();
                int d = layer.width();
                float[] values = l < 2 ? ExactSums.gridValues(levels, layer.centring(), d) : null;
                double[] next = new double[d];
                for (int o = 0; o < d; o++) {
                    double sum = 0;
                    for (int k = 0; k < h.length; k++) {
                        float w = layer.weightsT().get(k, o);
                        assertTrue(w == 0 || w == 1 || w == -1, "signs");
                        sum += w * h[k];
                    }
                    double u = a * sum;
                    int piece = 0;
                    while (piece < sigma.thresholds().length && u >= sigma.thresholds()[piece]) {
                        piece++;
                    }
                    next[o] = values != null ? values[piece] : (float) ((levels[piece] - layer.centring()) / Math.sqrt(d));
                }
                h = next;
            }
            for (int o = 0; o < 9; o++) {
                assertEquals(h[o], f.get(i, o), 0.0, "sample " + i + ", feature " + o);
            }
        }
        assertArrayEquals(f.data(), net.features(x, 100).data());
    }

    @Test
    void featureNormsFollowTheTauRecursion() {
        // diag K_CK,L = τ_L² (docs/theory.md §4.2/§4.3); for ReLU, ‖x‖ = 1: τ_ℓ² = v1^ℓ with v1 = ½ − 1/(2π)
        // (docs/theory.md §3.2). Each squared norm averages d_L = 2048 centred features: relative sd ≈ a few %
        // (fourth moment of ReLU features), averaged further over 20 samples → tolerance 3 %.
        SplittableRandom rng = new SplittableRandom(12);
        Tensor x = unitRows(20, 300, rng);
        Activation relu = Activations.relu();
        RandomFeatureNetwork net = RandomFeatureNetwork.sample(300, new int[] {2048, 2048, 2048},
                List.of(relu, relu, relu), Initializer.Gaussian.standard(), 1.0, rng);
        Tensor f = net.features(x, 8);
        double mean = 0;
        double meanFeature = 0;
        for (int i = 0; i < 20; i++) {
            for (int j = 0; j < 2048; j++) {
                mean += f.get(i, j) * f.get(i, j) / 20;
                meanFeature += f.get(i, j) * Math.sqrt(2048) / (20 * 2048);
            }
        }
        double v1 = 0.5 - 0.5 / Math.PI;
        assertEquals(Math.pow(v1, 3), mean, 0.03 * Math.pow(v1, 3));
        assertEquals(Math.pow(v1, 1.5), net.layers().get(2).tauOut(), 0.01 * Math.pow(v1, 1.5));
        // centring: the per-neuron mean of σ − E[σ] is ~0 (sd ≈ τ_3/√(20·2048) ≈ 0.001)
        assertEquals(0, meanFeature, 0.01);
    }

    /**
     * Two classes of unit-norm rows {@code x_i = ±√½·μ + √½·z_i/‖z_i‖} with one random unit
     * direction μ (delocalised: no coordinate carries a finite share of ‖x‖², Assumption 1, so
     * ternary pre-activations are Gaussian in the limit). The first n/2 rows are class +.
     */
    private static Tensor twoClassRows(int n, int p, SplittableRandom rng) {
        double[] mu = new double[p];
        double muNorm = 0;
        for (int j = 0; j < p; j++) {
            mu[j] = rng.nextGaussian();
            muNorm += mu[j] * mu[j];
        }
        Tensor x = unitRows(n, p, rng);
        for (int i = 0; i < n; i++) {
            double sign = i < n / 2 ? 1 : -1;
            for (int j = 0; j < p; j++) {
                x.set(i, j, (float) (Math.sqrt(0.5) * (x.get(i, j) + sign * mu[j] / Math.sqrt(muNorm))));
            }
        }
        return x;
    }

    /** (mean within-class off-diagonal, mean across-class, mean diagonal) of an n×n kernel, classes as above. */
    private static double[] blockMeans(Matrix k) {
        int n = k.rows();
        double within = 0;
        double across = 0;
        double diagonal = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i == j) {
                    diagonal += k.get(i, i) / n;
                } else if ((i < n / 2) == (j < n / 2)) {
                    within += k.get(i, j) / (n * (n / 2.0 - 1));
                } else {
                    across += k.get(i, j) / (n * n / 2.0);
                }
            }
        }
        return new double[] {within, across, diagonal};
    }

    @Test
    void compressedStepChainGramMatchesItsExactKernel() {
        // The R6 diagnostic (docs/compression-results.md): a finite NTK-LC network (σ_T of docs/theory.md
        // §6.5 then a σ_Q, sparse ternary ε = 0.5, widths 1024, 512) averaged over R = 10 draws
        // against a second implementation, the Mehler/Hermite expansion of the exact CK
        // (ExactKernels, order 24; n = 40 unit rows in p = 100, class correlation ±½).
        // Spread of the three block means over 8 network seeds (measured, Gaussian and ternary
        // alike): sd ≈ 6e−4 (within), 3e−4 (across), 1e−3 (diagonal); tolerances are ≈ 4 sd.
        // A systematic gap here would be a bug in the centring (which τ chain), the 1/√d scaling
        // or the weight variance. NOTE: with a localised class mean (one coordinate carrying 50 %
        // of ‖x‖²) ternary weights give a real +20 % within-class bias at these widths
        // (non-Gaussian pre-activations; ≈ +10 % at GMM `mixed`'s 12.5 %), so μ is delocalised here.
        int n = 40;
        int p = 100;
        int draws = 10;
        List<Activation> chain = List.of(Activations.binaryZero(0.99953, 2.21253, 2.40874),
                Activations.binaryLast(-0.82, -0.31, 1.04, 1.55, -0.755, 0.588));
        Tensor x = twoClassRows(n, p, new SplittableRandom(21));
        double tau0 = RandomFeatureNetwork.tau0(x);
        Matrix gram = Products.gram(Matrix.fromTensor(x));
        double[] exact = blockMeans(ExactKernels.compute(gram, tau0, chain, false, ExactKernels.Method.HERMITE, 24).ck());

        SplittableRandom rng = new SplittableRandom(22);
        Matrix average = Matrix.zeros(n, n);
        for (int r = 0; r < draws; r++) {
            RandomFeatureNetwork net = RandomFeatureNetwork.sample(p, new int[] {1024, 512}, chain,
                    new Initializer.SparseTernary(0.5, false), tau0, rng);
            Matrix f = Matrix.fromTensor(net.features(x, 64));
            average.addInPlace(1.0 / draws, Products.multiplyTransB(f, f));
        }
        double[] empirical = blockMeans(average);
        double[] tolerance = {2.5e-3, 1.5e-3, 5e-3};
        for (int b = 0; b < 3; b++) {
            assertEquals(exact[b], empirical[b], tolerance[b], "block " + b);
        }

        // Negative control: the same exact kernel with the centring constants of a τ chain 15 %
        // too small (the "wrong τ chain" bug) must fall outside the tolerance.
        double[] wrong = blockMeans(ExactKernels.compute(gram, 0.85 * tau0, chain, false,
                ExactKernels.Method.HERMITE, 24).ck());
        boolean outside = false;
        for (int b = 0; b < 3; b++) {
            outside |= Math.abs(wrong[b] - empirical[b]) > tolerance[b];
        }
        assertTrue(outside, "the check cannot tell a wrong centring chain apart");
    }
}
