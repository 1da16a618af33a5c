package ntklc.compression;

/**
 * Standard normal density φ and distribution function Φ (spec §0.2), accurate to a few units in
 * the last place over the whole real line.
 *
 * <p>NOTE: a stand-in until {@code ntklc.special} (theory engineer) lands; the two should be
 * unified then. Method: {@code Φ(x) = ½·erfc(−x/√2)} with
 * <ul>
 *   <li>{@code |z| < 1.5}: the everywhere-positive series
 *       {@code erf(z) = (2/√π)·e^{−z²}·Σ_{n≥0} 2ⁿ z^{2n+1} / (1·3·…·(2n+1))}
 *       (Abramowitz &amp; Stegun 7.1.6), which has no cancellation;</li>
 *   <li>{@code z ≥ 1.5}: the continued fraction
 *       {@code erfc(z) = e^{−z²}/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + …))))}
 *       (A&amp;S 7.1.14), evaluated bottom-up with a fixed depth; {@code erfc(−z) = 2 − erfc(z)}.</li>
 * </ul>
 */
final class Normal {
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2 * Math.PI);
    private static final double INV_SQRT_PI = 1.0 / Math.sqrt(Math.PI);
    /** Depth of the continued fraction; from z = 1.5 on this converges to double precision
     * (checked against depth 2000). */
    private static final int CF_DEPTH = 120;
    /** Series below, continued fraction above; erfc(1.5) ≈ 0.034 keeps the series' cancellation harmless. */
    private static final double SWITCH = 1.5;

    private Normal() {
    }

    /** φ(x) = exp(−x²/2)/√(2π). */
    static double pdf(double x) {
        return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    }

    /** Φ(x) = P(ξ ≤ x), ξ ~ N(0,1). */
    static double cdf(double x) {
        return 0.5 * erfc(-x / Math.sqrt(2));
    }

    /** erfc(z) = 1 − erf(z). */
    static double erfc(double z) {
        if (Double.isNaN(z)) {
            return Double.NaN;
        }
        if (z < 0) {
            return 2 - erfc(-z);
        }
        if (z < SWITCH) {
            double term = z;
            double sum = z;
            for (int n = 1; n < 200; n++) {
                term *= 2 * z * z / (2 * n + 1);
                sum += term;
                if (term < 1e-17 * sum) {
                    break;
                }
            }
            return 1 - 2 * INV_SQRT_PI * Math.exp(-z * z) * sum;
        }
        if (z > 27) {
            return 0;
        }
        double f = z;
        for (int k = CF_DEPTH; k >= 1; k--) {
            f = z + 0.5 * k / f;
        }
        return INV_SQRT_PI * Math.exp(-z * z) / f;
    }
}
