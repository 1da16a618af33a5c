package ntklc.autograd;

import java.util.SplittableRandom;

import ntklc.tensor.Tensor;

/**
 * Inverted dropout: each element is kept with probability {@code 1 − rate} and scaled by
 * {@code 1/(1 − rate)}, otherwise set to 0, so {@code E[y] = x}: {@code y = x ∘ m},
 * {@code m_i ∈ {0, 1/(1−rate)}} drawn i.i.d. from the given generator. At evaluation time the
 * layer is simply left out (the identity).
 *
 * <p>Backward with the kept mask: {@code ∂L/∂x = G ∘ m}.
 */
public final class Dropout extends Primitive {
    private final Variable x;
    private final float[] mask;

    private Dropout(Variable x, float[] mask) {
        super(x);
        this.x = x;
        this.mask = mask;
    }

    /**
     * @param rate probability of dropping an element, in {@code [0, 1)}
     * @param rng  source of the mask (Modified: advanced by one draw per element)
     */
    public static Variable apply(Variable x, double rate, SplittableRandom rng) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
        }
        float[] in = x.value().data();
        float[] mask = mask(in.length, rate, rng);
        Tensor y = Tensor.zeros(x.value().shape());
        float[] out = y.data();
        for (int i = 0; i < in.length; i++) {
            out[i] = in[i] * mask[i];
        }
        return new Dropout(x, mask).output(y);
    }

    /**
     * An inverted-dropout mask of {@code size} elements, {@code m_i ∈ {0, 1/(1−rate)}}, one draw of
     * {@code rng} per element in order (so a device-resident step draws the same masks).
     */
    public static float[] mask(int size, double rate, SplittableRandom rng) {
        float keep = (float) (1 / (1 - rate));
        float[] mask = new float[size];
        for (int i = 0; i < size; i++) {
            mask[i] = rng.nextDouble() < rate ? 0f : keep;
        }
        return mask;
    }

    @Override
    protected void backward(Tensor g) {
        float[] gs = g.data();
        Tensor dx = Tensor.zeros(g.shape());
        float[] d = dx.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = gs[i] * mask[i];
        }
        x.accumulate(dx);
    }
}
