package ntklc.special;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * Globally adaptive Gauss–Kronrod quadrature (7-point Gauss, 15-point Kronrod) on finite or
 * infinite intervals, with break points where the integrand has kinks or jumps — the tool the
 * Gaussian moments of piecewise activations need (docs/theory.md §3.1: split the integral at the jumps).
 *
 * <p>Method (R. Piessens, E. de Doncker-Kapenga, C. Überhuber, D. Kahaner, QUADPACK, Springer 1983,
 * routines {@code qk15}, {@code qagi}, {@code qagp}):
 * <ol>
 *   <li>[a, b] is cut at the break points that lie inside it; an infinite piece [c, ∞) is mapped
 *       to t ∈ [0, 1) by x = c + t/(1−t), dx = dt/(1−t)² (and (−∞, c] by x = c − t/(1−t)); a
 *       doubly infinite interval without break points is cut at 0.</li>
 *   <li>Each piece gets the 15-point Kronrod estimate K and the error estimate of {@code qk15}:
 *       {@code e = I_asc·min(1, (200·|K − G|/I_asc)^{3/2})}, G the embedded 7-point Gauss value,
 *       I_asc the integral of |f − mean f|, floored at 50·ε·∫|f|.</li>
 *   <li>While Σe &gt; max(absTol, relTol·|ΣK|, 100·ε·∫|f|), the piece with the largest e is bisected
 *       (at most {@code maxIntervals} pieces).</li>
 * </ol>
 * A vector-valued integrand ({@link #integrate(VectorIntegrand, int, double, double, double[], double,
 * double, int)}) shares one partition between its components (several moments or Hermite
 * coefficients of the same σ for the price of one integration); every component must meet the
 * tolerance, and the piece bisected is the one whose error is largest relative to its component's
 * tolerance.
 * The returned {@link Result} says whether the tolerance was met; {@link #gaussian} refuses
 * (throws) when it was not, rather than return a silently inaccurate moment.
 */
public final class Quadrature {
    private Quadrature() {
    }

    /** Default absolute tolerance of {@link #gaussian}. */
    public static final double DEFAULT_ABS_TOL = 1e-13;
    /** Default relative tolerance of {@link #gaussian}. */
    public static final double DEFAULT_REL_TOL = 1e-12;
    /** Error level treated as converged whatever the tolerance: ROUNDOFF·∫|f|. */
    public static final double ROUNDOFF = 100 * Math.ulp(1.0);
    /** Default cap on the number of sub-intervals. */
    public static final int DEFAULT_MAX_INTERVALS = 2000;

    /**
     * Outcome of an adaptive integration.
     *
     * @param value         the integral estimate (sum of the Kronrod values)
     * @param errorEstimate the estimated absolute error (sum of the per-interval estimates)
     * @param evaluations   number of integrand evaluations
     * @param converged     whether errorEstimate met the requested tolerance
     */
    public record Result(double value, double errorEstimate, int evaluations, boolean converged) {
    }

    /**
     * Outcome of a vector-valued integration: component i has value {@code values[i]} and
     * estimated absolute error {@code errorEstimates[i]}.
     */
    public record VectorResult(double[] values, double[] errorEstimates, int evaluations, boolean converged) {
    }

    /** A vector-valued integrand x ↦ f(x) ∈ R^m. */
    @FunctionalInterface
    public interface VectorIntegrand {
        /** Writes f(x) into {@code out} (length m; Modified). */
        void evaluate(double x, double[] out);
    }

    // QUADPACK qk15: Kronrod nodes (xgk[1], xgk[3], xgk[5], xgk[7] are the 7-point Gauss nodes).
    private static final double[] XGK = {0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
        0.864864423359769072789712788640926, 0.741531185599394439863864773280788, 0.586087235467691130294144845693013,
        0.405845151377397166906606412076961, 0.207784955007898467600689403773245, 0.0};
    private static final double[] WGK = {0.022935322010529224963732008058970, 0.063092092629978553290700663189204,
        0.104790010322250183839876322541518, 0.140653259715525918745189590510238, 0.169004726639267902826583426598550,
        0.190350578064785409913256402421014, 0.204432940075298892414161999234649, 0.209482141084727828012999174891714};
    private static final double[] WG = {0.129484966168869693270611432679082, 0.279705391489276667901467771423780,
        0.381830050505118944950369775488975, 0.417959183673469387755102040816327};

    /**
     * E[g(ξ)] = ∫ g(x)φ(x) dx over the real line, ξ ~ N(0, 1), with break points in ξ units
     * (where g has kinks or jumps) and the default tolerances. Where φ(x) underflows to 0 the
     * integrand is taken as 0 without calling g (so g may overflow there).
     *
     * @throws IllegalStateException if the default tolerance is not reached
     */
    public static double gaussian(DoubleUnaryOperator g, double... breaks) {
        return gaussian(1, (x, out) -> out[0] = g.applyAsDouble(x), breaks)[0];
    }

    /**
     * The vector form of {@link #gaussian(DoubleUnaryOperator, double...)}: E[g_i(ξ)] for the m
     * components of {@code g}, on one shared partition.
     *
     * @throws IllegalStateException if the default tolerance is not reached for every component
     */
    public static double[] gaussian(int m, VectorIntegrand g, double... breaks) {
        VectorIntegrand weighted = (x, out) -> {
            double w = Gaussian.pdf(x);
            if (w == 0.0) {
                Arrays.fill(out, 0.0);
                return;
            }
            g.evaluate(x, out);
            for (int i = 0; i < out.length; i++) {
                out[i] *= w;
            }
        };
        VectorResult r = integrate(weighted, m, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, breaks,
                DEFAULT_ABS_TOL, DEFAULT_REL_TOL, DEFAULT_MAX_INTERVALS);
        if (!r.converged()) {
            throw new IllegalStateException("Gaussian quadrature did not converge: estimates "
                    + Arrays.toString(r.values()) + " ± " + Arrays.toString(r.errorEstimates()));
        }
        return r.values();
    }

    /** x ↦ g(x)φ(x), and 0 where φ(x) is 0. */
    public static DoubleUnaryOperator gaussianIntegrand(DoubleUnaryOperator g) {
        return x -> {
            double w = Gaussian.pdf(x);
            return w == 0.0 ? 0.0 : g.applyAsDouble(x) * w;
        };
    }

    /**
     * ∫_a^b f(x) dx by globally adaptive Gauss–Kronrod 7–15.
     *
     * @param f            integrand, finite on (a, b) except possibly at the break points
     * @param a            lower limit, may be −∞
     * @param b            upper limit (&gt; a), may be +∞
     * @param breaks       points of (a, b) where f is not smooth (any order; others ignored). Not modified.
     * @param absTol       absolute tolerance (≥ 0)
     * @param relTol       relative tolerance (≥ 0)
     * @param maxIntervals cap on the number of sub-intervals
     */
    public static Result integrate(DoubleUnaryOperator f, double a, double b, double[] breaks,
                                   double absTol, double relTol, int maxIntervals) {
        VectorResult r = integrate((x, out) -> out[0] = f.applyAsDouble(x), 1, a, b, breaks, absTol, relTol,
                maxIntervals);
        return new Result(r.values()[0], r.errorEstimates()[0], r.evaluations(), r.converged());
    }

    /**
     * ∫_a^b f(x) dx for a vector-valued f ∈ R^m, all components on one adaptive partition.
     * Parameters as in {@link #integrate(DoubleUnaryOperator, double, double, double[], double, double, int)};
     * the tolerances apply to each component.
     */
    public static VectorResult integrate(VectorIntegrand f, int m, double a, double b, double[] breaks,
                                         double absTol, double relTol, int maxIntervals) {
        if (!(a < b) || Double.isNaN(a) || Double.isNaN(b)) {
            throw new IllegalArgumentException("need a < b, got [" + a + ", " + b + "]");
        }
        if (m < 1) {
            throw new IllegalArgumentException("need at least one component, got " + m);
        }
        double[] cuts = Arrays.stream(breaks).filter(x -> x > a && x < b).sorted().distinct().toArray();
        if (Double.isInfinite(a) && Double.isInfinite(b) && cuts.length == 0) {
            cuts = new double[] {0.0};
        }
        double[] points = new double[cuts.length + 2];
        points[0] = a;
        System.arraycopy(cuts, 0, points, 1, cuts.length);
        points[points.length - 1] = b;

        List<Piece> pieces = new ArrayList<>();
        for (int i = 0; i + 1 < points.length; i++) {
            double lo = points[i];
            double hi = points[i + 1];
            VectorIntegrand h;
            if (Double.isInfinite(hi)) {
                h = (t, out) -> { // x = lo + t/(1−t), dx = dt/(1−t)²
                    double s = 1.0 - t;
                    f.evaluate(lo + t / s, out);
                    scale(out, 1.0 / (s * s));
                };
            } else if (Double.isInfinite(lo)) {
                h = (t, out) -> { // x = hi − t/(1−t)
                    double s = 1.0 - t;
                    f.evaluate(hi - t / s, out);
                    scale(out, 1.0 / (s * s));
                };
            } else {
                h = f;
            }
            boolean mapped = Double.isInfinite(lo) || Double.isInfinite(hi);
            pieces.add(kronrod(h, m, mapped ? 0.0 : lo, mapped ? 1.0 : hi));
        }
        int evaluations = 15 * pieces.size();
        double[] value = new double[m];
        double[] error = new double[m];
        double[] tol = new double[m];
        while (true) {
            Arrays.fill(value, 0);
            Arrays.fill(error, 0);
            double[] absValue = new double[m];
            for (Piece p : pieces) {
                for (int i = 0; i < m; i++) {
                    value[i] += p.value[i];
                    error[i] += p.error[i];
                    absValue[i] += p.absValue[i];
                }
            }
            boolean converged = true;
            for (int i = 0; i < m; i++) {
                // The round-off floor: no estimate can be trusted below ~100 ε ∫|f| (QUADPACK's "roundoff").
                tol[i] = Math.max(Math.max(absTol, relTol * Math.abs(value[i])), ROUNDOFF * absValue[i]);
                converged &= error[i] <= tol[i];
            }
            if (converged) {
                return new VectorResult(value.clone(), error.clone(), evaluations, true);
            }
            int worst = 0;
            double worstRatio = -1;
            for (int j = 0; j < pieces.size(); j++) {
                Piece p = pieces.get(j);
                for (int i = 0; i < m; i++) {
                    double ratio = tol[i] > 0 ? p.error[i] / tol[i] : p.error[i];
                    if (ratio > worstRatio) {
                        worstRatio = ratio;
                        worst = j;
                    }
                }
            }
            Piece p = pieces.get(worst);
            double mid = 0.5 * (p.lo + p.hi);
            if (pieces.size() >= maxIntervals || !(mid > p.lo && mid < p.hi)) {
                return new VectorResult(value.clone(), error.clone(), evaluations, false);
            }
            pieces.set(worst, kronrod(p.f, m, p.lo, mid));
            pieces.add(kronrod(p.f, m, mid, p.hi));
            evaluations += 30;
        }
    }

    private static void scale(double[] v, double factor) {
        for (int i = 0; i < v.length; i++) {
            v[i] *= factor;
        }
    }

    /** One sub-interval with, per component, its Kronrod value, error estimate and ∫|f|. */
    private record Piece(VectorIntegrand f, double lo, double hi, double[] value, double[] error, double[] absValue) {
    }

    /** QUADPACK qk15 on [lo, hi], component by component. */
    private static Piece kronrod(VectorIntegrand f, int m, double lo, double hi) {
        double centre = 0.5 * (lo + hi);
        double half = 0.5 * (hi - lo);
        // fx[0] = f(centre); fx[1 + 2j], fx[2 + 2j] = f(centre ∓ half·XGK[j]).
        double[][] fx = new double[15][m];
        f.evaluate(centre, fx[0]);
        for (int j = 0; j < 7; j++) {
            double dx = half * XGK[j];
            f.evaluate(centre - dx, fx[1 + 2 * j]);
            f.evaluate(centre + dx, fx[2 + 2 * j]);
        }
        double[] value = new double[m];
        double[] error = new double[m];
        double[] absValue = new double[m];
        double eps = Math.ulp(1.0);
        double ah = Math.abs(half);
        for (int i = 0; i < m; i++) {
            double fc = fx[0][i];
            double resG = fc * WG[3];
            double resK = fc * WGK[7];
            double resAbs = Math.abs(resK);
            for (int j = 0; j < 7; j++) {
                double f1 = fx[1 + 2 * j][i];
                double f2 = fx[2 + 2 * j][i];
                resK += WGK[j] * (f1 + f2);
                resAbs += WGK[j] * (Math.abs(f1) + Math.abs(f2));
                if (j % 2 == 1) {
                    resG += WG[j / 2] * (f1 + f2);
                }
            }
            double meanK = 0.5 * resK;
            double resAsc = WGK[7] * Math.abs(fc - meanK);
            for (int j = 0; j < 7; j++) {
                resAsc += WGK[j] * (Math.abs(fx[1 + 2 * j][i] - meanK) + Math.abs(fx[2 + 2 * j][i] - meanK));
            }
            resAbs *= ah;
            resAsc *= ah;
            double err = Math.abs((resK - resG) * half);
            if (resAsc != 0 && err != 0) {
                err = resAsc * Math.min(1.0, Math.pow(200.0 * err / resAsc, 1.5));
            }
            if (resAbs > Double.MIN_NORMAL / (50 * eps)) {
                err = Math.max(50 * eps * resAbs, err);
            }
            value[i] = resK * half;
            error[i] = err;
            absValue[i] = resAbs;
            if (Double.isNaN(value[i]) || Double.isNaN(err)) {
                throw new ArithmeticException("integrand is NaN on [" + lo + ", " + hi + "]");
            }
        }
        return new Piece(f, lo, hi, value, error, absValue);
    }

    /** The break points {@code points} scaled by 1/τ (u-units of an activation to ξ-units). */
    public static double[] scaled(double[] points, double tau) {
        double[] out = new double[points.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = points[i] / tau;
        }
        return out;
    }
}
