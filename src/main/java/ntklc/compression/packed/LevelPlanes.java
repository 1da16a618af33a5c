package ntklc.compression.packed;

import java.util.ArrayList;
import java.util.List;

import ntklc.activation.PiecewiseConstant;

/**
 * How the output of a step activation {@code σ} ({@link PiecewiseConstant}: thresholds
 * {@code t_1 ≤ … ≤ t_K}, levels {@code c_0 … c_K}) is held in bits ({@code docs/theory.md §6.2}):
 * one level is the base (0 where 0 is a level, else {@code c_0}) and each other distinct level gets
 * a bit plane, set where {@code σ} takes that level. σ_T ({@code binary-zero}, levels
 * {@code (a, 0, a)}) needs one plane, σ_Q ({@code binary-last}, levels {@code (b1, 0, b2, 0, b1)})
 * two, a K-level staircase (the {@code tau-matched-Kbit} variants) K − 1. The value of a unit is
 * {@code base} where no plane is set, else the level of its plane:
 * <pre>
 *   σ(u) = base + Σ_q (L_q − base)·[σ(u) = L_q],
 * </pre>
 * so a ternary row applied to these planes is {@code base·R_j + Σ_q (L_q − base)·C_jq} with
 * {@code C_jq} the exact count of plane q ({@link TernaryLayer}). The <em>level code</em> of a unit
 * is 0 for the base and {@code q + 1} for plane q: {@link #codeBits()} bits per unit, the form
 * {@link PackedFeatures} stores (for one or two planes the code bits are the plane bits).
 *
 * @param base        the level held by "no bit set"
 * @param planeLevels the level of each plane (1 or 2 entries)
 * @param planeOfPiece for piece {@code i} of σ ({@code t_i ≤ u < t_{i+1}}): its plane, or −1 for the base
 * @param thresholds  {@code t_1 … t_K}
 */
public record LevelPlanes(double base, double[] planeLevels, int[] planeOfPiece, double[] thresholds) {
    /** Most planes the engine supports: 16 levels, a 4-bit level code (the {@code tau-matched-4bit} staircase). */
    public static final int MAX_PLANES = 15;

    /**
     * The planes of {@code sigma}.
     *
     * @throws IllegalArgumentException if σ has one level or more than {@code MAX_PLANES + 1} distinct levels
     */
    public static LevelPlanes of(PiecewiseConstant sigma) {
        double[] levels = sigma.levels();
        double base = levels[0];
        for (double c : levels) {
            if (c == 0) {
                base = 0;
            }
        }
        List<Double> distinct = new ArrayList<>();
        int[] planeOf = new int[levels.length];
        for (int i = 0; i < levels.length; i++) {
            if (levels[i] == base) {
                planeOf[i] = -1;
                continue;
            }
            int q = distinct.indexOf(levels[i]);
            if (q < 0) {
                distinct.add(levels[i]);
                q = distinct.size() - 1;
            }
            planeOf[i] = q;
        }
        if (distinct.size() > MAX_PLANES || distinct.isEmpty()) {
            throw new IllegalArgumentException(sigma.spec() + ": the packed engine holds 2 to " + (MAX_PLANES + 1) + " distinct levels, this has "
                    + (distinct.size() + 1));
        }
        double[] planeLevels = distinct.stream().mapToDouble(Double::doubleValue).toArray();
        return new LevelPlanes(base, planeLevels, planeOf, sigma.thresholds());
    }

    /** Number of planes. */
    public int planes() {
        return planeLevels.length;
    }

    /** Bits of a level code: ⌈log2(planes + 1)⌉ (1 for σ_T, 2 for σ_Q and 4 levels, 4 for 16 levels). */
    public int codeBits() {
        return 32 - Integer.numberOfLeadingZeros(planeLevels.length);
    }

    /** The level of code {@code c}: base for 0, {@code L_{c−1}} for 1 … planes. */
    public double levelOfCode(int c) {
        return c == 0 ? base : planeLevels[c - 1];
    }

    /** The level of a unit whose plane bits are {@code bits} (bit q for plane q; at most one set). */
    public double levelOf(int bits) {
        for (int q = 0; q < planeLevels.length; q++) {
            if ((bits >>> q & 1) != 0) {
                return planeLevels[q];
            }
        }
        return base;
    }

    /** Piece index of u: the number of thresholds {@code t_i ≤ u} (as {@link PiecewiseConstant#value}). */
    public int piece(double u) {
        int i = 0;
        while (i < thresholds.length && u >= thresholds[i]) {
            i++;
        }
        return i;
    }
}
