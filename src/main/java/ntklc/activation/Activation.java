package ntklc.activation;

/**
 * A pointwise activation σ together with its Gaussian moments (spec §4.1), shared by the
 * networks ({@code ntklc.nn}, {@code ntklc.compression}) and the theory ({@code ntklc.spectral}).
 *
 * <p>Implementations are immutable. {@link #spec()} returns the text a user types on the
 * command line ({@code relu}, {@code lrelu:0.1}, {@code binary-zero:s1:s2:a}, …), and
 * {@link Activations#parse(String)} turns that text back into the same activation.
 */
public interface Activation {
    /** σ(u). */
    double value(double u);

    /**
     * σ'(u) where it is defined; for piecewise-constant functions 0 away from the jumps (their
     * Gaussian moments are defined through integration by parts, not through this method).
     */
    double derivative(double u);

    /** Gaussian moments of σ(τξ), ξ ~ N(0,1), at scale {@code tau > 0} (spec §4.1). */
    Moments moments(double tau);

    /** The command-line spelling, parseable by {@link Activations#parse(String)}. */
    String spec();
}
