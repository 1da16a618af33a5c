package ntklc.activation;

/**
 * Quadratic activation σ(u) = c2·u² + c1·u + c0 ({@code poly:<c2>:<c1>:<c0>}).
 *
 * <p>Closed forms from E[ξ²] = 1, E[ξ⁴] = 3 (τ &gt; 0):
 * <pre>
 *   m0 = c2·τ² + c0     m1 = c1     m2 = 2·c2
 *   v  = 2·c2²·τ⁴ + c1²·τ²          q  = 4·c2²·τ² + c1²
 *   m3 = 8·c2²·τ² + 2·c1²           (= 2E[σ'²] + 2E[(σ−m0)σ''], E[σ − m0] = 0)
 * </pre>
 */
public final class Polynomial extends NamedActivation {
    private final double c2;
    private final double c1;
    private final double c0;

    Polynomial(double c2, double c1, double c0, String spec) {
        super(spec);
        Activations.checkFinite(spec, c2, c1, c0);
        this.c2 = c2;
        this.c1 = c1;
        this.c0 = c0;
    }

    public double c2() {
        return c2;
    }

    public double c1() {
        return c1;
    }

    public double c0() {
        return c0;
    }

    @Override
    public double value(double u) {
        return (c2 * u + c1) * u + c0;
    }

    @Override
    public double derivative(double u) {
        return 2 * c2 * u + c1;
    }

    @Override
    public Moments moments(double tau) {
        GaussianMoments.checkTau(tau);
        double t2 = tau * tau;
        return new Moments(tau, c2 * t2 + c0, c1, 2 * c2,
                8 * c2 * c2 * t2 + 2 * c1 * c1,
                2 * c2 * c2 * t2 * t2 + c1 * c1 * t2,
                4 * c2 * c2 * t2 + c1 * c1);
    }


}
