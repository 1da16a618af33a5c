package ntklc.autograd;

import ntklc.tensor.Tensor;
import ntklc.tensor.TensorOps;

/** Sum of all elements, {@code s = Σ_i x_i} (a rank-0 scalar). Backward: {@code ∂L/∂x_i = G}. */
public final class Sum extends Primitive {
    private final Variable x;

    private Sum(Variable x) {
        super(x);
        this.x = x;
    }

    public static Variable apply(Variable x) {
        return new Sum(x).output(Tensor.full((float) TensorOps.sum(x.value())));
    }

    @Override
    protected void backward(Tensor g) {
        x.accumulate(Tensor.full(g.data()[0], x.value().shape()));
    }
}
