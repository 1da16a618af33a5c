package ntklc.special;

/**
 * The error function and its complement in double precision.
 *
 * <p>{@code erf(x) = (2/√π) ∫_0^x e^{−t²} dt}, {@code erfc(x) = 1 − erf(x)} (docs/notation.md:
 * {@code erf(x) = 2Φ(x√2) − 1}).
 *
 * <p>Algorithm: W. J. Cody, "Rational Chebyshev approximations for the error function",
 * Math. Comp. 23 (1969) 631–637, as coded in his SPECFUN routine {@code CALERF} (Netlib
 * {@code specfun/erf}). Three regions of |x|:
 * <ol>
 *   <li>|x| ≤ 0.46875: {@code erf(x) = x·R₁(x²)}, a (4,4) rational function;</li>
 *   <li>0.46875 < |x| ≤ 4: {@code erfc(x) = e^{−x²}·R₂(|x|)}, an (8,8) rational function;</li>
 *   <li>|x| > 4: {@code erfc(x) = (e^{−x²}/|x|)·(1/√π − z·R₃(z))}, z = 1/x², a (5,5) rational function.</li>
 * </ol>
 * In regions 2–3 the factor e^{−x²} is formed as e^{−y²}·e^{−(x−y)(x+y)} with y = x rounded down to
 * a multiple of 1/16, so that the rounding error of x² is not amplified (Cody's trick). Maximal
 * relative error reported by Cody: below 6e−19 in the approximations, i.e. the results are correct
 * to a few ulps. erfc keeps its relative accuracy in the right tail (down to underflow near x ≈ 26.5).
 */
public final class Erf {
    private Erf() {
    }

    /** 1/√π. */
    private static final double SQRPI = 5.6418958354775628695e-1;
    private static final double THRESH = 0.46875;
    /** Below this |x|, x² is negligible against 1 in region 1. */
    private static final double XSMALL = 1.11e-16;
    /** erfc(x) underflows for x ≥ XBIG. */
    private static final double XBIG = 26.543;

    // Region 1: erf(x) = x·(A4 + A0 z + … ) / (B3 + …), z = x² (Cody's A(1..5), B(1..4)).
    private static final double[] A = {3.16112374387056560e00, 1.13864154151050156e02,
        3.77485237685302021e02, 3.20937758913846947e03, 1.85777706184603153e-1};
    private static final double[] B = {2.36012909523441209e01, 2.44024637934444173e02,
        1.28261652607737228e03, 2.84423683343917062e03};
    // Region 2: erfc(x)·e^{x²} as a rational function of x (Cody's C(1..9), D(1..8)).
    private static final double[] C = {5.64188496988670089e-1, 8.88314979438837594e00,
        6.61191906371416295e01, 2.98635138197400131e02, 8.81952221241769090e02,
        1.71204761263407058e03, 2.05107837782607147e03, 1.23033935479799725e03,
        2.15311535474403846e-8};
    private static final double[] D = {1.57449261107098347e01, 1.17693950891312499e02,
        5.37181101862009858e02, 1.62138957456669019e03, 3.29079923573345963e03,
        4.36261909014324716e03, 3.43936767414372164e03, 1.23033935480374942e03};
    // Region 3: asymptotic form in z = 1/x² (Cody's P(1..6), Q(1..5)).
    private static final double[] P = {3.05326634961232344e-1, 3.60344899949804439e-1,
        1.25781726111229246e-1, 1.60837851487422766e-2, 6.58749161529837803e-4,
        1.63153871373020978e-2};
    private static final double[] Q = {2.56852019228982242e00, 1.87295284992346047e00,
        5.27905102951428412e-1, 6.05183413124413191e-2, 2.33520497626869185e-3};

    /** erf(x); odd, |erf| ≤ 1, NaN for NaN. */
    public static double erf(double x) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        double y = Math.abs(x);
        if (y <= THRESH) {
            return region1(x);
        }
        double r = 0.5 - erfcPositive(y) + 0.5; // 1 − erfc(|x|), in Cody's order of operations
        return x < 0 ? -r : r;
    }

    /** erfc(x) = 1 − erf(x), with full relative accuracy for large positive x; NaN for NaN. */
    public static double erfc(double x) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        double y = Math.abs(x);
        if (y <= THRESH) {
            return 1.0 - region1(x);
        }
        double r = erfcPositive(y);
        return x < 0 ? 2.0 - r : r;
    }

    /** Region 1, |x| ≤ 0.46875: erf(x) = x·R₁(x²). */
    private static double region1(double x) {
        double y = Math.abs(x);
        double z = y > XSMALL ? y * y : 0.0;
        double num = A[4] * z;
        double den = z;
        for (int i = 0; i < 3; i++) {
            num = (num + A[i]) * z;
            den = (den + B[i]) * z;
        }
        return x * (num + A[3]) / (den + B[3]);
    }

    /** erfc(y) for y > 0.46875 (regions 2 and 3). */
    private static double erfcPositive(double y) {
        double scaled; // erfc(y)·e^{y²}
        if (y <= 4.0) {
            double num = C[8] * y;
            double den = y;
            for (int i = 0; i < 7; i++) {
                num = (num + C[i]) * y;
                den = (den + D[i]) * y;
            }
            scaled = (num + C[7]) / (den + D[7]);
        } else {
            if (y >= XBIG) {
                return 0.0;
            }
            double z = 1.0 / (y * y);
            double num = P[5] * z;
            double den = z;
            for (int i = 0; i < 4; i++) {
                num = (num + P[i]) * z;
                den = (den + Q[i]) * z;
            }
            double r = z * (num + P[4]) / (den + Q[4]);
            scaled = (SQRPI - r) / y;
        }
        // e^{−y²} = e^{−ys²}·e^{−(y−ys)(y+ys)} with ys = ⌊16y⌋/16 exact in binary.
        double ys = Math.floor(y * 16.0) / 16.0;
        double del = (y - ys) * (y + ys);
        return Math.exp(-ys * ys) * Math.exp(-del) * scaled;
    }
}
