package ntklc.nn.vgg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ntklc.autograd.GradCheck;
import ntklc.autograd.SoftmaxCrossEntropy;
import ntklc.autograd.Variable;
import ntklc.backend.Backend;
import ntklc.backend.CpuBackend;
import ntklc.nn.Sgd;
import ntklc.tensor.Tensor;

/** The VGG19 network of docs/theory.md §1.4: its shape, initialisation, gradients and checkpoint file. */
class VggTest {
    private static final Backend CPU = new CpuBackend();

    /** A tiny VGG-style network: 3×4×4 images, conv 2 → pool → conv 3 → pool, 3·1·1 features, classifier 4, 3 classes. */
    private static Vgg.Architecture tiny() {
        return new Vgg.Architecture(new int[] {2, Vgg.POOL, 3, Vgg.POOL}, 3, 4, 4, 3);
    }

    private static Tensor gaussian(SplittableRandom rng, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) rng.nextGaussian();
        }
        return t;
    }

    @Test
    void vgg19HasSixteenConvolutionsAnd512Features() {
        Vgg.Architecture a = Vgg.Architecture.vgg19(1);
        int convs = 0;
        for (int v : a.plan()) {
            convs += v == Vgg.POOL ? 0 : 1;
        }
        assertEquals(16, convs);
        assertEquals(1, a.outputSize());
        assertEquals(512, a.featureDim());
        assertEquals(128, Vgg.Architecture.vgg19(4).featureDim());
        assertEquals(128, Vgg.Architecture.vgg19(4).classifierWidth());
        assertThrows(IllegalArgumentException.class, () -> Vgg.Architecture.vgg19(3));
    }

    @Test
    void parameterCountMatchesPyTorchsVgg19MinusConvolutionBiases() {
        // kuangliu/pytorch-cifar VGG('VGG19') (conv+bias, BN, one Linear(512,10)) has 20 040 522
        // parameters (torchsummary). Ours drops the 5 504 conv biases (see the class comment) and
        // replaces Linear(512,10) (5 130) by the reference code's 512-512-10 classifier (docs/theory.md §1.4)
        // (262 656 + 262 656 + 5 130): 20 040 522 − 5 504 − 5 130 + 530 442 = 20 560 330.
        Vgg m = Vgg.create(Vgg.Architecture.vgg19(1), new SplittableRandom(1));
        assertEquals(20_560_330L, m.parameterCount());
        assertEquals(16 * 3 + 6, m.parameters().size());
        assertEquals(32, m.runningStatistics().size());
    }

    @Test
    void initialisationFollowsTheReferenceCode() {
        // conv: Kaiming normal, fan_out = K·9 → std √(2/(K·9)); BN γ = 1, β = 0; Linear N(0, 0.01²), bias 0.
        Vgg m = Vgg.create(Vgg.Architecture.vgg19(2), new SplittableRandom(2));
        List<Variable> p = m.parameters();
        Tensor lastConv = p.get(15 * 3).value(); // 256×256×3×3 at width divisor 2
        assertArrayEquals(new int[] {256, 256, 3, 3}, lastConv.shape());
        // sample std of 589 824 normal draws: relative standard error 1/√(2N) ≈ 1e−3, tolerance 1 %
        assertEquals(Math.sqrt(2.0 / (256 * 9)), std(lastConv), 0.01 * Math.sqrt(2.0 / (256 * 9)));
        assertEquals(1f, p.get(15 * 3 + 1).value().data()[7]);
        assertEquals(0f, p.get(15 * 3 + 2).value().data()[7]);
        Tensor fc2 = p.get(16 * 3 + 2).value(); // 256×256
        assertEquals(0.01, std(fc2), 0.01 * 0.02); // 65 536 draws: relative s.e. 0.3 %, tolerance 2 %
        assertEquals(0f, p.get(16 * 3 + 3).value().data()[0]);
        Tensor scaled = Vgg.create(Vgg.Architecture.vgg19(2), 0.02, new SplittableRandom(2)).parameters()
                .get(16 * 3 + 2).value();
        assertEquals(0.02, std(scaled), 0.02 * 0.02);
    }

    private static double std(Tensor t) {
        double s = 0;
        for (float v : t.data()) {
            s += (double) v * v;
        }
        return Math.sqrt(s / t.size());
    }

    @Test
    void shapesOfLogitsAndFeatures() {
        Vgg m = Vgg.create(Vgg.Architecture.vgg19(16), new SplittableRandom(3));
        Variable x = Variable.constant(gaussian(new SplittableRandom(4), 3, 3, 32, 32));
        assertArrayEquals(new int[] {3, 10}, m.logits(x, CPU, new SplittableRandom(5)).value().shape());
        assertArrayEquals(new int[] {3, 10}, m.logits(x, CPU, null).value().shape());
        assertArrayEquals(new int[] {3, 32}, m.features(x, CPU).value().shape());
        assertThrows(IllegalArgumentException.class,
                () -> m.features(Variable.constant(Tensor.zeros(1, 3, 16, 16)), CPU));
    }

    @Test
    void featuresAreNonNegativeAfterTheLastRelu() {
        // The features are taken after ReLU and max-pool: every entry ≥ 0.
        Vgg m = Vgg.create(Vgg.Architecture.vgg19(16), new SplittableRandom(6));
        Tensor f = m.features(Variable.constant(gaussian(new SplittableRandom(7), 2, 3, 32, 32)), CPU).value();
        for (float v : f.data()) {
            assertTrue(v >= 0);
        }
    }

    @Test
    void wholeNetworkGradientInTrainingMode() {
        // Every parameter of the tiny network (convs, BN, classifier) against finite differences of
        // the cross-entropy, with dropout masks redrawn from the same seed at every evaluation.
        // NOTE: with N(0, 0.01²) classifier weights and zero biases every hidden pre-activation is
        // within a step h = 1e−2 of the ReLU kink, where a central difference measures half a slope;
        // the hidden biases are therefore set to ±[0.3, 1] (a point of the same network, away from kinks).
        Vgg m = Vgg.create(tiny(), new SplittableRandom(8));
        List<Variable> p = m.parameters();
        SplittableRandom b = new SplittableRandom(14);
        for (int i : new int[] {7, 9}) {
            float[] bias = p.get(i).value().data();
            for (int j = 0; j < bias.length; j++) {
                bias[j] = (float) ((b.nextBoolean() ? 1 : -1) * (0.3 + 0.7 * b.nextDouble()));
            }
        }
        Tensor x = gaussian(new SplittableRandom(9), 4, 3, 4, 4);
        int[] labels = {0, 2, 1, 2};
        GradCheck.Result r = GradCheck.check(
                () -> SoftmaxCrossEntropy.apply(m.logits(Variable.constant(x), CPU, new SplittableRandom(10)), labels),
                m.parameters(), new SplittableRandom(99), GradCheck.Settings.defaults());
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void checkpointRoundTripGivesTheSameNetwork(@TempDir Path dir) throws IOException {
        Vgg m = Vgg.create(tiny(), new SplittableRandom(11));
        Tensor x = gaussian(new SplittableRandom(12), 5, 3, 4, 4);
        m.logits(Variable.constant(x), CPU, new SplittableRandom(13)); // moves the running statistics
        Sgd sgd = new Sgd(m.parameters(), Sgd.zeroVelocity(m.parameters()), 0.1, 0.9, 5e-4);
        sgd.velocity().get(0).data()[3] = 0.25f;
        Path file = dir.resolve("c.bin");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Checkpoint.of(m, sgd, 7, 42L, 0.5, 3).write(bytes);
        Files.write(file, bytes.toByteArray());

        Checkpoint c = Checkpoint.read(file);
        assertEquals(tiny(), c.architecture());
        assertEquals(7, c.epoch());
        assertEquals(42L, c.seed());
        assertEquals(0.5, c.bestAccuracy());
        assertEquals(3, c.bestEpoch());
        Vgg back = c.restore();
        assertArrayEquals(m.logits(Variable.constant(x), CPU, null).value().data(),
                back.logits(Variable.constant(x), CPU, null).value().data());
        assertEquals(0.25f, c.velocityFor(back).get(0).data()[3]);

        Files.write(file, java.util.Arrays.copyOf(bytes.toByteArray(), bytes.size() - 3));
        assertThrows(IOException.class, () -> Checkpoint.read(file));
    }

    @Test
    void momentumSgdStepByHand() {
        // w = 1, ∇w = 0.5, λ = 0.1, μ = 0.9, η = 0.1: g = 0.6; v = 0.6; w = 0.94. Second step with the
        // same gradient: g = 0.5 + 0.094 = 0.594, v = 0.54 + 0.594 = 1.134, w = 0.94 − 0.1134 = 0.8266.
        Variable w = Variable.parameter(Tensor.full(1f, 1));
        Sgd sgd = new Sgd(List.of(w), Sgd.zeroVelocity(List.of(w)), 0.1, 0.9, 0.1);
        for (int i = 0; i < 2; i++) {
            w.zeroGrad();
            w.mul(Variable.constant(Tensor.full(0.5f, 1))).sum().backward();
            sgd.step();
        }
        assertEquals(0.8266, w.value().data()[0], 1e-6);
        assertEquals(1.134, sgd.velocity().get(0).data()[0], 1e-6);
    }
}
