package ntklc.nn;

/**
 * Training produced a loss that is NaN or infinite (usually a learning rate that is too large).
 * Thrown before the bad gradient is applied; commands turn it into a one-line user error.
 */
public final class NonFiniteLossException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final int batch;
    private final double loss;

    public NonFiniteLossException(int epoch, int batch, double loss) {
        super("training loss became " + loss + " at epoch " + epoch + ", batch " + batch
                + " (try a smaller learning rate)");
        this.epoch = epoch;
        this.batch = batch;
        this.loss = loss;
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
