package ntklc.nn;

/**
 * How the learning rate changes from epoch to epoch: {@code η_e} for epoch {@code e = 1, …, E}
 * from the base rate {@code η}.
 */
public enum LearningRateSchedule {
    /** {@code η_e = η}. */
    CONSTANT("constant"),
    /**
     * Cosine annealing without restarts (Loshchilov and Hutter, ICLR 2017, Eq. (5) with
     * {@code η_min = 0}), stepped once per epoch: {@code η_e = η · ½ (1 + cos(π (e − 1) / E))}, so the
     * first epoch uses {@code η} and the last {@code η · ½ (1 + cos(π (E − 1)/E)) ≈ η π²/(4E²)}. Small
     * late steps make the final weights, and so the final test accuracy, less noisy.
     */
    COSINE("cosine");

    private final String cliName;

    LearningRateSchedule(String cliName) {
        this.cliName = cliName;
    }

    /** The word used on the command line. */
    public String cliName() {
        return cliName;
    }

    /**
     * The learning rate of epoch {@code epoch} (1-based) out of {@code epochs}.
     *
     * @param base the base rate η
     */
    public double rate(double base, int epoch, int epochs) {
        if (epoch < 1 || epoch > epochs) {
            throw new IllegalArgumentException("epoch " + epoch + " outside 1.." + epochs);
        }
        return switch (this) {
            case CONSTANT -> base;
            case COSINE -> base * 0.5 * (1 + Math.cos(Math.PI * (epoch - 1) / epochs));
        };
    }

    /** The schedule called {@code name} on the command line ({@code constant} or {@code cosine}). */
    public static LearningRateSchedule of(String name) {
        for (LearningRateSchedule s : values()) {
            if (s.cliName.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown learning-rate schedule '" + name + "' (expected constant or cosine)");
    }
}
