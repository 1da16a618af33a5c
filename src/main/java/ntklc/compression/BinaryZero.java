package ntklc.compression;

import ntklc.activation.Activation;
import ntklc.activation.Moments;

/**
 * The two-threshold binary activation σ_T of paper Eq. (17), used by NTK-LC on the hidden layers
 * 1..L−1 (spec §4.2, §7.2):
 *
 * <pre>  σ_T(u) = a·(1{u &lt; s1} + 1{u &gt; s2}),   s1 ≤ s2,   values in {0, a}.</pre>
 *
 * Closed-form moments at scale τ with {@code A = s1/τ}, {@code B = s2/τ} (spec §4.2):
 * <pre>
 *   m0 = a·(Φ(A) + 1 − Φ(B))
 *   m1 = a·(φ(B) − φ(A)) / τ
 *   m2 = a·(s2 φ(B) − s1 φ(A)) / τ³
 *   m3 = (a² − 2a·m0)·(s2 φ(B) − s1 φ(A)) / τ³
 *   v  = a²·(Φ(A) + 1 − Φ(B)) − m0²
 * </pre>
 * q = E[σ'²] is infinite for a step function and reported as NaN.
 * The naive-quantized baseline of spec §9 E2 is {@code BinaryZero(−1, 1, 1)} = 1{t<−1} + 1{t>1}.
 *
 * <p>NOTE: the theory engineer's {@code ntklc.activation} will provide the same activation under
 * the same command-line spelling {@code binary-zero:s1:s2:a}; this one should then be dropped.
 */
public record BinaryZero(double s1, double s2, double a) implements Activation {
    public BinaryZero {
        if (!(s1 <= s2) || !Double.isFinite(s1) || !Double.isFinite(s2) || !Double.isFinite(a)) {
            throw new IllegalArgumentException("binary-zero needs finite s1 ≤ s2 and a finite amplitude, got "
                    + s1 + ", " + s2 + ", " + a);
        }
    }

    @Override
    public double value(double u) {
        return (u < s1 || u > s2) ? a : 0;
    }

    @Override
    public double derivative(double u) {
        return 0;
    }

    @Override
    public Moments moments(double tau) {
        double pa = Normal.pdf(s1 / tau);
        double pb = Normal.pdf(s2 / tau);
        double mass = Normal.cdf(s1 / tau) + Normal.cdf(-s2 / tau);
        double edge = (s2 * pb - s1 * pa) / (tau * tau * tau);
        double m0 = a * mass;
        double m1 = a * (pb - pa) / tau;
        double m2 = a * edge;
        double m3 = (a * a - 2 * a * m0) * edge;
        double v = a * a * mass - m0 * m0;
        return new Moments(tau, m0, m1, m2, m3, Math.max(v, 0), Double.NaN);
    }

    @Override
    public String spec() {
        return "binary-zero:" + s1 + ":" + s2 + ":" + a;
    }
}
