package ntklc.special;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleUnaryOperator;

/**
 * Probabilists' Gauss–Hermite rule with {@code n} nodes: {@code E[f(ξ)] ≈ Σ_i w_i f(x_i)},
 * ξ ~ N(0, 1), exact for polynomials of degree ≤ 2n − 1. The weights sum to 1 (they integrate
 * against the density φ, not against e^{−x²}).
 *
 * <p>Nodes are the zeros of the Hermite polynomial He_n (He_0 = 1, He_1 = x,
 * He_{k+1} = x·He_k − k·He_{k−1}). Construction:
 * <ol>
 *   <li>Golub–Welsch (G. H. Golub, J. H. Welsch, "Calculation of Gauss quadrature rules",
 *       Math. Comp. 23 (1969) 221–230): the nodes are the eigenvalues of the symmetric tridiagonal
 *       Jacobi matrix with zero diagonal and off-diagonal √1, √2, …, √(n−1); computed by the
 *       implicit QL iteration {@code tql1} (Bowdler, Martin, Reinsch, Wilkinson, Numer. Math. 11
 *       (1968) 293–306), eigenvalues only.</li>
 *   <li>Each node is polished by Newton steps on the orthonormal polynomial p_n = He_n/√n!, with
 *       p_n' = √n·p_{n−1} and the recurrence p_{k+1} = (x·p_k − √k·p_{k−1})/√(k+1).</li>
 *   <li>Weights from the Christoffel function, {@code w_i = 1 / Σ_{k<n} p_k(x_i)²}, which keeps
 *       the relative accuracy of the tiny tail weights (the eigenvector route would not).</li>
 * </ol>
 * NOTE: Σ p_k(x)² grows like e^{x²/2} at the largest node x ≈ √(4n), so n is capped at
 * {@link #MAX_NODES} to stay below the double overflow threshold.
 *
 * <p>Gauss–Hermite converges fast for smooth (entire, slowly growing) integrands; for kinks and
 * jumps (ReLU, steps) use {@link Quadrature#gaussian} with break points instead (docs/theory.md §3.1).
 */
public final class GaussHermite {
    /** Largest supported number of nodes. */
    public static final int MAX_NODES = 300;

    private static final ConcurrentHashMap<Integer, GaussHermite> CACHE = new ConcurrentHashMap<>();

    private final double[] nodes;
    private final double[] weights;

    private GaussHermite(double[] nodes, double[] weights) {
        this.nodes = nodes;
        this.weights = weights;
    }

    /** The n-node rule (cached; immutable). 1 ≤ n ≤ {@link #MAX_NODES}. */
    public static GaussHermite of(int n) {
        if (n < 1 || n > MAX_NODES) {
            throw new IllegalArgumentException("Gauss–Hermite needs 1 ≤ n ≤ " + MAX_NODES + ", got " + n);
        }
        return CACHE.computeIfAbsent(n, GaussHermite::build);
    }

    /** Number of nodes. */
    public int size() {
        return nodes.length;
    }

    /** The nodes x_0 < … < x_{n−1} (a copy). */
    public double[] nodes() {
        return nodes.clone();
    }

    /** The weights w_i > 0, Σ w_i = 1 (a copy). */
    public double[] weights() {
        return weights.clone();
    }

    /** E[f(ξ)] ≈ Σ_i w_i f(x_i). */
    public double expectation(DoubleUnaryOperator f) {
        double sum = 0;
        // Sum from the tails inwards: small terms first.
        int n = nodes.length;
        for (int lo = 0, hi = n - 1; lo <= hi; lo++, hi--) {
            sum += weights[lo] * f.applyAsDouble(nodes[lo]);
            if (hi != lo) {
                sum += weights[hi] * f.applyAsDouble(nodes[hi]);
            }
        }
        return sum;
    }

