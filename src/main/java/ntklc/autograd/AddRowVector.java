package ntklc.autograd;

import ntklc.tensor.Tensor;
import ntklc.tensor.TensorOps;

/**
 * Adds a bias to every sample: {@code Y[i, j] = X[i, j] + b[j]}, {@code X, Y: n×d}, {@code b}
 * rank 1 of length {@code d} (the only broadcast in the code base, and it is named).
 *
 * <p>Backward: {@code ∂L/∂X = G}, {@code ∂L/∂b[j] = Σ_i G[i, j]} (column sums).
 */
public final class AddRowVector extends Primitive {
    private final Variable x;
    private final Variable b;

    private AddRowVector(Variable x, Variable b) {
        super(x, b);
        this.x = x;
        this.b = b;
    }

    public static Variable apply(Variable x, Variable b) {
        return new AddRowVector(x, b).output(TensorOps.addRowVector(x.value(), b.value()));
    }

    @Override
    protected void backward(Tensor g) {
        x.accumulate(g);
        if (b.requiresGrad()) {
            b.accumulate(TensorOps.columnSums(g));
        }
    }
}
