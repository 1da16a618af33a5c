package ntklc.autograd;

import ntklc.tensor.Tensor;

/**
 * Matrix product {@code C = A·B}, {@code A: m×k}, {@code B: k×n}, {@code C: m×n}.
 *
 * <p>Backward: {@code ∂L/∂A = G·Bᵀ}, {@code ∂L/∂B = Aᵀ·G} with {@code G = ∂L/∂C}.
 */
public final class MatMul extends Primitive {
    private final Variable a;
    private final Variable b;

    private MatMul(Variable a, Variable b) {
        super(a, b);
        this.a = a;
        this.b = b;
    }

    public static Variable apply(Variable a, Variable b) {
        MatMul op = new MatMul(a, b);
        return op.output(ntklc.tensor.MatMul.matmul(a.value(), b.value()));
    }

    @Override
    protected void backward(Tensor g) {
        if (a.requiresGrad()) {
            a.accumulate(ntklc.tensor.MatMul.matmulTransB(g, b.value()));
        }
        if (b.requiresGrad()) {
            b.accumulate(ntklc.tensor.MatMul.matmulTransA(a.value(), g));
        }
    }
}
