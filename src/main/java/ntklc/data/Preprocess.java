package ntklc.data;

/** How real data (images, the user's CSV) are normalised before use; Gaussian mixtures are used as generated. */
public enum Preprocess {
    /** docs/theory.md §1.3: per split, centre on the mean image and scale to average squared norm 1 (τ0 ≈ 1). */
    PAPER("paper"),
    /** Values as read (pixels/255 ∈ [0, 1]; CSV values unchanged). */
    NONE("none");

    private final String cliName;

    Preprocess(String cliName) {
        this.cliName = cliName;
    }

    /** The word used on the command line. */
    public String cliName() {
        return cliName;
    }
}
