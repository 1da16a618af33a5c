package ntklc.compression;

/**
 * The grids on which a ternary network's sums are exact in float, in any order
 * ({@code docs/theory.md §6.7}). A layer with weights {@code W = a·T}, {@code T ∈ {−1, 0, +1}},
 * forms {@code u_j = a·Σ_i T_ji h_i}. If every {@code h_i} is an integer multiple of a power of two
 * δ and {@code Σ_i |h_i| < 2^24·δ}, every partial sum of {@code ±h_i} is an integer multiple of δ
 * below {@code 2^24·δ} in magnitude, hence a float: the float sum is the exact sum whatever the
 * order, blocking or vector width, and {@code a·Σ} is exact in double (two 24-bit mantissas).
 * The dense engine ({@link RandomFeatureNetwork}) and the packed engine then decide every step of
 * every σ_ℓ on the same real number, so their features agree bit for bit.
 *
 * <p>Two grids put the values there, each a rounding far below the float resolution of the data:
 * <ul>
 *   <li>{@link #gridRow}: a real input row x, rounded to multiples of
 *       {@code δ = 2^(⌈log2 ‖x‖₁⌉ − 23)}, a relative change of at most {@code 2^−24·‖x‖₁/|x_i|} per
 *       entry (≈ 2^−24·d for entries of typical size);</li>
 *   <li>{@link #gridValues}: the values {@code (c_k − m0)/√d} a step activation emits into the next
 *       layer, rounded to multiples of {@code δ = 2^(⌈log2(d·max_k |v_k|)⌉ − 23)}: at most
 *       {@code 2^−23·d} relative to the largest level (6·10⁻⁴ at d = 5000), below the centring's own
 *       Monte-Carlo error of order {@code 1/√(n·d)}.</li>
 * </ul>
 * Both bounds use {@code Σ|h| ≤ 2^23·δ + d·δ/2 < 2^24·δ} for {@code d < 2^24}.
 */
public final class ExactSums {
    private ExactSums() {
    }

    /** Spacing of the grid of a set of values whose absolute sum is at most {@code bound}; a power of two ≥ 2^−149. */
    static double spacing(double bound) {
        if (!(bound > 0) || Double.isInfinite(bound)) {
            return Float.MIN_VALUE;
        }
        int e = Math.getExponent(bound);
        if (bound != Math.scalb(1.0, e)) {
            e++; // ⌈log2 bound⌉
        }
        return Math.max(Math.scalb(1.0, e - 23), Float.MIN_VALUE);
    }

    /** x rounded to the nearest multiple of δ (ties to even); exact in double and representable as a float. */
    static float round(float x, double delta) {
        return (float) (Math.rint(x / delta) * delta);
    }

    /**
     * Rounds {@code x[from … from+p−1]}, one real input row, onto its grid (class comment). A row
     * with a non-finite entry or all zeros is left as it is.
     *
     * @param x    row-major data (Modified: the row)
     * @param from index of the row's first entry
     * @param p    row length
     */
    public static void gridRow(float[] x, int from, int p) {
        double l1 = 0;
        for (int i = from; i < from + p; i++) {
            l1 += Math.abs(x[i]);
        }
        if (!(l1 > 0) || Double.isInfinite(l1)) {
            return;
        }
        double delta = spacing(l1);
        for (int i = from; i < from + p; i++) {
            x[i] = round(x[i], delta);
        }
    }

    /**
     * The values a step activation emits, {@code (float)((c_k − m0)/√d)}, rounded onto the grid of
     * a next layer with {@code d} inputs (class comment).
     *
     * @param levels   c_0 … c_K of σ_ℓ (repeated levels allowed)
     * @param centring m0_ℓ
     * @param d        d_ℓ, the number of such values one unit of the next layer sums
     * @return the rounded values, one per entry of {@code levels}
     */
    public static float[] gridValues(double[] levels, double centring, int d) {
        double scale = 1 / Math.sqrt(d);
        float[] v = new float[levels.length];
        double largest = 0;
        for (int k = 0; k < levels.length; k++) {
            v[k] = (float) ((levels[k] - centring) * scale);
            largest = Math.max(largest, Math.abs(v[k]));
        }
        double delta = spacing(d * largest);
        for (int k = 0; k < v.length; k++) {
            v[k] = round(v[k], delta);
        }
        return v;
    }
}
