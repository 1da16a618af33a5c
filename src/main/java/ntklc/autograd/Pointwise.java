package ntklc.autograd;

import ntklc.activation.Activation;
import ntklc.activation.PointwiseOp;
import ntklc.tensor.Parallel;
import ntklc.tensor.Tensor;
import ntklc.tensor.TensorOps;

/**
 * An activation σ applied element-wise, {@code y = σ(x)} (paper Eq. (2), docs/theory.md §3), so that networks and
 * theory use the same activation objects. Two kinds of σ:
 * <ul>
 *   <li>a {@link PointwiseOp} (ReLU, tanh, sigmoid): the float definition that both backends also
 *       compute, so a network trained here and one trained on a device apply the same function;</li>
 *   <li>any other {@link Activation}: evaluated in double, stored in float.</li>
 * </ul>
 *
 * <p>Backward: {@code ∂L/∂x = G ∘ σ'(x)}; the input is kept. For ReLU σ'(0) = 0 (a subgradient).
 * NOTE: for piecewise-constant σ (the quantised activations of paper Eq. (17), docs/theory.md §6.2) {@code σ' = 0}
 * almost everywhere, so no gradient flows through them: that is the true derivative, not a
 * surrogate.
 */
public final class Pointwise extends Primitive {
    private final Variable x;
    /** The float op, or {@code null} for a general {@link #sigma}. */
    private final PointwiseOp op;
    private final Activation sigma;

    private Pointwise(Variable x, PointwiseOp op, Activation sigma) {
        super(x);
        this.x = x;
        this.op = op;
        this.sigma = sigma;
    }

    /** {@code y = op(x)} with the float definition shared with the backends. */
    public static Variable apply(Variable x, PointwiseOp op) {
        float[] in = x.value().data();
        Tensor y = Tensor.zeros(x.value().shape());
        float[] out = y.data();
        Parallel.forRange(in.length, TensorOps.PARALLEL_THRESHOLD, (from, to) -> op.forward(in, out, from, to));
        return new Pointwise(x, op, op.activation()).output(y);
    }

    /** {@code y = σ(x)} for any activation, evaluated in double. */
    public static Variable apply(Variable x, Activation sigma) {
        float[] in = x.value().data();
        Tensor y = Tensor.zeros(x.value().shape());
        float[] out = y.data();
        Parallel.forRange(in.length, TensorOps.PARALLEL_THRESHOLD, (from, to) -> {
            for (int i = from; i < to; i++) {
                out[i] = (float) sigma.value(in[i]);
            }
        });
        return new Pointwise(x, null, sigma).output(y);
    }

    @Override
    protected void backward(Tensor g) {
        float[] gs = g.data();
        float[] xs = x.value().data();
        Tensor dx = Tensor.zeros(g.shape());
        float[] d = dx.data();
        Parallel.forRange(d.length, TensorOps.PARALLEL_THRESHOLD, (from, to) -> {
            if (op != null) {
                op.backward(xs, gs, d, from, to);
                return;
            }
            for (int i = from; i < to; i++) {
                d[i] = (float) (gs[i] * sigma.derivative(xs[i]));
            }
        });
        x.accumulate(dx);
    }
}
