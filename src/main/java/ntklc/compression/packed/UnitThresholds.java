package ntklc.compression.packed;

/**
 * The thresholds of a hidden layer's step activation moved onto the integer counts (package
 * comment): with {@code lo}, {@code hi} the grid values the two levels of the previous activation
 * emit ({@link ntklc.compression.ExactSums#gridValues}), {@code a} the weight level and {@code R_j}
 * the row sum of T,
 * <pre>
 *   u_j(C) = a·( lo·R_j + (hi − lo)·C ),
 * </pre>
 * evaluated in double, which is exact for {@code |C| ≤ d_in + 1} (lo, hi and hi − lo are grid
 * multiples of at most 25 significant bits, the bracket one of at most 24, times a 24-bit float).
 * The predicate {@code [u_j ≥ t_i]} is {@code [C ≥ k_ji]} when {@code hi > lo} and
 * {@code ¬[C ≥ k_ji]} when {@code hi < lo}, with {@code k_ji} the smallest integer at which
 * {@code u_j(C) ≥ t_i} (resp. {@code < t_i}) holds. The dense engine compares the same exact
 * number with the same threshold, so both decide every unit alike, ties included.
 * {@code |k_ji| ≤ d_in + 1}.
 */
final class UnitThresholds {
    final int count;
    final int[] k;
    final boolean flip;

    private UnitThresholds(int count, int[] k, boolean flip) {
        this.count = count;
        this.k = k;
        this.flip = flip;
    }

    /**
     * @param t          the layer's weights (row sums, level, d_in)
     * @param inputValue the grid values of the previous layer's two level codes
     * @param thresholds t_1 … t_K of this layer
     */
    static UnitThresholds of(TernaryMatrix t, float[] inputValue, double[] thresholds) {
        if (inputValue.length != 2) {
            throw new IllegalArgumentException("a hidden ternary layer needs a two-level activation before it, got "
                    + inputValue.length + " levels");
        }
        double a = t.level();
        double lo = inputValue[0];
        double step = (double) inputValue[1] - lo;
        int bound = t.cols() + 1;
        int[] k = new int[t.rows() * thresholds.length];
        for (int j = 0; j < t.rows(); j++) {
            double off = lo * t.rowSum(j);
            for (int i = 0; i < thresholds.length; i++) {
                k[j * thresholds.length + i] = smallest(a, step, off, thresholds[i], bound);
            }
        }
        return new UnitThresholds(thresholds.length, k, step < 0);
    }

    /**
     * With {@code u(C) = a·(off + step·C)} ({@code a > 0}): for {@code step > 0} the least
     * {@code C ∈ [−bound, bound]} with {@code u(C) ≥ t}; for {@code step < 0} the least with
     * {@code u(C) < t}; {@code −bound} for a predicate true everywhere, {@code bound} for one false
     * everywhere ({@code step = 0}).
     */
    static int smallest(double a, double step, double off, double t, int bound) {
        if (step == 0) {
            return a * off >= t ? -bound : bound;
        }
        java.util.function.IntPredicate holds = step > 0 ? c -> a * (off + step * c) >= t : c -> a * (off + step * c) < t;
        double x = (t / a - off) / step;
        long c = Double.isNaN(x) ? 0 : (long) Math.max(-bound, Math.min(bound, Math.ceil(x)));
        while (c > -bound && holds.test((int) c - 1)) {
            c--;
        }
        while (c < bound && !holds.test((int) c)) {
            c++;
        }
        return (int) c;
    }
}
