package ntklc.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import ntklc.activation.Activations;
import ntklc.autograd.Variable;
import ntklc.tensor.Tensor;

/** The fast ReLU/tanh/sigmoid layers against the shared Activation objects (a second implementation). */
class ActivationLayerTest {
    @Test
    void fastPathsAgreeWithTheSharedActivations() {
        SplittableRandom rng = new SplittableRandom(1);
        Tensor x = Tensor.zeros(4, 6);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = (float) (4 * rng.nextDouble() - 2);
        }
        String[] names = {"relu", "tanh", "sigmoid"};
        ActivationLayer[] general = {ActivationLayer.of(Activations.relu()), ActivationLayer.of(Activations.tanh()),
            ActivationLayer.of(Activations.sigmoid())};
        for (int k = 0; k < names.length; k++) {
            Variable fast = ActivationLayer.parse(names[k]).forward(Variable.parameter(x), true);
            Variable slow = general[k].forward(Variable.parameter(x), true);
            // Both evaluate the same formula in double and round once to float: equal to 1 ulp.
            assertArrayEquals(slow.value().data(), fast.value().data(), 1e-6f, names[k]);
        }
    }

    @Test
    void otherSpellingsGoThroughTheActivationParser() {
        Tensor x = Tensor.wrap(new float[] {-2, 3}, 1, 2);
        Variable y = ActivationLayer.parse("lrelu:0.1").forward(Variable.constant(x), false);
        // lrelu with negative slope 0.1: (−2, 3) ↦ (−0.2, 3).
        assertArrayEquals(new float[] {-0.2f, 3f}, y.value().data(), 1e-7f);
        assertThrows(IllegalArgumentException.class, () -> ActivationLayer.parse("swish"));
    }
}
