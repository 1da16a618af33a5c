package ntklc.compression;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;

import ntklc.activation.Activation;
import ntklc.activation.Activations;
import ntklc.nn.Initializer;
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
    void featureNormsFollowTheTauRecursion() {
        // diag K_CK,L = τ_L² (spec §5.2/§5.5); for ReLU, ‖x‖ = 1: τ_ℓ² = v1^ℓ with v1 = ½ − 1/(2π)
        // (spec §4.2). Each squared norm averages d_L = 2048 centred features: relative sd ≈ a few %
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
}
