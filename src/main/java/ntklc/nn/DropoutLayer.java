package ntklc.nn;

import java.util.List;
import java.util.SplittableRandom;

import ntklc.autograd.Dropout;
import ntklc.autograd.Variable;

/**
 * Inverted dropout with rate {@code rate} while training ({@link Dropout}); the identity at
 * evaluation. Masks are drawn from the layer's own seeded generator.
 */
public final class DropoutLayer implements Module {
    private final double rate;
    private final SplittableRandom rng;

    /** @param rng source of every mask this layer draws (kept and Modified) */
    public DropoutLayer(double rate, SplittableRandom rng) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
        }
        this.rate = rate;
        this.rng = rng;
    }

    @Override
    public Variable forward(Variable x, boolean training) {
        return training && rate > 0 ? Dropout.apply(x, rate, rng) : x;
    }

    @Override
    public List<Variable> parameters() {
        return List.of();
    }
}
