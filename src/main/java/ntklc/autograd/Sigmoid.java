package ntklc.autograd;

import ntklc.tensor.Parallel;
import ntklc.tensor.Tensor;
import ntklc.tensor.TensorOps;

/**
 * Logistic sigmoid, {@code y = 1/(1 + e^{−x})} element-wise.
 * Backward from the kept output: {@code ∂L/∂x = G ∘ y ∘ (1 − y)}.
 */
public final class Sigmoid extends Primitive {
    private final Variable x;
    private final Tensor y;

    private Sigmoid(Variable x, Tensor y) {
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
                out[i] = (float) (1.0 / (1.0 + Math.exp(-in[i])));
            }
        });
        return new Sigmoid(x, y).output(y);
    }

    @Override
    protected void backward(Tensor g) {
        float[] gs = g.data();
        float[] ys = y.data();
        Tensor dx = Tensor.zeros(y.shape());
        float[] d = dx.data();
        Parallel.forRange(d.length, TensorOps.PARALLEL_THRESHOLD, (from, to) -> {
            for (int i = from; i < to; i++) {
                d[i] = gs[i] * ys[i] * (1f - ys[i]);
            }
        });
        x.accumulate(dx);
    }
}
