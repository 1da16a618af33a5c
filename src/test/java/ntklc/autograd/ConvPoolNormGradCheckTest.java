package ntklc.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import ntklc.backend.Backend;
import ntklc.backend.CpuBackend;
import ntklc.tensor.Tensor;
import ntklc.tensor.TestTensors;

/**
 * The image primitives of VGG19 (docs/theory.md §1.4) — 3×3 convolution, 2×2 max-pool, batch norm in
 * training and evaluation mode — against central finite differences of their own forward pass
 * (the oracle, {@link GradCheck}), on the CPU backend, at small awkward shapes (odd widths,
 * non-square images). A negative control (batch norm whose backward treats the batch statistics as
 * constants) must fail the same check.
 */
class ConvPoolNormGradCheckTest {
    private static final GradCheck.Settings SETTINGS = GradCheck.Settings.defaults();
    private static final Backend CPU = new CpuBackend();

    private static GradCheck.Result check(Function<List<Variable>, Variable> f, Tensor... inputs) {
        GradCheck.Result r = GradCheck.check(f, List.of(inputs), new SplittableRandom(99), SETTINGS);
        assertTrue(r.passed(), r.toString());
        int total = 0;
        for (Tensor t : inputs) {
            total += t.size();
        }
        assertEquals(total, r.checked());
        return r;
    }

    @Test
    void convolutionInputAndFilters() {
        // N=2, C=3, 5×4 images, K=4 filters: both gradients (data and weights) checked entry by entry.
        SplittableRandom rng = new SplittableRandom(21);
        check(v -> Convolution3x3.apply(v.get(0), v.get(1), CPU),
                TestTensors.uniform(rng, 2, 3, 5, 4), TestTensors.uniform(rng, 4, 3, 3, 3));
    }

    @Test
    void convolutionOfOneChannelOneImage() {
        SplittableRandom rng = new SplittableRandom(22);
        check(v -> Convolution3x3.apply(v.get(0), v.get(1), CPU),
                TestTensors.uniform(rng, 1, 1, 3, 7), TestTensors.uniform(rng, 2, 1, 3, 3));
    }

