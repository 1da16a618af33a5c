package ntklc.nn;

/**
 * Training diverged: a loss that is NaN or infinite, or that exceeds its first value by the factor
 * of {@link LossGuard#FACTOR} (usually a learning rate that is too large). Commands turn it into a
 * one-line user error and exit status 2; the run folder keeps what was written before.
 */
public final class DivergedLossException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final int batch;
    private final double loss;

    /**
     * @param why what is wrong with the loss, e.g. "became NaN"
     */
    DivergedLossException(int epoch, int batch, double loss, String why) {
        super("training loss " + why + " at epoch " + epoch + ", batch " + batch + " (try a smaller learning rate)");
        this.epoch = epoch;
        this.batch = batch;
        this.loss = loss;
    }

    /** A loss that is NaN or infinite. */
    public static DivergedLossException nonFinite(int epoch, int batch, double loss) {
        return new DivergedLossException(epoch, batch, loss, "became " + loss);
    }

    public int epoch() {
        return epoch;
    }

    public int batch() {
        return batch;
    }

    public double loss() {
        return loss;
    }
}
