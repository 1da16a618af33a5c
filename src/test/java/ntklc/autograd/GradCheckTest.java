package ntklc.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ntklc.tensor.TestTensors.uniform;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import ntklc.activation.Activation;
import ntklc.activation.Activations;
import ntklc.activation.Moments;
import ntklc.activation.PointwiseOp;
import ntklc.tensor.Tensor;

/**
 * Every primitive's backward rule against central finite differences of its forward pass (the
 * independent oracle), plus a negative control: a primitive with a deliberately wrong backward
 * must fail the same check.
 */
class GradCheckTest {
    private static final GradCheck.Settings SETTINGS = GradCheck.Settings.defaults();

    /** Entries with |x| uniform in [0.1, 1] and a random sign: at least 10 steps h away from the ReLU kink. */
    static Tensor awayFromZero(SplittableRandom rng, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            double m = 0.1 + 0.9 * rng.nextDouble();
            t.data()[i] = (float) (rng.nextBoolean() ? m : -m);
        }
        return t;
    }

    private static GradCheck.Result check(Function<List<Variable>, Variable> f, Tensor... inputs) {
        GradCheck.Result r = GradCheck.check(f, List.of(inputs), new SplittableRandom(99), SETTINGS);
        assertTrue(r.passed(), r.toString());
        assertEquals(total(inputs), r.checked());
        return r;
    }

    private static int total(Tensor... ts) {
        int n = 0;
        for (Tensor t : ts) {
            n += t.size();
        }
        return n;
    }

    @Test
    void matmul() {
        SplittableRandom rng = new SplittableRandom(1);
        check(v -> MatMul.apply(v.get(0), v.get(1)), uniform(rng, 3, 4), uniform(rng, 4, 5));
    }

    @Test
    void linearMap() {
        SplittableRandom rng = new SplittableRandom(2);
        check(v -> LinearMap.apply(v.get(0), v.get(1)), uniform(rng, 3, 4), uniform(rng, 5, 4));
    }

    @Test
    void addSubMul() {
        SplittableRandom rng = new SplittableRandom(3);
        Tensor a = uniform(rng, 2, 3);
        Tensor b = uniform(rng, 2, 3);
        check(v -> Add.apply(v.get(0), v.get(1)), a, b);
        check(v -> Sub.apply(v.get(0), v.get(1)), a, b);
        check(v -> Mul.apply(v.get(0), v.get(1)), a, b);
    }

    @Test
    void reusedVariableAccumulates() {
        // f(a) = a ∘ a + a: the variable feeds three inputs, so its gradient 2a + 1 is correct only if contributions add up.
        SplittableRandom rng = new SplittableRandom(4);
        check(v -> Add.apply(Mul.apply(v.get(0), v.get(0)), v.get(0)), uniform(rng, 3, 3));
    }

    @Test
    void addRowVector() {
        SplittableRandom rng = new SplittableRandom(5);
        check(v -> AddRowVector.apply(v.get(0), v.get(1)), uniform(rng, 4, 3), uniform(rng, 3));
    }

    @Test
    void relu() {
        check(v -> Pointwise.apply(v.get(0), PointwiseOp.RELU), awayFromZero(new SplittableRandom(6), 4, 5));
    }

    @Test
    void tanhAndSigmoid() {
        SplittableRandom rng = new SplittableRandom(7);
        Tensor x = Tensor.zeros(4, 5);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = (float) (6 * rng.nextDouble() - 3);
        }
        check(v -> Pointwise.apply(v.get(0), PointwiseOp.TANH), x);
        check(v -> Pointwise.apply(v.get(0), PointwiseOp.SIGMOID), x);
    }

    /** A smooth activation written against the shared interface: σ(u) = u³/3 + sin u. */
    private static final Activation CUBIC_SINE = new Activation() {
        @Override
        public double value(double u) {
            return u * u * u / 3 + Math.sin(u);
        }

        @Override
        public double derivative(double u) {
            return u * u + Math.cos(u);
        }

        @Override
        public Moments moments(double tau) {
            throw new UnsupportedOperationException("not needed by the gradient check");
        }

        @Override
        public String spec() {
            return "cubic-sine";
        }
    };

    @Test
    void pointwiseActivation() {
        check(v -> Pointwise.apply(v.get(0), CUBIC_SINE), uniform(new SplittableRandom(8), 3, 4));
        // The shared activation objects the theory uses: their derivative() feeds backward here.
        check(v -> Pointwise.apply(v.get(0), Activations.erf()), uniform(new SplittableRandom(15), 3, 4));
        check(v -> Pointwise.apply(v.get(0), Activations.lrelu(0.1)), awayFromZero(new SplittableRandom(16), 3, 4));
    }

    @Test
    void sumMeanReshape() {
        SplittableRandom rng = new SplittableRandom(9);
        Tensor x = uniform(rng, 2, 3, 4);
        check(v -> Sum.apply(v.get(0)), x);
        check(v -> Mean.apply(v.get(0)), x);
        check(v -> Reshape.flatten(v.get(0)), x);
        // Reshape followed by a shape-sensitive op, so a wrongly ordered gradient would be caught.
        check(v -> MatMul.apply(Reshape.apply(v.get(0), 6, 4), v.get(1)), x, uniform(rng, 4, 2));
    }

    @Test
    void dropout() {
        SplittableRandom rng = new SplittableRandom(10);
        // The mask must be the same on every call, so the generator is created inside f from a fixed seed.
        check(v -> Dropout.apply(v.get(0), 0.5, new SplittableRandom(11)), uniform(rng, 5, 6));
    }

    @Test
    void softmaxCrossEntropy() {
        SplittableRandom rng = new SplittableRandom(12);
        int[] labels = {0, 2, 1, 2};
        check(v -> SoftmaxCrossEntropy.apply(v.get(0), labels), uniform(rng, 4, 3));
    }

    @Test
    void wholeMlpWithTanh() {
        // 6×5 inputs → 7 tanh → 4 relu-free logits → cross-entropy; inputs and all parameters checked.
        SplittableRandom rng = new SplittableRandom(13);
        int[] labels = {0, 3, 1, 2, 3, 0};
        check(v -> {
            Variable h = Pointwise.apply(AddRowVector.apply(LinearMap.apply(v.get(0), v.get(1)), v.get(2)), PointwiseOp.TANH);
            Variable z = AddRowVector.apply(LinearMap.apply(h, v.get(3)), v.get(4));
            return SoftmaxCrossEntropy.apply(z, labels);
        }, uniform(rng, 6, 5), uniform(rng, 7, 5), uniform(rng, 7), uniform(rng, 4, 7), uniform(rng, 4));
    }

    /**
     * A primitive whose backward is off: it claims d tanh(x)/dx = 1 − y (instead of 1 − y²).
     * The checker must reject it, or it could not catch a real mistake either.
     */
    private static final class WrongTanh extends Primitive {
        private final Variable x;
        private final Tensor y;

        private WrongTanh(Variable x, Tensor y) {
            super(x);
            this.x = x;
            this.y = y;
        }

        static Variable apply(Variable x) {
            Tensor y = Pointwise.apply(Variable.constant(x.value()), PointwiseOp.TANH).value();
            return new WrongTanh(x, y).output(y);
        }

        @Override
        protected void backward(Tensor g) {
            Tensor dx = Tensor.zeros(y.shape());
            for (int i = 0; i < dx.size(); i++) {
                dx.data()[i] = g.data()[i] * (1 - y.data()[i]);
            }
            x.accumulate(dx);
        }
    }

    @Test
    void negativeControlFails() {
        Tensor x = uniform(new SplittableRandom(14), 3, 4);
        GradCheck.Result r = GradCheck.check(v -> WrongTanh.apply(v.get(0)), List.of(x), new SplittableRandom(99),
                SETTINGS);
        assertFalse(r.passed(), "a wrong backward rule passed the check: " + r);
    }

    @Test
    void negativeControlKinkIsDetected() {
        // Inputs straddling the ReLU kink (|x| < h) give a central difference of about half the slope:
        // the check must flag it, which is why the ReLU test keeps its inputs away from 0.
        Tensor x = Tensor.wrap(new float[] {0.003f, -0.004f, 0.5f}, 3);
        GradCheck.Result r = GradCheck.check(v -> Pointwise.apply(v.get(0), PointwiseOp.RELU), List.of(x), new SplittableRandom(99),
                SETTINGS);
        assertFalse(r.passed(), r.toString());
    }
}
