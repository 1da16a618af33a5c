package ntklc.activation;

/**
 * A pointwise activation σ together with its Gaussian moments (docs/theory.md §3.1), shared by the
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

    /** Gaussian moments of σ(τξ), ξ ~ N(0,1), at scale {@code tau > 0} (docs/theory.md §3.1). */
    Moments moments(double tau);

    /** The command-line spelling, parseable by {@link Activations#parse(String)}. */
    String spec();

    /**
     * The points u where σ has a kink or a jump (sorted, possibly empty): the break points of the
     * piecewise quadrature split at the kinks and jumps (docs/theory.md §3.1).
     */
    default double[] breakPoints() {
        return new double[0];
    }

    /**
     * True for activations with jumps (steps, sign, σ_T, σ_Q): σ' is then a sum of Dirac masses,
     * {@code q = E[σ'²]} is undefined (NaN) and m1, m2, m3 exist only through Gaussian integration
     * by parts (docs/theory.md §3.1, §5.2).
     */
    default boolean hasJumps() {
        return false;
    }

    /**
     * The same moments as {@link #moments(double)}, computed by adaptive Gauss–Kronrod quadrature
     * with break points from the integration-by-parts forms of docs/theory.md §3.1 (see
     * {@link GaussianMoments#byQuadrature}). The test oracle of every closed form, and the
     * implementation for activations without one (tanh, sigmoid).
     */
    default Moments momentsByQuadrature(double tau) {
        return GaussianMoments.byQuadrature(this, tau);
    }

    /**
     * Normalised Hermite coefficients of σ at scale τ (docs/theory.md §3.2):
     * {@code a_k = E[σ(τξ)·He_k(ξ)] / √k!} for k = 0..kmax, so that
     * {@code E[σ(τξ)σ(τζ)] = Σ_k ρ^k a_k²} for standard Gaussians (ξ, ζ) with correlation ρ
     * (Mehler), and {@code Σ_k a_k² = E[σ(τξ)²]}. a_0 = m0; a centred σ − m0 has the same
     * coefficients with a_0 = 0. By quadrature unless an implementation has a closed form.
     *
     * @return an array of length kmax + 1, entry k = a_k
     */
    default double[] hermiteCoefficients(double tau, int kmax) {
        return GaussianMoments.hermiteByQuadrature(this, tau, kmax);
    }
}
