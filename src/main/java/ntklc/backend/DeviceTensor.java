package ntklc.backend;

import java.util.Arrays;

/**
 * A float32 tensor living where its {@link Backend} computes: host memory for the CPU backend, a
 * device buffer for OpenCL. Same row-major layout and shape vocabulary as {@link ntklc.tensor.Tensor};
 * data moves to and from the host only through {@link Backend#upload} and {@link Backend#download},
 * so a training step can chain operations without a host round trip per op.
 */
public interface DeviceTensor extends AutoCloseable {
    /** A copy of the shape. */
    int[] shape();

    /** The backend that owns this tensor. */
    Backend backend();

    /** Releases the device memory (a no-op on the CPU); the tensor must not be used afterwards. */
    @Override
    void close();

    /** Total number of elements. */
    default int size() {
        int s = 1;
        for (int d : shape()) {
            s *= d;
        }
        return s;
    }

    /** Size of dimension {@code axis}. */
    default int dim(int axis) {
        return shape()[axis];
    }

    /** The shape written as {@code [2, 3]}. */
    default String shapeString() {
        return Arrays.toString(shape());
    }
}
