package ntklc.tensor;

import java.util.SplittableRandom;

/** Test support: random tensors shared by the gradient, reference and parity tests. */
public final class TestTensors {
    private TestTensors() {
    }

    /** A tensor of {@code shape} with entries {@code 2u − 1}, {@code u} uniform in [0, 1): uniform in [−1, 1). */
    public static Tensor uniform(SplittableRandom rng, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) (2 * rng.nextDouble() - 1);
        }
        return t;
    }
}
