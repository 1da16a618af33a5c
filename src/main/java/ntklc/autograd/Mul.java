package ntklc.autograd;

import ntklc.tensor.Tensor;
import ntklc.tensor.TensorOps;

/**
 * Element-wise (Hadamard) product {@code C = A ∘ B} (equal shapes).
 * Backward: {@code ∂L/∂A = G ∘ B}, {@code ∂L/∂B = G ∘ A}.
 */
public final class Mul extends Primitive {
    private final Variable a;
    private final Variable b;

    private Mul(Variable a, Variable b) {
        super(a, b);
        this.a = a;
        this.b = b;
    }

    public static Variable apply(Variable a, Variable b) {
        return new Mul(a, b).output(TensorOps.mul(a.value(), b.value()));
    }

    @Override
    protected void backward(Tensor g) {
        if (a.requiresGrad()) {
            a.accumulate(TensorOps.mul(g, b.value()));
        }
        if (b.requiresGrad()) {
            b.accumulate(TensorOps.mul(g, a.value()));
        }
    }
}
