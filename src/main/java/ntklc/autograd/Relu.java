package ntklc.autograd;

import ntklc.tensor.Parallel;
import ntklc.tensor.Tensor;
import ntklc.tensor.TensorOps;

/**
 * ReLU, {@code y = max(x, 0)} element-wise.
 *
 * <p>Backward: {@code ∂L/∂x = G ∘ 1{x > 0}}; at the kink {@code x = 0} the derivative is taken
 * as 0 (a subgradient). The output is kept: {@code y > 0} exactly when {@code x > 0}.
 */
public final class Relu extends Primitive {
    private final Variable x;
    private final Tensor y;

    private Relu(Variable x, Tensor y) {
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
                out[i] = Math.max(in[i], 0f);
            }
        });
        return new Relu(x, y).output(y);
    }

    @Override
    protected void backward(Tensor g) {
        float[] gs = g.data();
        float[] ys = y.data();
        Tensor dx = Tensor.zeros(y.shape());
        float[] d = dx.data();
        Parallel.forRange(d.length, TensorOps.PARALLEL_THRESHOLD, (from, to) -> {
            for (int i = from; i < to; i++) {
                d[i] = ys[i] > 0f ? gs[i] : 0f;
            }
        });
        x.accumulate(dx);
    }
}
