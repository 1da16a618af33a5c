package ntklc.special;

import java.util.Arrays;
import java.util.PriorityQueue;
import java.util.function.DoubleUnaryOperator;

/**
 * Globally adaptive Gauss–Kronrod quadrature (7-point Gauss, 15-point Kronrod) on finite or
 * infinite intervals, with break points where the integrand has kinks or jumps — the tool the
 * spec asks for the Gaussian moments of piecewise activations (spec §4.1, §11 {@code special}).
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
        Result r = integrate(gaussianIntegrand(g), Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, breaks,
                DEFAULT_ABS_TOL, DEFAULT_REL_TOL, DEFAULT_MAX_INTERVALS);
        if (!r.converged()) {
            throw new IllegalStateException("Gaussian quadrature did not converge: estimate " + r.value()
                    + " ± " + r.errorEstimate());
        }
        return r.value();
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
        if (!(a < b) || Double.isNaN(a) || Double.isNaN(b)) {
            throw new IllegalArgumentException("need a < b, got [" + a + ", " + b + "]");
        }
        double[] cuts = Arrays.stream(breaks).filter(x -> x > a && x < b).sorted().distinct().toArray();
        if (Double.isInfinite(a) && Double.isInfinite(b) && cuts.length == 0) {
            cuts = new double[] {0.0};
        }
        double[] points = new double[cuts.length + 2];
        points[0] = a;
        System.arraycopy(cuts, 0, points, 1, cuts.length);
        points[points.length - 1] = b;

        PriorityQueue<Piece> queue = new PriorityQueue<>((p, q) -> Double.compare(q.error, p.error));
        int evaluations = 0;
        for (int i = 0; i + 1 < points.length; i++) {
            double lo = points[i];
            double hi = points[i + 1];
            DoubleUnaryOperator h;
            if (Double.isInfinite(lo) && Double.isInfinite(hi)) {
                throw new IllegalStateException("unreachable: doubly infinite piece");
            } else if (Double.isInfinite(hi)) {
                h = t -> {
                    double s = 1.0 - t;
                    return f.applyAsDouble(lo + t / s) / (s * s);
                };
            } else if (Double.isInfinite(lo)) {
                h = t -> {
                    double s = 1.0 - t;
                    return f.applyAsDouble(hi - t / s) / (s * s);
                };
            } else {
                h = f;
            }
            double tLo = Double.isInfinite(lo) || Double.isInfinite(hi) ? 0.0 : lo;
            double tHi = Double.isInfinite(lo) || Double.isInfinite(hi) ? 1.0 : hi;
            queue.add(kronrod(h, tLo, tHi));
            evaluations += 15;
        }
        while (true) {
            double value = 0;
            double error = 0;
            double absValue = 0;
            for (Piece p : queue) {
                value += p.value;
                error += p.error;
                absValue += p.absValue;
            }
            // The round-off floor: no estimate can be trusted below ~100 ε ∫|f| (QUADPACK's "roundoff").
            double tol = Math.max(Math.max(absTol, relTol * Math.abs(value)), ROUNDOFF * absValue);
            if (error <= tol) {
                return new Result(value, error, evaluations, true);
            }
            Piece worst = queue.peek();
            double mid = 0.5 * (worst.lo + worst.hi);
            if (queue.size() >= maxIntervals || !(mid > worst.lo && mid < worst.hi)) {
                return new Result(value, error, evaluations, false);
            }
            queue.poll();
            queue.add(kronrod(worst.f, worst.lo, mid));
            queue.add(kronrod(worst.f, mid, worst.hi));
            evaluations += 30;
        }
    }

    /** One sub-interval with its Kronrod value and error estimate. */
    private record Piece(DoubleUnaryOperator f, double lo, double hi, double value, double error, double absValue) {
    }

    /** QUADPACK qk15 on [lo, hi]. */
    private static Piece kronrod(DoubleUnaryOperator f, double lo, double hi) {
        double centre = 0.5 * (lo + hi);
        double half = 0.5 * (hi - lo);
        double fc = f.applyAsDouble(centre);
        double resG = fc * WG[3];
        double resK = fc * WGK[7];
        double resAbs = Math.abs(resK);
        double[] f1 = new double[7];
        double[] f2 = new double[7];
        for (int j = 0; j < 7; j++) {
            double dx = half * XGK[j];
            f1[j] = f.applyAsDouble(centre - dx);
            f2[j] = f.applyAsDouble(centre + dx);
            resK += WGK[j] * (f1[j] + f2[j]);
            resAbs += WGK[j] * (Math.abs(f1[j]) + Math.abs(f2[j]));
            if (j % 2 == 1) {
                resG += WG[j / 2] * (f1[j] + f2[j]);
            }
        }
        double meanK = 0.5 * resK;
        double resAsc = WGK[7] * Math.abs(fc - meanK);
        for (int j = 0; j < 7; j++) {
            resAsc += WGK[j] * (Math.abs(f1[j] - meanK) + Math.abs(f2[j] - meanK));
        }
        double ah = Math.abs(half);
        double value = resK * half;
        resAbs *= ah;
        resAsc *= ah;
        double err = Math.abs((resK - resG) * half);
        if (resAsc != 0 && err != 0) {
            err = resAsc * Math.min(1.0, Math.pow(200.0 * err / resAsc, 1.5));
        }
        double eps = Math.ulp(1.0);
        if (resAbs > Double.MIN_NORMAL / (50 * eps)) {
            err = Math.max(50 * eps * resAbs, err);
        }
        if (Double.isNaN(value) || Double.isNaN(err)) {
            throw new ArithmeticException("integrand is NaN on [" + lo + ", " + hi + "]");
        }
        return new Piece(f, lo, hi, value, err, resAbs);
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
