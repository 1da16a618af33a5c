package ntklc.data;

/**
 * Labelled samples read one row at a time: a {@link Dataset} (float rows in memory) or
 * {@link Images} (8-bit pixels not yet converted), so that {@link Preprocessing} can select and
 * normalise a split while converting only the rows it keeps.
 */
public interface Samples {
    /** Number of samples n. */
    int n();

    /** Input dimension p. */
    int p();

    /** The labels, 0..numClasses − 1 (Not to be modified). */
    int[] labels();

    /** Number of classes. */
    int numClasses();

    /**
     * Copies sample i into {@code dst[0 … p−1]}.
     *
     * @param dst Modified
     */
    void row(int i, float[] dst);
}
