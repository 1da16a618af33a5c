package ntklc.autograd;

import ntklc.tensor.Tensor;
import ntklc.tensor.TensorOps;

/**
 * Mean of all {@code N} elements, {@code m = (1/N) Σ_i x_i} (a rank-0 scalar).
 * Backward: {@code ∂L/∂x_i = G / N}.
 */
public final class Mean extends Primitive {
    private final Variable x;

    private Mean(Variable x) {
        super(x);
        this.x = x;
    }

    public static Variable apply(Variable x) {
        return new Mean(x).output(Tensor.full((float) TensorOps.mean(x.value())));
    }

    @Override
    protected void backward(Tensor g) {
        x.accumulate(Tensor.full(g.data()[0] / x.value().size(), x.value().shape()));
    }
}
