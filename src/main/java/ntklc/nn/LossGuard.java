package ntklc.nn;

import java.util.Locale;

/**
 * Stops a training run that diverged, before it writes meaningless results: every batch loss is
 * checked, and a loss that is NaN or infinite, or larger than {@link #FACTOR} times the run's first
 * batch loss (at least {@link #FLOOR}), throws {@link DivergedLossException}.
 *
 * <p>Why a ratio of 10⁶: the losses trained here are softmax cross-entropies, which start near
 * {@code ln K} (0.69 to 2.3 nats) and decrease; mini-batch noise and a too-large but workable step
 * make them jump by factors of 10 to 100 and recover. A cross-entropy of 10⁶ times its start means
 * logit gaps of order 10⁶: the weights have blown up, and at float32 precision (ulp 0.06 at 10⁶)
 * the gradient steps no longer mean anything, so no run recovers from there. Before this guard,
 * {@code train-mlp --lr=1e9} ran to the end with a finite training loss of 4.5e30 and exit 0.
 * The floor of 1 nat keeps a run whose first loss is tiny (e.g. already fitted) from being
 * stopped by an ordinary rise.
 *
 * <p>The first loss is that of the first batch this guard sees: a resumed run starts afresh.
 */
public final class LossGuard {
    /** A loss above {@code FACTOR · max(first, FLOOR)} is divergence. */
    public static final double FACTOR = 1e6;
    /** Smallest reference loss, in nats. */
    public static final double FLOOR = 1;

    private double first = Double.NaN;

    /**
     * Checks one batch loss.
     *
     * @param epoch 1-based epoch, for the message
     * @param batch batch within the epoch, for the message
     * @throws DivergedLossException when the loss is not finite or exceeds the bound
     */
    public void check(int epoch, int batch, double loss) {
        if (!Double.isFinite(loss)) {
            throw DivergedLossException.nonFinite(epoch, batch, loss);
        }
        if (Double.isNaN(first)) {
            first = loss;
        } else if (loss > FACTOR * Math.max(first, FLOOR)) {
            throw new DivergedLossException(epoch, batch, loss, String.format(Locale.ROOT,
                    "reached %.3g, more than %.0e times its first value %.4g", loss, FACTOR, first));
        }
    }
}
