package ntklc.compression;

import ntklc.activation.Activation;
import ntklc.activation.Moments;

/**
 * The four-threshold activation σ_Q of paper Eq. (17), used by NTK-LC on the last layer L
 * (spec §4.2, §7.2):
 *
 * <pre>  σ_Q(u) = b1·(1{u &lt; r1} + 1{u &gt; r4}) + b2·1{r2 &lt; u &lt; r3},   r1 ≤ r2 ≤ r3 ≤ r4.</pre>
 *
 * Closed-form moments at scale τ with {@code R_k = r_k/τ} (spec §4.2):
 * <pre>
 *   m0 = b1·(Φ(R1) + 1 − Φ(R4)) + b2·(Φ(R3) − Φ(R2))
 *   m1 = [b1·(φ(R4) − φ(R1)) + b2·(φ(R2) − φ(R3))] / τ
 *   m2 = [b1·(r4 φ(R4) − r1 φ(R1)) + b2·(r2 φ(R2) − r3 φ(R3))] / τ³
 *   m3 = [b1²·(r4 φ(R4) − r1 φ(R1)) + b2²·(r2 φ(R2) − r3 φ(R3))] / τ³ − 2·m0·m2
 *   v  = b1²·(Φ(R1) + 1 − Φ(R4)) + b2²·(Φ(R3) − Φ(R2)) − m0²
 * </pre>
 *
 * <p>NOTE: stand-in for the theory engineer's {@code binary-last:r1:r2:r3:r4:b1:b2}; to be unified.
 */
public record BinaryLast(double r1, double r2, double r3, double r4, double b1, double b2) implements Activation {
    public BinaryLast {
        if (!(r1 <= r2 && r2 <= r3 && r3 <= r4) || !Double.isFinite(r1) || !Double.isFinite(r4)
                || !Double.isFinite(b1) || !Double.isFinite(b2)) {
            throw new IllegalArgumentException("binary-last needs finite r1 ≤ r2 ≤ r3 ≤ r4 and finite amplitudes, got "
                    + r1 + ", " + r2 + ", " + r3 + ", " + r4 + ", " + b1 + ", " + b2);
        }
    }

    @Override
    public double value(double u) {
        if (u < r1 || u > r4) {
            return b1;
        }
        return (u > r2 && u < r3) ? b2 : 0;
    }

    @Override
    public double derivative(double u) {
        return 0;
    }

    @Override
    public Moments moments(double tau) {
        double t3 = tau * tau * tau;
        double p1 = Normal.pdf(r1 / tau);
        double p2 = Normal.pdf(r2 / tau);
        double p3 = Normal.pdf(r3 / tau);
        double p4 = Normal.pdf(r4 / tau);
        double outer = Normal.cdf(r1 / tau) + Normal.cdf(-r4 / tau);
        double inner = Math.max(0, Normal.cdf(r3 / tau) - Normal.cdf(r2 / tau));
        double edgeOuter = (r4 * p4 - r1 * p1) / t3;
        double edgeInner = (r2 * p2 - r3 * p3) / t3;
        double m0 = b1 * outer + b2 * inner;
        double m1 = (b1 * (p4 - p1) + b2 * (p2 - p3)) / tau;
        double m2 = b1 * edgeOuter + b2 * edgeInner;
        double m3 = b1 * b1 * edgeOuter + b2 * b2 * edgeInner - 2 * m0 * m2;
        double v = b1 * b1 * outer + b2 * b2 * inner - m0 * m0;
        return new Moments(tau, m0, m1, m2, m3, Math.max(v, 0), Double.NaN);
    }

    @Override
    public String spec() {
        return "binary-last:" + r1 + ":" + r2 + ":" + r3 + ":" + r4 + ":" + b1 + ":" + b2;
    }
}
