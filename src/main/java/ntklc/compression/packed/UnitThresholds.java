package ntklc.compression.packed;

/**
 * The thresholds of a hidden layer's step activation moved onto the integer counts (package
 * comment): with {@code u_j(C) = scale·C + off_j},
 * <pre>
 *   scale = a·(hi − lo)/√d_in,   off_j = a·(lo − m0)·R_j/√d_in,
 * </pre>
 * ({@code a} the weight level, {@code lo}, {@code hi} the two levels of the previous activation,
 * {@code m0} its centring constant, {@code R_j} the row sum of T) the predicate {@code [u_j ≥ t_i]}
 * is {@code [C ≥ k_ji]} when {@code scale > 0} and {@code ¬[C ≥ k_ji]} when {@code scale < 0}, with
 * {@code k_ji} the smallest integer at which {@code u_j(C) ≥ t_i} (resp. {@code < t_i}) holds, both
 * sides evaluated in double. The packed engine decides every hidden unit this way, exactly; the
 * dense float network agrees except where its rounded pre-activation lies within rounding of a
 * threshold. NOTE: the pre-activations of a row lie on the lattice {@code scale·C + off_j}; a
 * threshold that is a round number can sit exactly on it (e.g. {@code t = −0.3}, {@code d_in = 100},
 * {@code R_j = 0}), and then every sample at that lattice point is a tie that the two engines may
 * decide differently. The solver's thresholds are not such numbers. {@code |k_ji| ≤ d_in + 1}.
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
     * @param inputs     planes of the previous layer (one plane)
     * @param inCentring m0 of the previous layer
     * @param thresholds t_1 … t_K of this layer
     */
    static UnitThresholds of(TernaryMatrix t, LevelPlanes inputs, double inCentring, double[] thresholds) {
        if (inputs.planes() != 1) {
            throw new IllegalArgumentException("a hidden ternary layer needs a two-level activation before it, got "
                    + (inputs.planes() + 1) + " levels");
        }
        int dIn = t.cols();
        double inScale = 1 / Math.sqrt(dIn);
        double a = t.level();
        double lo = inputs.base();
        double hi = inputs.planeLevels()[0];
        double scale = a * (hi - lo) * inScale;
        int bound = dIn + 1;
        int[] k = new int[t.rows() * thresholds.length];
        for (int j = 0; j < t.rows(); j++) {
            double off = a * (lo - inCentring) * inScale * t.rowSum(j);
            for (int i = 0; i < thresholds.length; i++) {
                k[j * thresholds.length + i] = smallest(scale, off, thresholds[i], bound);
            }
        }
        return new UnitThresholds(thresholds.length, k, scale < 0);
    }

    /**
     * For {@code scale > 0} the least {@code C ∈ [−bound, bound]} with {@code scale·C + off ≥ t};
     * for {@code scale < 0} the least with {@code scale·C + off < t}; {@code −bound} for a
     * predicate true everywhere, {@code bound} for one false everywhere ({@code scale = 0}).
     */
    static int smallest(double scale, double off, double t, int bound) {
        if (scale == 0) {
            return off >= t ? -bound : bound;
        }
        java.util.function.IntPredicate holds = scale > 0 ? c -> scale * c + off >= t : c -> scale * c + off < t;
        double x = (t - off) / scale;
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
