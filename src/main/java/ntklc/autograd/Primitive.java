package ntklc.autograd;

import java.util.List;

import ntklc.tensor.Tensor;

/**
 * One differentiable operation: each subclass computes its output in a static {@code apply}
 * method and, a few lines below, its local chain rule in {@link #backward}. Whatever the backward
 * rule needs (inputs, saved outputs, masks) is kept in final fields during the forward pass.
 */
public abstract class Primitive {
    private final List<Variable> inputs;

    protected Primitive(Variable... inputs) {
        this.inputs = List.of(inputs);
    }

    /** The operands, in the order the forward pass took them. */
    public final List<Variable> inputs() {
        return inputs;
    }

    /**
     * Given {@code ∂loss/∂output} ({@code gradOutput}, same shape as the output, Not modified),
     * adds {@code ∂loss/∂input} to the gradient of every input that requires one.
     */
    protected abstract void backward(Tensor gradOutput);

    /** Wraps the output tensor of this primitive as a graph node. */
    protected final Variable output(Tensor value) {
        return Variable.result(value, this);
    }
}
