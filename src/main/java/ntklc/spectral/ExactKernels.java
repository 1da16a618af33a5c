package ntklc.spectral;

import java.util.List;

import ntklc.activation.Activation;
import ntklc.activation.Moments;
import ntklc.linalg.Matrix;
import ntklc.tensor.Parallel;

/**
 * Expected (infinite-width) conjugate kernel and limiting NTK of the network of docs/theory.md §2.1 with
 * centred activations, computed layer by layer (docs/theory.md §2.2, paper Eqs. (4)–(6)):
 *
 * <pre>
 *   K_CK,0 = XᵀX,   [K_CK,ℓ]_ij = E[σ̄_ℓ(u) σ̄_ℓ(v)],   [K'_ℓ]_ij = E[σ_ℓ'(u) σ_ℓ'(v)],
 *   (u, v) ~ N(0, [[K_ii, K_ij], [K_ij, K_jj]]),  K = K_CK,ℓ−1,
 *   K_NTK,0 = XᵀX,  K_NTK,ℓ = K_CK,ℓ + K_NTK,ℓ−1 ∘ K'_ℓ,
 * </pre>
 * with the centred activation {@code σ̄_ℓ(u) = σ_ℓ(u) − E[σ_ℓ(τ_{ℓ−1}ξ)]}: the centring constant
 * uses the layer scale τ_{ℓ−1} of the τ-recursion (docs/theory.md §4.1, {@code τ_ℓ² = Var σ_ℓ(τ_{ℓ−1}ξ)}),
 * not the per-sample variance K_ii — exactly what the finite network subtracts.
 *
 * <p>Two evaluations of each layer:
 * <ul>
 *   <li><b>ReLU, arc-cosine closed form</b> (Cho &amp; Saul 2009): with {@code s_i = √K_ii},
 *       {@code cos θ = K_ij/(s_i s_j)}, {@code E[relu(u) relu(v)] = s_i s_j (sin θ + (π − θ) cos θ)/(2π)},
 *       {@code E[relu(u)] = s_i/√(2π)}, and {@code K'_ij = (π − θ)/(2π)}.</li>
 *   <li><b>Any activation, Hermite (Mehler) expansion</b> (docs/theory.md §3.2):
 *       {@code [K]_ij = Σ_{k ≤ kmax} ρ_ij^k a_k(i) a_k(j)}, {@code a_k(i) = E[σ̄(s_i ξ) He_k(ξ)]/√k!},
 *       {@code ρ_ij = K_ij/(s_i s_j)}; the derivative kernel uses
 *       {@code E[σ'(sξ) He_k(ξ)]/√k! = √(k+1)·a_{k+1}/s} (Gaussian integration by parts). The
 *       diagonal is exact: {@code E[σ̄(s_i ξ)²] = v(s_i) + (m0(s_i) − m0(τ_{ℓ−1}))²},
 *       {@code K'_ii = q(s_i)}.</li>
 * </ul>
 * Shapes: the Gram matrix {@code XᵀX} is n×n (see {@link ntklc.linalg.Products#gram}); every
 * kernel returned is n×n and exactly symmetric.
 */
public final class ExactKernels {
    /**
     * Hermite truncation order used by {@link Method#HERMITE} (docs/theory.md §2.2): the dropped terms are
     * below |ρ_ij|^17 of the entries, 2e−7 at the correlations |ρ| ≤ 0.4 of GMM data.
     */
    public static final int DEFAULT_HERMITE_ORDER = 16;

    /** How each layer's Gaussian expectation is evaluated. */
    public enum Method {
        /** The arc-cosine closed form for {@code relu} layers, the Hermite expansion otherwise. */
        AUTO,
        /** The Hermite expansion for every layer (the cross-check of the closed form). */
        HERMITE
    }

    /** The kernels of the last layer L, and the scales τ_0..τ_L used for the centring. */
    public record Result(Matrix ck, Matrix ntk, double[] tau) {
    }

    private ExactKernels() {
    }

    /**
     * K_CK,L and (if {@code withNtk}) K_NTK,L for the chain {@code layers} (σ_1..σ_L).
     *
     * @param gram    {@code XᵀX}, n×n; not modified
     * @param tau0    τ_0 = √(tr C°/p), estimated as in docs/theory.md §1.2
     * @param layers  σ_1..σ_L (uncentred; centred here)
     * @param withNtk also compute K_NTK,L ({@code ntk} is null otherwise)
     * @param method  closed form where available, or Hermite everywhere
     * @param order   Hermite truncation order k_max
     */
    public static Result compute(Matrix gram, double tau0, List<? extends Activation> layers, boolean withNtk,
                                 Method method, int order) {
        gram.requireSquare("ExactKernels");
        Matrix k = gram.copy();
        Matrix ntk = withNtk ? gram.copy() : null;
        double[] tau = new double[layers.size() + 1];
        tau[0] = tau0;
        for (int l = 0; l < layers.size(); l++) {
            Activation sigma = layers.get(l);
            Moments atTau = sigma.moments(tau[l]);
            boolean closedForm = method == Method.AUTO && sigma.spec().equals("relu");
            Matrix kPrime = withNtk ? Matrix.zeros(k.rows(), k.cols()) : null;
            Matrix next = closedForm ? reluLayer(k, atTau.m0(), kPrime) : hermiteLayer(k, sigma, atTau.m0(), order, kPrime);
            if (withNtk) {
                double[] nd = ntk.data();
                double[] pd = kPrime.data();
                double[] cd = next.data();
                for (int i = 0; i < nd.length; i++) {
                    nd[i] = cd[i] + nd[i] * pd[i];
                }
            }
            k = next;
            tau[l + 1] = Math.sqrt(atTau.v());
        }
        return new Result(k, ntk, tau);
    }

