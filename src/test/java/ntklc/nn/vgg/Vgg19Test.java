package ntklc.nn.vgg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import ntklc.autograd.SoftmaxCrossEntropy;
import ntklc.autograd.Variable;
import ntklc.tensor.Tensor;

/** VGG19 (spec §2.5) at small widths: shapes, parameter count, and that SGD lowers the loss on a tiny batch. */
class Vgg19Test {
    private static Tensor images(SplittableRandom rng, int n) {
        Tensor x = Tensor.zeros(n, 3, 32, 32);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = (float) rng.nextGaussian();
        }
        return x;
    }

    @Test
    void shapesAndParameterCount() {
        Vgg19 net = new Vgg19(16, 10, new SplittableRandom(1));
        assertEquals(32, net.featureDim());
        Tensor x = images(new SplittableRandom(2), 2);
        assertArrayEquals(new int[] {2, 32}, net.features(Variable.constant(x), false).value().shape());
        assertArrayEquals(new int[] {2, 10}, net.forward(Variable.constant(x), true).value().shape());
        // Independent count from the plan: each block 9·in·out weights + γ, β; classifier
        // d·d + d twice and d·10 + 10 (d = 512/16 = 32).
        long expected = 0;
        int in = 3;
        for (int c : Vgg19.PLAN) {
            if (c > 0) {
                int out = c / 16;
                expected += 9L * in * out + 2L * out;
                in = out;
            }
        }
        expected += 2L * (32 * 32 + 32) + 32 * 10 + 10;
        long got = net.parameters().stream().mapToLong(v -> v.value().size()).sum();
        assertEquals(expected, got);
        assertEquals(16 * 2, net.buffers().size(), "running mean and variance of 16 blocks");
        assertThrows(IllegalArgumentException.class, () -> new Vgg19(3, 10, new SplittableRandom(1)));
        assertThrows(IllegalArgumentException.class, () -> net.features(Variable.constant(Tensor.zeros(1, 3, 16, 16)), false));
    }

    @Test
    void sgdFitsATinyBatch() {
        // Property: plain gradient descent on 4 fixed images with distinct labels lowers the training
        // loss from its start (log 10 ≈ 2.3 at initialisation, as the N(0, 0.01²) classifier starts
        // with logits near 0). The classifier's small initial weights and dropout make the first
        // steps slow, so the test asks for a clear fall (0.1 nat in 20 steps), not a fit.
        SplittableRandom rng = new SplittableRandom(3);
        Vgg19 net = new Vgg19(32, 10, rng);
        Tensor x = images(rng, 4);
        int[] labels = {0, 1, 2, 3};
        double first = Double.NaN;
        double last = Double.NaN;
        for (int step = 0; step < 20; step++) {
            net.parameters().forEach(Variable::zeroGrad);
            // Training mode: batch statistics in the batch norms, dropout active.
            Variable loss = SoftmaxCrossEntropy.apply(net.forward(Variable.constant(x), true), labels);
            loss.backward();
            for (Variable p : net.parameters()) {
                float[] v = p.value().data();
                float[] g = p.grad().data();
                for (int i = 0; i < v.length; i++) {
                    v[i] -= 0.1f * g[i];
                }
            }
            double l = loss.value().data()[0];
            if (step == 0) {
                first = l;
            }
            last = l;
        }
        assertEquals(Math.log(10), first, 0.05, "initial loss");
        assertTrue(last < first - 0.1, "loss " + first + " → " + last);
    }
}