    private static GaussHermite build(int n) {
        // 1. Golub–Welsch: eigenvalues of the Jacobi matrix.
        double[] diag = new double[n];
        double[] off = new double[n];
        for (int k = 1; k < n; k++) {
            off[k - 1] = Math.sqrt(k);
        }
        tql1(diag, off);
        Arrays.sort(diag);
        double[] x = diag;
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            // 2. Newton polish on p_n.
            for (int iter = 0; iter < 3; iter++) {
                double[] pp = orthonormal(n, x[i]);
                double step = pp[1] / (Math.sqrt(n) * pp[0]);
                x[i] -= step;
                if (Math.abs(step) <= 1e-16 * Math.max(1.0, Math.abs(x[i]))) {
                    break;
                }
            }
        }
        // Exact symmetry x_{n−1−i} = −x_i (He_n has parity n).
        for (int i = 0; i < n / 2; i++) {
            double m = 0.5 * (x[n - 1 - i] - x[i]);
            x[i] = -m;
            x[n - 1 - i] = m;
        }
        if (n % 2 == 1) {
            x[n / 2] = 0.0;
        }
        // 3. Christoffel weights.
        double total = 0;
        for (int i = 0; i < n; i++) {
            double pPrev = 0;
            double p = 1;
            double sumSq = 1;
            for (int k = 0; k < n - 1; k++) {
                double pNext = (x[i] * p - Math.sqrt(k) * pPrev) / Math.sqrt(k + 1);
                pPrev = p;
                p = pNext;
                sumSq += p * p;
            }
            w[i] = 1.0 / sumSq;
            total += w[i];
        }
        if (Math.abs(total - 1.0) > 1e-12) {
            throw new IllegalStateException("Gauss–Hermite weights sum to " + total + " for n = " + n);
        }
        return new GaussHermite(x, w);
    }

    /**
     * The orthonormal Hermite polynomials {@code p_k(x) = He_k(x)/√k!} for k = 0..p.length−1 into
     * {@code p} (Modified), by the recurrence {@code p_{k+1} = (x·p_k − √k·p_{k−1})/√(k+1)},
     * {@code p_0 = 1} (from He_{k+1} = x·He_k − k·He_{k−1}). Orthonormal for the standard Gaussian:
     * {@code E[p_j(ξ)p_k(ξ)] = 1[j = k]}.
     */
    public static void orthonormalPolynomials(double x, double[] p) {
        double previous = 0;
        double current = 1;
        for (int k = 0; k < p.length; k++) {
            p[k] = current;
            double next = (x * current - Math.sqrt(k) * previous) / Math.sqrt(k + 1);
            previous = current;
            current = next;
        }
    }

    /** {p_{n−1}(x), p_n(x)} of {@link #orthonormalPolynomials}. */
    private static double[] orthonormal(int n, double x) {
        double[] p = new double[n + 1];
        orthonormalPolynomials(x, p);
        return new double[] {p[n - 1], p[n]};
    }

    /**
     * Eigenvalues of a symmetric tridiagonal matrix by the implicit QL method with Wilkinson
     * shifts ({@code tql1}; also Numerical Recipes §11.4 {@code tqli}).
     *
     * @param d diagonal, length n. Modified: the eigenvalues on return (unsorted).
     * @param e sub-diagonal in e[0..n−2] (e[i] couples rows i and i+1); e[n−1] unused. Modified.
     */
    static void tql1(double[] d, double[] e) {
        int n = d.length;
        for (int l = 0; l < n; l++) {
            int iter = 0;
            int m;
            do {
                for (m = l; m < n - 1; m++) {
                    double dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
                    if (Math.abs(e[m]) <= Math.ulp(1.0) * dd) {
                        break;
                    }
                }
                if (m != l) {
                    if (iter++ == 60) {
                        throw new IllegalStateException("tql1: no convergence");
                    }
                    double g = (d[l + 1] - d[l]) / (2.0 * e[l]);
                    double r = Math.hypot(g, 1.0);
                    g = d[m] - d[l] + e[l] / (g + Math.copySign(r, g));
                    double s = 1.0;
                    double c = 1.0;
                    double p = 0.0;
                    int i;
                    boolean underflow = false;
                    for (i = m - 1; i >= l; i--) {
                        double f = s * e[i];
                        double b = c * e[i];
                        r = Math.hypot(f, g);
                        e[i + 1] = r;
                        if (r == 0.0) {
                            d[i + 1] -= p;
                            e[m] = 0.0;
                            underflow = true;
                            break;
                        }
                        s = f / r;
                        c = g / r;
                        g = d[i + 1] - p;
                        r = (d[i] - g) * s + 2.0 * c * b;
                        p = s * r;
                        d[i + 1] = g + p;
                        g = c * r - b;
                    }
                    if (underflow) {
                        continue;
                    }
                    d[l] -= p;
                    e[l] = g;
                    e[m] = 0.0;
                }
            } while (m != l);
        }
    }
}
