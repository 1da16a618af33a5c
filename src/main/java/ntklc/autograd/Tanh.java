package ntklc.autograd;

import ntklc.tensor.Parallel;
import ntklc.tensor.Tensor;
import ntklc.tensor.TensorOps;

/**
 * Hyperbolic tangent, {@code y = tanh(x)} element-wise.
 * Backward from the kept output: {@code ∂L/∂x = G ∘ (1 − y²)}.
 */
public final class Tanh extends Primitive {
    private final Variable x;
    private final Tensor y;

    private Tanh(Variable x, Tensor y) {
        super(x);
        this.x = x;
        this.y = y;
    }

    public static Variable apply(Variable x) {
        float[] in = x.value().data();
        Tensor y = Tensor.zeros(x.value().shape());
        float[] out = y.data();
        Parallel.forRange(in.length, TensorOps.PARALLEL_THRESHOLD, (from, to) -> {
            for (int i = from; i < to; i++) {
                out[i] = (float) Math.tanh(in[i]);
            }
        });
        return new Tanh(x, y).output(y);
    }

    @Override
    protected void backward(Tensor g) {
        float[] gs = g.data();
        float[] ys = y.data();
        Tensor dx = Tensor.zeros(y.shape());
        float[] d = dx.data();
        Parallel.forRange(d.length, TensorOps.PARALLEL_THRESHOLD, (from, to) -> {
            for (int i = from; i < to; i++) {
                d[i] = gs[i] * (1f - ys[i] * ys[i]);
            }
        });
        x.accumulate(dx);
    }
}
