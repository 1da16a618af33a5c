package ntklc.autograd;

import ntklc.tensor.Tensor;
import ntklc.tensor.TensorOps;

/** Element-wise sum {@code C = A + B} (equal shapes). Backward: {@code ∂L/∂A = ∂L/∂B = G}. */
public final class Add extends Primitive {
    private final Variable a;
    private final Variable b;

    private Add(Variable a, Variable b) {
        super(a, b);
        this.a = a;
        this.b = b;
    }

    public static Variable apply(Variable a, Variable b) {
        return new Add(a, b).output(TensorOps.add(a.value(), b.value()));
    }

    @Override
    protected void backward(Tensor g) {
        a.accumulate(g);
        b.accumulate(g);
    }
}
