package ntklc.autograd;

import ntklc.tensor.Tensor;
import ntklc.tensor.TensorOps;

/** Element-wise difference {@code C = A − B} (equal shapes). Backward: {@code ∂L/∂A = G}, {@code ∂L/∂B = −G}. */
public final class Sub extends Primitive {
    private final Variable a;
    private final Variable b;

    private Sub(Variable a, Variable b) {
        super(a, b);
        this.a = a;
        this.b = b;
    }

    public static Variable apply(Variable a, Variable b) {
        return new Sub(a, b).output(TensorOps.sub(a.value(), b.value()));
    }

    @Override
    protected void backward(Tensor g) {
        a.accumulate(g);
        if (b.requiresGrad()) {
            b.accumulate(TensorOps.scale(g, -1f));
        }
    }
}
