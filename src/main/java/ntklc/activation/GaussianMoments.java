package ntklc.activation;

import ntklc.special.GaussHermite;
import ntklc.special.Quadrature;

/**
 * The quadrature path of the Gaussian moments (docs/theory.md §3.1): every moment written as an expectation
 * of a function of ξ ~ N(0, 1) that involves σ only through its values (Gaussian integration by
 * parts), integrated by adaptive Gauss–Kronrod with the break points of σ mapped to ξ = u/τ:
 *
 * <pre>
 *   m0 = E[σ(τξ)]                      v  = E[(σ(τξ) − m0)²]
 *   m1 = E[ξ σ(τξ)] / τ                m3 = E[(ξ² − 1)(σ(τξ) − m0)²] / τ²
 *   m2 = E[(ξ² − 1) σ(τξ)] / τ²        q  = E[σ'(τξ)²]   (NaN if σ has jumps)
 * </pre>
 *
 * Tolerance: {@link Quadrature#DEFAULT_REL_TOL} relative / {@link Quadrature#DEFAULT_ABS_TOL}
 * absolute on each expectation (the expectations share one adaptive partition per pass).
 * NOTE: m1, m2 and m3 are divided by τ and τ², so their absolute error grows like 1e−13/τ² for
 * small τ.
 */
public final class GaussianMoments {
    private GaussianMoments() {
    }

    /**
     * All six moments of {@code sigma} at scale {@code tau} by quadrature: one vector integration
     * for (m0, m1, m2, q), a second for (v, m3), which need m0.
     */
    public static Moments byQuadrature(Activation sigma, double tau) {
        checkTau(tau);
        double[] breaks = Quadrature.scaled(sigma.breakPoints(), tau);
        boolean jumps = sigma.hasJumps();
        double[] first = Quadrature.gaussian(jumps ? 3 : 4, (x, out) -> {
            double s = sigma.value(tau * x);
            out[0] = s;
            out[1] = x * s;
            out[2] = (x * x - 1) * s;
            if (!jumps) {
                double d = sigma.derivative(tau * x);
                out[3] = d * d;
            }
        }, breaks);
        double m0 = first[0];
        double[] second = Quadrature.gaussian(2, (x, out) -> {
            double d = sigma.value(tau * x) - m0;
            out[0] = d * d;
            out[1] = (x * x - 1) * d * d;
        }, breaks);
        double t2 = tau * tau;
        return new Moments(tau, m0, first[1] / tau, first[2] / t2, second[1] / t2, second[0],
                jumps ? Double.NaN : first[3]);
    }

    /**
     * a_k = E[σ(τξ) p_k(ξ)], p_k = He_k/√k! the orthonormal Hermite polynomials, k = 0..kmax, by
     * one vector quadrature (see {@link Activation#hermiteCoefficients}).
     */
    public static double[] hermiteByQuadrature(Activation sigma, double tau, int kmax) {
        checkTau(tau);
        if (kmax < 0) {
            throw new IllegalArgumentException("kmax must be ≥ 0, got " + kmax);
        }
        double[] breaks = Quadrature.scaled(sigma.breakPoints(), tau);
        return Quadrature.gaussian(kmax + 1, (x, out) -> {
            double s = sigma.value(tau * x);
            GaussHermite.orthonormalPolynomials(x, out); // p_0 … p_kmax, all at once
            for (int k = 0; k <= kmax; k++) {
                out[k] *= s;
            }
        }, breaks);
    }

    /** p_k(x) = He_k(x)/√k!, the orthonormal Hermite polynomial of {@link GaussHermite#orthonormalPolynomials}. */
    public static double orthonormalHermite(int k, double x) {
        double[] p = new double[k + 1];
        GaussHermite.orthonormalPolynomials(x, p);
        return p[k];
    }

    /** Refuses a scale that is not a positive finite number. */
    static void checkTau(double tau) {
        if (!(tau > 0) || Double.isInfinite(tau)) {
            throw new IllegalArgumentException("the scale τ must be positive and finite, got " + tau);
        }
    }
}
