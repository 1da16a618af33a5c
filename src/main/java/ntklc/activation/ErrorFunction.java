package ntklc.activation;

import ntklc.special.Erf;

/**
 * σ(u) = erf(u), σ'(u) = (2/√π)·e^{−u²}.
 *
 * <p>Closed forms (τ &gt; 0): Gaussian integrals of e^{−u²} and Williams' arcsine kernel
 * E[erf(x)erf(y)] = (2/π)·arcsin(2Σ₁₂/√((1+2Σ₁₁)(1+2Σ₂₂))) (C. K. I. Williams, "Computing with
 * infinite networks", NIPS 1996):
 * <pre>
 *   m0 = 0      m1 = 2/(√π·√(1 + 2τ²))      m2 = 0          (erf is odd)
 *   v  = (2/π)·arcsin(2τ²/(1 + 2τ²))
 *   q  = 4/(π·√(1 + 4τ²))
 *   m3 = v'(τ)/τ = 8/(π·(1 + 2τ²)·√(1 + 4τ²))
 * </pre>
 * The last line uses d/dτ E[h(τξ)] = τ·E[h''(τξ)] (Gaussian integration by parts) with h = σ².
 */
public final class ErrorFunction extends NamedActivation {
    ErrorFunction() {
        super("erf");
    }

    @Override
    public double value(double u) {
        return Erf.erf(u);
    }

    @Override
    public double derivative(double u) {
        return 2 / Math.sqrt(Math.PI) * Math.exp(-u * u);
    }

    @Override
    public Moments moments(double tau) {
        GaussianMoments.checkTau(tau);
        double t2 = tau * tau;
        double m1 = 2 / Math.sqrt(Math.PI * (1 + 2 * t2));
        double v = 2 / Math.PI * Math.asin(2 * t2 / (1 + 2 * t2));
        double root = Math.sqrt(1 + 4 * t2);
        double q = 4 / (Math.PI * root);
        double m3 = 8 / (Math.PI * (1 + 2 * t2) * root);
        return new Moments(tau, 0.0, m1, 0.0, m3, v, q);
    }


}
