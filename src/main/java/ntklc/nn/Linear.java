package ntklc.nn;

import java.util.List;
import java.util.SplittableRandom;

import ntklc.autograd.AddRowVector;
import ntklc.autograd.LinearMap;
import ntklc.autograd.Variable;
import ntklc.tensor.Tensor;

/**
 * A fully connected layer {@code Y = X·Wᵀ + 1·bᵀ}: the paper's {@code W_ℓ X + b} (Eq. (2)) for a
 * batch stored one sample per row.
 *
 * <p>Shapes: {@code X: n×d_in}, {@code W: d_out×d_in} (the paper's orientation,
 * {@code W_ℓ ∈ R^{d_ℓ×d_{ℓ−1}}}), {@code b} rank 1 of length {@code d_out} (optional; starts at 0),
 * {@code Y: n×d_out}.
 */
public final class Linear implements Module {
    private final Variable weight;
    private final Variable bias;

    /** Wraps given tensors as trainable parameters (bias may be {@code null}); not copied. */
    public Linear(Tensor weight, Tensor bias) {
        weight.requireRank(2);
        if (bias != null && (bias.rank() != 1 || bias.size() != weight.rows())) {
            throw new IllegalArgumentException("bias of shape " + bias.shapeString() + " for weight "
                    + weight.shapeString());
        }
        this.weight = Variable.parameter(weight);
        this.bias = bias == null ? null : Variable.parameter(bias);
    }

    /**
     * A new layer with weights drawn from {@code init}.
     *
     * @param rng draws the weights (Modified)
     */
    public static Linear create(int dIn, int dOut, boolean withBias, Initializer init, SplittableRandom rng) {
        Tensor w = Tensor.zeros(dOut, dIn);
        init.fill(w, rng);
        return new Linear(w, withBias ? Tensor.zeros(dOut) : null);
    }

    @Override
    public Variable forward(Variable x, boolean training) {
        if (x.value().rank() != 2 || x.value().cols() != inputs()) {
            throw new IllegalArgumentException("Linear " + inputs() + "→" + outputs() + " given a batch of shape "
                    + x.value().shapeString());
        }
        Variable y = LinearMap.apply(x, weight);
        return bias == null ? y : AddRowVector.apply(y, bias);
    }

    @Override
    public List<Variable> parameters() {
        return bias == null ? List.of(weight) : List.of(weight, bias);
    }

    /** {@code W}, {@code d_out×d_in}. */
    public Variable weight() {
        return weight;
    }

    /** {@code b} of length {@code d_out}, or {@code null} without bias. */
    public Variable bias() {
        return bias;
    }

    public int inputs() {
        return weight.value().cols();
    }

    public int outputs() {
        return weight.value().rows();
    }
}
