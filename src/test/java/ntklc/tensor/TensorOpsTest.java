package ntklc.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Element-wise ops, reductions and shape helpers against values worked out by hand or in closed form. */
class TensorOpsTest {
    private static Tensor m(float[] values, int rows, int cols) {
        return Tensor.wrap(values.clone(), rows, cols);
    }

    @Test
    void elementWiseByHand() {
        Tensor a = m(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = m(new float[] {6, 5, 4, 3, 2, 1}, 2, 3);
        assertArrayEquals(new float[] {7, 7, 7, 7, 7, 7}, TensorOps.add(a, b).data());
        assertArrayEquals(new float[] {-5, -3, -1, 1, 3, 5}, TensorOps.sub(a, b).data());
        assertArrayEquals(new float[] {6, 10, 12, 12, 10, 6}, TensorOps.mul(a, b).data());
        assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, TensorOps.scale(a, 2).data());
        assertArrayEquals(new float[] {1.5f, 2.5f, 3.5f, 4.5f, 5.5f, 6.5f}, TensorOps.addScalar(a, 0.5f).data());
        TensorOps.axpyInPlace(a, -1, b);
        assertArrayEquals(new float[] {-5, -3, -1, 1, 3, 5}, a.data());
    }

    @Test
    void noImplicitBroadcasting() {
        Tensor a = Tensor.zeros(2, 3);
        assertThrows(IllegalArgumentException.class, () -> TensorOps.add(a, Tensor.zeros(3, 2)));
        assertThrows(IllegalArgumentException.class, () -> TensorOps.mul(a, Tensor.zeros(1, 3)));
        assertThrows(IllegalArgumentException.class, () -> TensorOps.addRowVector(a, Tensor.zeros(2)));
        assertThrows(IllegalArgumentException.class, () -> TensorOps.addRowVector(a, Tensor.zeros(1, 3)));
    }

    @Test
    void rowVectorAndRowColumnSums() {
        Tensor x = m(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = Tensor.wrap(new float[] {10, 20, 30}, 3);
        assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36}, TensorOps.addRowVector(x, b).data());
        assertArrayEquals(new float[] {5, 7, 9}, TensorOps.columnSums(x).data());
        assertArrayEquals(new float[] {6, 15}, TensorOps.rowSums(x).data());
    }

    @Test
    void argmaxTakesFirstOnTies() {
        Tensor x = m(new float[] {1, 3, 3, -1, -2, -0.5f, 0, 0, 0}, 3, 3);
        assertArrayEquals(new int[] {1, 2, 0}, TensorOps.argmaxRows(x));
    }

    @Test
    void largeReductionsAndParallelPathsMatchClosedForms() {
        // n > PARALLEL_THRESHOLD so the multithreaded branches run; entries x_i = i mod 7.
        int n = 3 * TensorOps.PARALLEL_THRESHOLD + 5;
        Tensor x = Tensor.zeros(n);
        for (int i = 0; i < n; i++) {
            x.data()[i] = i % 7;
        }
        // Closed form: full cycles contribute 21 each, the remainder r contributes r(r−1)/2.
        int cycles = n / 7;
        int r = n % 7;
        double expected = 21.0 * cycles + r * (r - 1) / 2.0;
        assertEquals(expected, TensorOps.sum(x), 0);
        assertEquals(expected / n, TensorOps.mean(x), 1e-12);
        Tensor y = TensorOps.add(x, x);
        for (int i = 0; i < n; i++) {
            assertEquals(2 * (i % 7), y.data()[i]);
        }
    }

    @Test
    void shapeHelpers() {
        Tensor img = Tensor.zeros(2, 3, 4, 5);
        assertArrayEquals(new int[] {2, 60}, TensorOps.flatten(img).shape());
        Tensor x = m(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        assertArrayEquals(new float[] {5, 6, 1, 2}, TensorOps.gatherRows(x, new int[] {2, 0}).data());
        assertArrayEquals(new float[] {1, 3, 5, 2, 4, 6}, TensorOps.transpose(x).data());
    }
}
