package ntklc.activation;

import ntklc.special.Gaussian;

/**
 * The ReLU family: σ(u) = a·u for u &lt; 0 and b·u for u ≥ 0, i.e. σ = (b − a)·relu(u) + a·u, with
 * a = {@code negativeSlope}, b = {@code positiveSlope}. Specialisations (see {@link Activations}):
 * relu (0, 1), lrelu:s (s, 1), abs (−1, 1), linear (1, 1); the general spelling
 * {@code plinear:<a>:<b>} also covers the paper's "leaky" ReLU of Table 1, which is
 * 0.1·max(u,0) + max(−u,0) = plinear:-1:0.1 (docs/theory.md §9 item 5).
 *
 * <p>Closed forms (docs/theory.md §3.2 for ReLU; the family by linearity, c = b − a, τ &gt; 0):
 * <pre>
 *   m0 = c·τ/√(2π)              m1 = (a + b)/2             m2 = c/(√(2π)·τ)
 *   v  = τ²·((a² + b²)/2 − c²/(2π))                       q  = (a² + b²)/2
 *   m3 = (a² + b²) − c²/π
 * </pre>
 * m3 = E[((σ−m0)²)''] = 2E[σ'²] + 2E[(σ−m0)σ''] with σ'' = c·δ(u): the Dirac term gives
 * 2·c·(−m0)·φ(0)/τ = −c²/π. Checks: ReLU gives m3 = 1 − 1/π, v = τ²(1/2 − 1/(2π)) (docs/theory.md §3.2).
 */
public final class PiecewiseLinear extends NamedActivation {
    private final double negativeSlope;
    private final double positiveSlope;

    PiecewiseLinear(double negativeSlope, double positiveSlope, String spec) {
        super(spec);
        Activations.checkFinite(spec, negativeSlope, positiveSlope);
        this.negativeSlope = negativeSlope;
        this.positiveSlope = positiveSlope;
    }

    /** a, the slope for u &lt; 0. */
    public double negativeSlope() {
        return negativeSlope;
    }

    /** b, the slope for u ≥ 0. */
    public double positiveSlope() {
        return positiveSlope;
    }

    /**
     * Without a branch: on Gaussian pre-activations the sign is a coin flip, and the branch of
     * {@code u < 0 ? a·u : b·u} was mispredicted every other element (through the interface, on
     * one Zen 3 core: 6.3 ns per element with the branch, 1.8–2.1 ns without). Same values, NaN
     * and infinities included, except that u = −0 now gives +0 for ReLU.
     */
    @Override
    public double value(double u) {
        return positiveSlope * Math.max(u, 0) + negativeSlope * Math.min(u, 0);
    }

    /** a for u &lt; 0, b for u ≥ 0 (the right derivative at the kink). */
    @Override
    public double derivative(double u) {
        return u < 0 ? negativeSlope : positiveSlope;
    }

    @Override
    public Moments moments(double tau) {
        GaussianMoments.checkTau(tau);
        double a = negativeSlope;
        double b = positiveSlope;
        double c = b - a;
        double meanSquareSlope = 0.5 * (a * a + b * b);
        double m0 = c * tau * Gaussian.INV_SQRT_2PI;
        double m1 = 0.5 * (a + b);
        double m2 = c * Gaussian.INV_SQRT_2PI / tau;
        double v = tau * tau * (meanSquareSlope - c * c / (2 * Math.PI));
        double m3 = 2 * meanSquareSlope - c * c / Math.PI;
        return new Moments(tau, m0, m1, m2, m3, v, meanSquareSlope);
    }

    @Override
    public double[] breakPoints() {
        return new double[] {0.0};
    }


}