    /** K_CK,L with the default method and order. */
    public static Matrix ck(Matrix gram, double tau0, List<? extends Activation> layers) {
        return compute(gram, tau0, layers, false, Method.AUTO, DEFAULT_HERMITE_ORDER).ck();
    }

    /** K_NTK,L with the default method and order. */
    public static Matrix ntk(Matrix gram, double tau0, List<? extends Activation> layers) {
        return compute(gram, tau0, layers, true, Method.AUTO, DEFAULT_HERMITE_ORDER).ntk();
    }

    /**
     * One ReLU layer by the arc-cosine closed form, centred by {@code m0 = E[relu(τ_{ℓ−1}ξ)]}:
     * {@code E[σ̄(u)σ̄(v)] = E[relu(u)relu(v)] − m0 (s_i + s_j)/√(2π) + m0²}. Writes
     * {@code K'_ij = (π − θ_ij)/(2π)} into {@code kPrime} when it is not null (Modified).
     */
    static Matrix reluLayer(Matrix k, double m0, Matrix kPrime) {
        int n = k.rows();
        double[] s = sqrtDiagonal(k);
        double inv2pi = 1 / (2 * Math.PI);
        double invSqrt2pi = 1 / Math.sqrt(2 * Math.PI);
        Matrix out = Matrix.zeros(n, n);
        double[] kd = k.data();
        double[] od = out.data();
        double[] pd = kPrime == null ? null : kPrime.data();
        Parallel.forRange(n, 64, (r0, r1) -> {
            for (int i = r0; i < r1; i++) {
                for (int j = 0; j < n; j++) {
                    double theta;
                    double e;
                    if (i == j) {
                        theta = 0;
                        e = 0.5 * s[i] * s[i];
                    } else {
                        double denom = s[i] * s[j];
                        double rho = denom == 0 ? 0 : Math.max(-1, Math.min(1, kd[i * n + j] / denom));
                        theta = Math.acos(rho);
                        e = denom * (Math.sin(theta) + (Math.PI - theta) * rho) * inv2pi;
                    }
                    od[i * n + j] = e - m0 * (s[i] + s[j]) * invSqrt2pi + m0 * m0;
                    if (pd != null) {
                        pd[i * n + j] = (Math.PI - theta) * inv2pi;
                    }
                }
            }
        });
        return out;
    }

    /**
     * One layer of any activation by the Mehler expansion truncated at {@code order}, centred by
     * {@code m0}. Writes the derivative kernel into {@code kPrime} when it is not null (Modified).
     */
    static Matrix hermiteLayer(Matrix k, Activation sigma, double m0, int order, Matrix kPrime) {
        int n = k.rows();
        double[] s = sqrtDiagonal(k);
        // a[i][k] = E[σ̄(s_i ξ) He_k(ξ)]/√k!, one quadrature per sample.
        double[][] a = new double[n][];
        double[] diag = new double[n];
        double[] diagPrime = new double[n];
        Parallel.forRange(n, 16, (r0, r1) -> {
            for (int i = r0; i < r1; i++) {
                double[] c = sigma.hermiteCoefficients(s[i], order + 1);
                c[0] -= m0;
                a[i] = c;
                Moments mi = sigma.moments(s[i]);
                diag[i] = mi.v() + (mi.m0() - m0) * (mi.m0() - m0);
                diagPrime[i] = mi.q();
            }
        });
        double[][] b = new double[n][order + 1];
        for (int i = 0; i < n; i++) {
            for (int q = 0; q <= order; q++) {
                b[i][q] = Math.sqrt(q + 1.0) * a[i][q + 1] / s[i];
            }
        }
        Matrix out = Matrix.zeros(n, n);
        double[] kd = k.data();
        double[] od = out.data();
        double[] pd = kPrime == null ? null : kPrime.data();
        Parallel.forRange(n, 64, (r0, r1) -> {
            for (int i = r0; i < r1; i++) {
                for (int j = 0; j < n; j++) {
                    if (i == j) {
                        od[i * n + i] = diag[i];
                        if (pd != null) {
                            pd[i * n + i] = diagPrime[i];
                        }
                        continue;
                    }
                    double rho = kd[i * n + j] / (s[i] * s[j]);
                    od[i * n + j] = mehler(rho, a[i], a[j], order);
                    if (pd != null) {
                        pd[i * n + j] = mehler(rho, b[i], b[j], order);
                    }
                }
            }
        });
        return out;
    }

    /** {@code Σ_{k ≤ order} ρ^k x_k y_k} by Horner's rule. */
    private static double mehler(double rho, double[] x, double[] y, int order) {
        double sum = 0;
        for (int q = order; q >= 0; q--) {
            sum = sum * rho + x[q] * y[q];
        }
        return sum;
    }

    private static double[] sqrtDiagonal(Matrix k) {
        double[] d = k.diagonal();
        for (int i = 0; i < d.length; i++) {
            if (!(d[i] >= 0)) {
                throw new IllegalArgumentException("kernel diagonal entry " + i + " is " + d[i] + " (must be ≥ 0)");
            }
            d[i] = Math.sqrt(d[i]);
        }
        return d;
    }
}
