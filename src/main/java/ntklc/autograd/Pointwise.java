package ntklc.autograd;

import ntklc.activation.Activation;
import ntklc.tensor.Parallel;
import ntklc.tensor.Tensor;
import ntklc.tensor.TensorOps;

/**
 * Any {@link Activation} σ applied element-wise, {@code y = σ(x)}, so that networks and theory
 * use the same activation objects (paper Eq. (2), docs/theory.md §3). Evaluated in double, stored in float.
 *
 * <p>Backward: {@code ∂L/∂x = G ∘ σ'(x)} with {@link Activation#derivative}; the input is kept.
 * NOTE: for piecewise-constant σ (the quantised activations of docs/theory.md §6.2) {@code σ' = 0} almost
 * everywhere, so no gradient flows through them: that is the true derivative, not a surrogate.
 * The dedicated {@link Relu}, {@link Tanh} and {@link Sigmoid} primitives are faster for those
 * three functions.
 */
public final class Pointwise extends Primitive {
    private final Variable x;
    private final Activation sigma;

    private Pointwise(Variable x, Activation sigma) {
        super(x);
        this.x = x;
        this.sigma = sigma;
    }

    public static Variable apply(Variable x, Activation sigma) {
        float[] in = x.value().data();
        Tensor y = Tensor.zeros(x.value().shape());
        float[] out = y.data();
        Parallel.forRange(in.length, TensorOps.PARALLEL_THRESHOLD, (from, to) -> {
            for (int i = from; i < to; i++) {
                out[i] = (float) sigma.value(in[i]);
            }
        });
        return new Pointwise(x, sigma).output(y);
    }

    @Override
    protected void backward(Tensor g) {
        float[] gs = g.data();
        float[] xs = x.value().data();
        Tensor dx = Tensor.zeros(g.shape());
        float[] d = dx.data();
        Parallel.forRange(d.length, TensorOps.PARALLEL_THRESHOLD, (from, to) -> {
            for (int i = from; i < to; i++) {
                d[i] = (float) (gs[i] * sigma.derivative(xs[i]));
            }
        });
        x.accumulate(dx);
    }
}
