package ntklc.autograd;

import ntklc.tensor.Tensor;
import ntklc.tensor.TensorOps;

/**
 * A new shape over the same elements in the same row-major order (a view: no copy). Flattening an
 * image batch {@code N×C×H×W → N×(C·H·W)} is {@link #flatten}. Backward: the gradient reshaped
 * back to the input's shape.
 */
public final class Reshape extends Primitive {
    private final Variable x;

    private Reshape(Variable x) {
        super(x);
        this.x = x;
    }

    public static Variable apply(Variable x, int... shape) {
        return new Reshape(x).output(x.value().reshape(shape));
    }

    /** {@code N×… → N×(product of the rest)}. */
    public static Variable flatten(Variable x) {
        return apply(x, TensorOps.flatten(x.value()).shape());
    }

    @Override
    protected void backward(Tensor g) {
        x.accumulate(g.reshape(x.value().shape()));
    }
}
