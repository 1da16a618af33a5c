package ntklc.autograd;

import ntklc.tensor.Tensor;

/**
 * The product of a batch with a transposed weight matrix, {@code Y = X·Wᵀ}: the paper's
 * {@code W X} (Eq. (2), {@code W ∈ R^{d_out×d_in}}, {@code X ∈ R^{d_in×n}}) written for data
 * stored one sample per row. {@code X: n×d_in}, {@code W: d_out×d_in}, {@code Y: n×d_out}.
 *
 * <p>A primitive of its own (rather than {@code MatMul} after a transpose) so the weight keeps the
 * paper's orientation and no transposed copy enters the graph. Backward, with {@code G = ∂L/∂Y}:
 * {@code ∂L/∂X = G·W}, {@code ∂L/∂W = Gᵀ·X}.
 */
public final class LinearMap extends Primitive {
    private final Variable x;
    private final Variable w;

    private LinearMap(Variable x, Variable w) {
        super(x, w);
        this.x = x;
        this.w = w;
    }

    /**
     * @param x {@code n×d_in}
     * @param w {@code d_out×d_in}
     * @return {@code n×d_out}
     */
    public static Variable apply(Variable x, Variable w) {
        LinearMap op = new LinearMap(x, w);
        return op.output(ntklc.tensor.MatMul.matmulTransB(x.value(), w.value()));
    }

    @Override
    protected void backward(Tensor g) {
        if (x.requiresGrad()) {
            x.accumulate(ntklc.tensor.MatMul.matmul(g, w.value()));
        }
        if (w.requiresGrad()) {
            w.accumulate(ntklc.tensor.MatMul.matmulTransA(g, x.value()));
        }
    }
}
