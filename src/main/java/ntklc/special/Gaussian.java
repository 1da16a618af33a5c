package ntklc.special;

/**
 * The standard normal law ξ ~ N(0, 1) (docs/notation.md): density φ, distribution Φ and its complement.
 *
 * <p>{@code φ(x) = e^{−x²/2}/√(2π)}, {@code Φ(x) = ∫_{−∞}^x φ = ½·erfc(−x/√2)},
 * {@code 1 − Φ(x) = Φ(−x) = ½·erfc(x/√2)}. Going through erfc (not 1 + erf) keeps the relative
 * accuracy of both tails; the only loss is the rounding of x/√2, a relative error of about
 * x²·1e−16 in Φ(x) for large negative x (≈ 1e−14 at x = −10).
 */
public final class Gaussian {
    private Gaussian() {
    }

    /** 1/√(2π). */
    public static final double INV_SQRT_2PI = 0.3989422804014326779399460599343819;
    /** √2. */
    private static final double SQRT2 = 1.4142135623730950488016887242097;

    /** φ(x) = e^{−x²/2}/√(2π); 0 for |x| = ∞. */
    public static double pdf(double x) {
        return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    }

    /** Φ(x) = P(ξ ≤ x); Φ(−∞) = 0, Φ(∞) = 1. */
    public static double cdf(double x) {
        return 0.5 * Erf.erfc(-x / SQRT2);
    }

    /** 1 − Φ(x) = P(ξ > x), accurate in the right tail. */
    public static double ccdf(double x) {
        return 0.5 * Erf.erfc(x / SQRT2);
    }
}