    @Test
    void convolutionOfAConstantImageIsTheSumOfTheFilterInside() {
        // Independent value check: for x ≡ 1, an interior output pixel is Σ_{c,i,j} w[k,c,i,j] and a
        // corner one sums only the 2×2 taps that stay inside the image.
        Tensor x = Tensor.full(1f, 1, 2, 3, 3);
        SplittableRandom rng = new SplittableRandom(23);
        Tensor w = TestTensors.uniform(rng, 1, 2, 3, 3);
        Tensor y = Convolution3x3.apply(Variable.constant(x), Variable.constant(w), CPU).value();
        double all = 0;
        double corner = 0;
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    float wv = w.data()[c * 9 + i * 3 + j];
                    all += wv;
                    if (i >= 1 && j >= 1) {
                        corner += wv;
                    }
                }
            }
        }
        assertEquals(all, y.data()[4], 1e-5);
        assertEquals(corner, y.data()[0], 1e-5);
    }

    /** Distinct entries spaced 0.05 apart (a shuffled ladder), so no window's maximum is within 2h of a tie. */
    private static Tensor ladder(SplittableRandom rng, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (0.05 * (i - d.length / 2));
        }
        for (int i = d.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            float s = d[i];
            d[i] = d[j];
            d[j] = s;
        }
        return t;
    }

    @Test
    void maxPoolWithAnOddWidth() {
        // 4×5 images: the fifth column is dropped by the pooling, so its gradient must be 0 — the
        // finite difference sees no change there either.
        check(v -> MaxPool.apply(v.get(0), CPU), ladder(new SplittableRandom(24), 2, 3, 4, 5));
    }

    @Test
    void maxPoolPicksTheLargestOfEachWindow() {
        Tensor x = Tensor.wrap(new float[] {1, 5, 2, 0, 3, 4, 7, 6}, 1, 1, 2, 4);
        Tensor y = MaxPool.apply(Variable.constant(x), CPU).value();
        assertArrayEquals(new int[] {1, 1, 1, 2}, y.shape());
        assertArrayEquals(new float[] {5, 7}, y.data());
    }

    @Test
    void batchNormTrainingThroughTheBatchStatistics() {
        // M = N·H·W = 3·3·2 = 18 values per channel; x, γ and β all checked.
        SplittableRandom rng = new SplittableRandom(25);
        check(v -> BatchNorm.apply(v.get(0), v.get(1), v.get(2), CPU, null),
                TestTensors.uniform(rng, 3, 2, 3, 2), GradCheckTest.awayFromZero(rng, 2),
                TestTensors.uniform(rng, 2));
    }

    @Test
    void batchNormInferenceWithRunningStatistics() {
        SplittableRandom rng = new SplittableRandom(26);
        BatchNorm.Running running = new BatchNorm.Running(Tensor.wrap(new float[] {0.3f, -0.2f, 0.1f}, 3),
                Tensor.wrap(new float[] {0.5f, 2f, 1.3f}, 3), BatchNorm.MOMENTUM);
        check(v -> BatchNormInference.apply(v.get(0), v.get(1), v.get(2), running),
                TestTensors.uniform(rng, 2, 3, 2, 3), TestTensors.uniform(rng, 3), TestTensors.uniform(rng, 3));
    }

    @Test
    void runningStatisticsFollowPyTorchsUpdate() {
        // One channel, values {1, 2, 3, 6}: μ = 3, unbiased variance = (4+1+0+9)/3 = 14/3. From
        // mean 0 / variance 1 and momentum 0.1: mean 0.3, variance 0.9 + 0.1·14/3 (PyTorch's rule).
        Tensor x = Tensor.wrap(new float[] {1, 2, 3, 6}, 2, 1, 1, 2);
        BatchNorm.Running running = BatchNorm.Running.fresh(1);
        Tensor y = BatchNorm.apply(Variable.constant(x), Variable.constant(Tensor.full(1f, 1)),
                Variable.constant(Tensor.zeros(1)), CPU, running).value();
        assertEquals(0.3, running.mean().data()[0], 1e-6);
        assertEquals(0.9 + 0.1 * 14 / 3.0, running.variance().data()[0], 1e-5);
        // biased variance 14/4 = 3.5: y = (x − 3)/√(3.5 + 1e−5)
        assertEquals(3 / Math.sqrt(3.5 + 1e-5), y.data()[3], 1e-6);
        // With running statistics equal to the batch ones (biased variance), evaluation mode gives the same output.
        BatchNorm.Running batch = new BatchNorm.Running(Tensor.full(3f, 1), Tensor.full(3.5f, 1), 0.1f);
        Tensor z = BatchNormInference.apply(Variable.constant(x), Variable.constant(Tensor.full(1f, 1)),
                Variable.constant(Tensor.zeros(1)), batch).value();
        assertArrayEquals(y.data(), z.data(), 1e-6f);
    }

    @Test
    void negativeControlBatchStatisticsTreatedAsConstants() {
        // The same forward value as training-mode batch norm, but the statistics enter as constants
        // (evaluation mode with running = batch statistics): the missing ∂μ/∂x and ∂σ/∂x terms must
        // make the check fail.
        SplittableRandom rng = new SplittableRandom(27);
        Tensor x0 = TestTensors.uniform(rng, 3, 2, 3, 2);
        GradCheck.Result r = GradCheck.check(v -> {
            Tensor x = v.get(0).value();
            int c = x.dim(1);
            int hw = x.dim(2) * x.dim(3);
            Tensor mean = Tensor.zeros(c);
            Tensor var = Tensor.zeros(c);
            for (int ch = 0; ch < c; ch++) {
                double s = 0;
                double ss = 0;
                int m = 0;
                for (int n = 0; n < x.dim(0); n++) {
                    for (int i = 0; i < hw; i++) {
                        double xv = x.data()[(n * c + ch) * hw + i];
                        s += xv;
                        ss += xv * xv;
                        m++;
                    }
                }
                mean.data()[ch] = (float) (s / m);
                var.data()[ch] = (float) (ss / m - (s / m) * (s / m));
            }
            return BatchNormInference.apply(v.get(0), v.get(1), v.get(2), new BatchNorm.Running(mean, var, 0.1f));
        }, List.of(x0, Tensor.full(1f, 2), Tensor.zeros(2)), new SplittableRandom(99), SETTINGS);
        assertFalse(r.passed(), "batch norm without the statistics' gradient passed: " + r);
    }
}
