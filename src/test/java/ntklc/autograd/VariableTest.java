package ntklc.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import ntklc.tensor.Tensor;

/** Graph bookkeeping: accumulation, constants, topological order, scalars. Expected values by hand. */
class VariableTest {
    @Test
    void gradientsAccumulateUntilZeroed() {
        Variable w = Variable.parameter(Tensor.wrap(new float[] {1, 2}, 2));
        // d/dw Σ 3·w = 3 per entry; two backward passes add up to 6.
        Variable three = Variable.constant(Tensor.wrap(new float[] {3, 3}, 2));
        w.mul(three).sum().backward();
        w.mul(three).sum().backward();
        assertArrayEquals(new float[] {6, 6}, w.grad().data());
        w.zeroGrad();
        assertNull(w.grad());
    }

    @Test
    void constantsGetNoGradientAndBuildNoGraph() {
        Variable c = Variable.constant(Tensor.wrap(new float[] {1, -1}, 2));
        Variable y = c.relu();
        assertFalse(y.requiresGrad());
        assertNull(y.creator());
        Variable w = Variable.parameter(Tensor.wrap(new float[] {2, 5}, 2));
        w.mul(c).sum().backward();
        assertNull(c.grad());
        assertArrayEquals(new float[] {1, -1}, w.grad().data());
    }

    @Test
    void diamondIsVisitedOncePerNode() {
        // y = a·a with a = 2x (shared by both factors of the product): dy/dx = 8x. With x = 3: 24.
        Variable x = Variable.parameter(Tensor.wrap(new float[] {3}, 1));
        Variable a = x.add(x);
        a.mul(a).sum().backward();
        assertEquals(24f, x.grad().data()[0]);
    }

    @Test
    void backwardWithoutSeedNeedsAScalar() {
        Variable w = Variable.parameter(Tensor.wrap(new float[] {1, 2}, 2));
        assertThrows(IllegalStateException.class, () -> w.relu().backward());
        Variable s = w.mean();
        assertEquals(0, s.value().rank());
        s.backward();
        assertArrayEquals(new float[] {0.5f, 0.5f}, w.grad().data());
    }
}
