package ntklc.autograd;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import ntklc.tensor.Tensor;

/**
 * The convolutional primitives (Conv2d, MaxPool2d, BatchNorm2d) against central finite differences
 * of their forward passes ({@link GradCheck}, default settings), on odd shapes, plus a negative
 * control: the convolution with its weights gradient flipped in sign must fail the same check.
 */
class ConvolutionGradCheckTest {
    private static final GradCheck.Settings SETTINGS = GradCheck.Settings.defaults();

    @Test
    void convolution() {
        SplittableRandom rng = new SplittableRandom(31);
        Tensor x = GradCheckTest.uniform(rng, 2, 3, 4, 5);
        Tensor w = GradCheckTest.uniform(rng, 4, 3, 3, 3);
        GradCheck.Result r = GradCheck.check(v -> Conv2d.apply(v.get(0), v.get(1)), List.of(x, w),
                new SplittableRandom(99), SETTINGS);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void maxPoolAwayFromTies() {
        // Distinct values spaced 0.05 apart (≥ 5 steps h): no window's maximum changes under ±h.
        int size = 2 * 3 * 4 * 6;
        Tensor x = Tensor.zeros(2, 3, 4, 6);
        SplittableRandom rng = new SplittableRandom(32);
        int[] perm = rng.ints(0, Integer.MAX_VALUE).limit(size).toArray();
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Integer.compare(perm[a], perm[b]));
        for (int i = 0; i < size; i++) {
            x.data()[order[i]] = -3f + 0.05f * i;
        }
        GradCheck.Result r = GradCheck.check(v -> MaxPool2d.apply(v.get(0)), List.of(x), new SplittableRandom(99), SETTINGS);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void batchNorm() {
        SplittableRandom rng = new SplittableRandom(33);
        Tensor x = GradCheckTest.uniform(rng, 3, 2, 2, 3);
        Tensor gamma = GradCheckTest.uniform(rng, 2);
        Tensor beta = GradCheckTest.uniform(rng, 2);
        GradCheck.Result r = GradCheck.check(v -> BatchNorm2d.apply(v.get(0), v.get(1), v.get(2), 1e-5f),
                List.of(x, gamma, beta), new SplittableRandom(99), SETTINGS);
        assertTrue(r.passed(), r.toString());
    }

    /** A convolution whose weight gradient has the wrong sign: the check must catch it. */
    private static final class WrongConv extends Primitive {
        private final Variable x;
        private final Variable w;

        private WrongConv(Variable x, Variable w) {
            super(x, w);
            this.x = x;
            this.w = w;
        }

        static Variable apply(Variable x, Variable w) {
            return new WrongConv(x, w).output(ntklc.backend.cpu.Conv3x3.forward(x.value(), w.value()));
        }

        @Override
        protected void backward(Tensor g) {
            x.accumulate(ntklc.backend.cpu.Conv3x3.backwardData(g, w.value()));
            Tensor dw = ntklc.backend.cpu.Conv3x3.backwardWeights(x.value(), g, w.value().dim(0));
            for (int i = 0; i < dw.size(); i++) {
                dw.data()[i] = -dw.data()[i];
            }
            w.accumulate(dw);
        }
    }

    @Test
    void negativeControlWrongWeightGradientFails() {
        SplittableRandom rng = new SplittableRandom(34);
        Tensor x = GradCheckTest.uniform(rng, 1, 2, 3, 3);
        Tensor w = GradCheckTest.uniform(rng, 2, 2, 3, 3);
        GradCheck.Result r = GradCheck.check(v -> WrongConv.apply(v.get(0), v.get(1)), List.of(x, w),
                new SplittableRandom(99), SETTINGS);
        assertFalse(r.passed(), r.toString());
    }
}
