package ntklc.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import ntklc.activation.PointwiseOp;
import ntklc.tensor.Tensor;
import ntklc.tensor.TensorOps;

/**
 * A node of the computation graph: a value, the gradient of a scalar loss with respect to it, and
 * the {@link Primitive} that produced it (none for a leaf).
 *
 * <p>Gradients accumulate ({@code grad += …}), so a variable used twice receives both
 * contributions, and parameters keep their gradient until {@link #zeroGrad()}. A variable that
 * does not require a gradient (input data, labels' one-hot codes) is never given one, and
 * primitives skip the work of computing it.
 *
 * <p>Shapes follow {@link Tensor}: a mini-batch is {@code n×d}, one sample per row; a scalar loss
 * has rank 0.
 */
public final class Variable {
    private final Tensor value;
    private final boolean requiresGrad;
    private final Primitive creator;
    private Tensor grad;

    private Variable(Tensor value, boolean requiresGrad, Primitive creator) {
        this.value = value;
        this.requiresGrad = requiresGrad;
        this.creator = creator;
    }

    /** A leaf that receives a gradient: a trainable parameter. */
    public static Variable parameter(Tensor value) {
        return new Variable(value, true, null);
    }

    /** A leaf that receives no gradient: data, targets, fixed weights. */
    public static Variable constant(Tensor value) {
        return new Variable(value, false, null);
    }

    /**
     * The output of a primitive; it requires a gradient when any input does.
     * Called by {@link Primitive} subclasses only.
     */
    static Variable result(Tensor value, Primitive creator) {
        boolean any = false;
        for (Variable in : creator.inputs()) {
            any |= in.requiresGrad;
        }
        return new Variable(value, any, any ? creator : null);
    }

    /** The value (Modified only by optimizers, which update parameters in place). */
    public Tensor value() {
        return value;
    }

    /** The accumulated gradient {@code ∂loss/∂value}, same shape as the value; {@code null} before any backward pass. */
    public Tensor grad() {
        return grad;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** The primitive that produced this variable, or {@code null} for a leaf or a constant result. */
    public Primitive creator() {
        return creator;
    }

    /** Forgets the accumulated gradient. */
    public void zeroGrad() {
        grad = null;
    }

    /**
     * Adds {@code g} to the gradient (allocating it on first use). Ignored when this variable
     * requires no gradient. {@code g} is Not modified and may be shared by the caller.
     */
    void accumulate(Tensor g) {
        if (!requiresGrad) {
            return;
        }
        if (g.size() != value.size()) {
            throw new IllegalStateException("gradient of shape " + g.shapeString() + " for a value of shape "
                    + value.shapeString());
        }
        if (grad == null) {
            grad = g.copy().reshape(value.shape());
        } else {
            TensorOps.addInPlace(grad, g);
        }
    }

    /** Back-propagates from a scalar: {@code ∂this/∂this = 1}. */
    public void backward() {
        if (value.size() != 1) {
            throw new IllegalStateException("backward() needs a scalar, got shape " + value.shapeString()
                    + "; use backward(seed)");
        }
        backward(Tensor.full(1f, value.shape()));
    }

    /**
     * Reverse-mode sweep: seeds this variable's gradient with {@code seed} (same shape as the
     * value; the vector of a vector-Jacobian product) and calls every primitive's backward once,
     * in reverse topological order, so each runs only after all of its output's consumers have
     * added their contributions.
     */
    public void backward(Tensor seed) {
        Tensor.requireSameShape(value, seed, "backward seed");
        accumulate(seed);
        for (Variable v : topologicalOrder()) {
            if (v.creator != null && v.grad != null) {
                v.creator.backward(v.grad);
            }
        }
    }

    /** Variables reachable from this one, each after every variable computed from it (this one first). */
    private List<Variable> topologicalOrder() {
        List<Variable> postOrder = new ArrayList<>();
        Set<Variable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        // Iterative depth-first search (deep networks would overflow a recursive one).
        Deque<Variable> stack = new ArrayDeque<>();
        Deque<Integer> next = new ArrayDeque<>();
        stack.push(this);
        next.push(0);
        seen.add(this);
        while (!stack.isEmpty()) {
            Variable v = stack.peek();
            int i = next.pop();
            List<Variable> parents = v.creator == null ? List.of() : v.creator.inputs();
            if (i < parents.size()) {
                next.push(i + 1);
                Variable p = parents.get(i);
                if (p.requiresGrad && seen.add(p)) {
                    stack.push(p);
                    next.push(0);
                }
            } else {
                stack.pop();
                postOrder.add(v);
            }
        }
        Collections.reverse(postOrder);
        return postOrder;
    }

    // ---------------------------------------------------------------- fluent spelling of the primitives

    public Variable matmul(Variable b) {
        return MatMul.apply(this, b);
    }

    public Variable add(Variable b) {
        return Add.apply(this, b);
    }

    public Variable sub(Variable b) {
        return Sub.apply(this, b);
    }

    public Variable mul(Variable b) {
        return Mul.apply(this, b);
    }

    public Variable relu() {
        return Pointwise.apply(this, PointwiseOp.RELU);
    }

    public Variable tanh() {
        return Pointwise.apply(this, PointwiseOp.TANH);
    }

    public Variable sigmoid() {
        return Pointwise.apply(this, PointwiseOp.SIGMOID);
    }

    public Variable sum() {
        return Sum.apply(this);
    }

    public Variable mean() {
        return Mean.apply(this);
    }

    @Override
    public String toString() {
        return "Variable" + value.shapeString() + (creator == null ? "" : " ← " + creator.getClass().getSimpleName());
    }
}
