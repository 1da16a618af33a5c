package ntklc.activation;

import ntklc.special.Gaussian;

/**
 * The step family: σ(u) = c_i for t_i ≤ u &lt; t_{i+1}, with thresholds t_1 ≤ … ≤ t_K and levels
 * c_0 … c_K (t_0 = −∞, t_{K+1} = +∞; right-continuous at the thresholds). Specialisations (see
 * {@link Activations}):
 * <ul>
 *   <li>step: t = (0), c = (0, 1);  sign: t = (0), c = (−1, 1);</li>
 *   <li>σ_T, {@code binary-zero:s1:s2:a} (docs/theory.md §3.2, paper Eq. (17)):
 *       a·(1{u &lt; s1} + 1{u &gt; s2}), t = (s1, s2), c = (a, 0, a);</li>
 *   <li>σ_Q, {@code binary-last:r1:r2:r3:r4:b1:b2}: b1·(1{u &lt; r1} + 1{u &gt; r4}) + b2·1{r2 ≤ u ≤ r3},
 *       t = (r1, r2, r3, r4), c = (b1, 0, b2, 0, b1).</li>
 * </ul>
 * The value exactly at a threshold (a null set) is immaterial to the moments.
 *
 * <p>Moments (docs/theory.md §3.1–3.2, through Gaussian integration by parts since σ' is a sum of Dirac
 * masses). With R_i = t_i/τ, P_i = Φ(R_{i+1}) − Φ(R_i) the mass of piece i, and the antiderivatives
 * ∫ ξφ = −φ, ∫ (ξ² − 1)φ = −ξφ:
 * <pre>
 *   m0 = Σ_i c_i P_i                         v  = Σ_i (c_i − m0)² P_i
 *   m1 = Σ_i c_i (φ(R_i) − φ(R_{i+1})) / τ
 *   m2 = Σ_i c_i (R_i φ(R_i) − R_{i+1} φ(R_{i+1})) / τ²
 *   m3 = Σ_i (c_i − m0)² (R_i φ(R_i) − R_{i+1} φ(R_{i+1})) / τ²
 *   q  = NaN (E[σ'²] is infinite)
 * </pre>
 * These reduce to the σ_T and σ_Q formulas of docs/theory.md §3.2 (e.g. σ_T: m3 = (a² − 2a·m0)(s2φ(B) − s1φ(A))/τ³).
 */
public final class PiecewiseConstant extends NamedActivation {
    private final double[] thresholds;
    private final double[] levels;

    /**
     * @param thresholds t_1 ≤ … ≤ t_K, finite. Not modified (copied).
     * @param levels     c_0 … c_K, finite, one more than thresholds. Not modified (copied).
     */
    PiecewiseConstant(double[] thresholds, double[] levels, String spec) {
        super(spec);
        if (levels.length != thresholds.length + 1) {
            throw new IllegalArgumentException(spec + ": need one more level than thresholds");
        }
        Activations.checkFinite(spec, thresholds);
        Activations.checkFinite(spec, levels);
        for (int i = 1; i < thresholds.length; i++) {
            if (thresholds[i] < thresholds[i - 1]) {
                throw new IllegalArgumentException(spec + ": thresholds must be non-decreasing, got "
                        + thresholds[i - 1] + " > " + thresholds[i]);
            }
        }
        this.thresholds = thresholds.clone();
        this.levels = levels.clone();
    }

    /** t_1 … t_K (a copy). */
    public double[] thresholds() {
        return thresholds.clone();
    }

    /** c_0 … c_K (a copy). */
    public double[] levels() {
        return levels.clone();
    }

    @Override
    public double value(double u) {
        int i = 0;
        while (i < thresholds.length && u >= thresholds[i]) {
            i++;
        }
        return levels[i];
    }

    /** 0: the derivative away from the jumps (the jumps carry Dirac masses, see {@link #hasJumps()}). */
    @Override
    public double derivative(double u) {
        return 0.0;
    }

    @Override
    public boolean hasJumps() {
        return true;
    }

    @Override
    public double[] breakPoints() {
        return thresholds.clone();
    }

    @Override
    public Moments moments(double tau) {
        GaussianMoments.checkTau(tau);
        int pieces = levels.length;
        double[] mass = new double[pieces];
        double[] dPhi = new double[pieces];  // φ(R_i) − φ(R_{i+1})
        double[] dXPhi = new double[pieces]; // R_i φ(R_i) − R_{i+1} φ(R_{i+1})
        double m0 = 0;
        for (int i = 0; i < pieces; i++) {
            double lo = i == 0 ? Double.NEGATIVE_INFINITY : thresholds[i - 1] / tau;
            double hi = i == pieces - 1 ? Double.POSITIVE_INFINITY : thresholds[i] / tau;
            // Upper-tail form for pieces right of 0 keeps the relative accuracy of small masses.
            mass[i] = lo >= 0 ? Gaussian.ccdf(lo) - Gaussian.ccdf(hi) : Gaussian.cdf(hi) - Gaussian.cdf(lo);
            dPhi[i] = Gaussian.pdf(lo) - Gaussian.pdf(hi);
            dXPhi[i] = xPhi(lo) - xPhi(hi);
            m0 += levels[i] * mass[i];
        }
        double m1 = 0;
        double m2 = 0;
        double m3 = 0;
        double v = 0;
        for (int i = 0; i < pieces; i++) {
            double d = levels[i] - m0;
            m1 += levels[i] * dPhi[i];
            m2 += levels[i] * dXPhi[i];
            m3 += d * d * dXPhi[i];
            v += d * d * mass[i];
        }
        return new Moments(tau, m0, m1 / tau, m2 / (tau * tau), m3 / (tau * tau), v, Double.NaN);
    }

    /**
     * Closed form (docs/theory.md §3.2): E[1{a &lt; ξ &lt; b}·He_k(ξ)] = He_{k−1}(a)φ(a) − He_{k−1}(b)φ(b) for k ≥ 1,
     * so a_k = Σ_i c_i (p_{k−1}(R_i)φ(R_i) − p_{k−1}(R_{i+1})φ(R_{i+1}))/√k with p = He/√k!; a_0 = m0.
     */
    @Override
    public double[] hermiteCoefficients(double tau, int kmax) {
        GaussianMoments.checkTau(tau);
        if (kmax < 0) {
            throw new IllegalArgumentException("kmax must be ≥ 0, got " + kmax);
        }
        double[] a = new double[kmax + 1];
        a[0] = moments(tau).m0();
        for (int k = 1; k <= kmax; k++) {
            double sum = 0;
            for (int i = 0; i < levels.length; i++) {
                double lo = i == 0 ? Double.NEGATIVE_INFINITY : thresholds[i - 1] / tau;
                double hi = i == levels.length - 1 ? Double.POSITIVE_INFINITY : thresholds[i] / tau;
                sum += levels[i] * (hermitePhi(k - 1, lo) - hermitePhi(k - 1, hi));
            }
            a[k] = sum / Math.sqrt(k);
        }
        return a;
    }

    /** x·φ(x), 0 at ±∞. */
    private static double xPhi(double x) {
        return Double.isInfinite(x) ? 0.0 : x * Gaussian.pdf(x);
    }

    /** p_k(x)·φ(x), 0 at ±∞. */
    private static double hermitePhi(int k, double x) {
        return Double.isInfinite(x) ? 0.0 : GaussianMoments.orthonormalHermite(k, x) * Gaussian.pdf(x);
    }


}
