package ntklc.activation;

/**
 * The trigonometric family σ(u) = A·sin u + B·cos u; sin is (1, 0), cos is (0, 1).
 *
 * <p>Closed forms from the characteristic function E[e^{iτξ}] = e^{−τ²/2}, with
 * e₁ = e^{−τ²/2}, e₂ = e^{−2τ²} = E[cos 2τξ]:
 * <pre>
 *   m0 = B·e₁        m1 = A·e₁        m2 = −B·e₁
 *   E[σ²] = A²(1 − e₂)/2 + B²(1 + e₂)/2,   v = E[σ²] − m0²
 *   q  = A²(1 + e₂)/2 + B²(1 − e₂)/2
 *   m3 = E[(σ²)''] − 2·m0·m2 = 2(A² − B²)·e₂ + 2B²·e₁²
 * </pre>
 * Checks against docs/theory.md §4.3: sin gives m2 = 0 and cos gives m1 = 0 (the α tables' zeros).
 */
public final class Sinusoid extends NamedActivation {
    private final double sinAmplitude;
    private final double cosAmplitude;

    Sinusoid(double sinAmplitude, double cosAmplitude, String spec) {
        super(spec);
        Activations.checkFinite(spec, sinAmplitude, cosAmplitude);
        this.sinAmplitude = sinAmplitude;
        this.cosAmplitude = cosAmplitude;
    }

    @Override
    public double value(double u) {
        return sinAmplitude * Math.sin(u) + cosAmplitude * Math.cos(u);
    }

    @Override
    public double derivative(double u) {
        return sinAmplitude * Math.cos(u) - cosAmplitude * Math.sin(u);
    }

    @Override
    public Moments moments(double tau) {
        GaussianMoments.checkTau(tau);
        double a2 = sinAmplitude * sinAmplitude;
        double b2 = cosAmplitude * cosAmplitude;
        double e1 = Math.exp(-0.5 * tau * tau);
        double e2 = Math.exp(-2 * tau * tau);
        double m0 = cosAmplitude * e1;
        double meanSquare = 0.5 * (a2 * (1 - e2) + b2 * (1 + e2));
        return new Moments(tau, m0, sinAmplitude * e1, -cosAmplitude * e1,
                2 * (a2 - b2) * e2 + 2 * b2 * e1 * e1,
                meanSquare - m0 * m0,
                0.5 * (a2 * (1 + e2) + b2 * (1 - e2)));
    }


}
