package ntklc.compression.packed;

import ntklc.compression.ExactSums;
import ntklc.tensor.Parallel;

/**
 * The first layer on real input, with additions and subtractions only
 * ({@code docs/theory.md §6.1}): for a batch of samples held as columns
 * ({@code xᵀ: d_0×B}, B a multiple of 64),
 * <pre>
 *   acc_j = Σ_{i: T_ji = +1} xᵀ[i, :] − Σ_{i: T_ji = −1} xᵀ[i, :]      (a vector over the B samples)
 *   u_j = a·acc_j,   bit planes of σ_1(u_j)
 * </pre>
 * The inner sum ({@link BlockSums}) adds 64 contiguous floats (one input over a block of 64 samples)
 * into accumulators held in vector registers. Loop order: the units are taken {@link #GROUP} at a
 * time (their index lists decoded once), and for each block of 64 samples every unit of the group
 * runs over that block, so that the block ({@code 64·d_0} floats, 200 kB at d_0 = 784) stays in the
 * L2 cache across the group instead of the whole batch streaming through per unit. For the SIGNS
 * form (ε = 0) {@code acc_j = 2·Σ_{T=+1} xᵀ − Σ_i xᵀ[i, :]}, half the additions.
 *
 * <p>The thresholds are moved onto the float sums: {@code u ≥ t ⇔ acc ≥ t_f} with {@code t_f} the
 * least float at which {@code a·t_f ≥ t} holds in double ({@code a·acc} is exact in double, two
 * 24-bit mantissas, and increasing in acc), so the pieces are exactly those of {@code a·acc}; the
 * comparisons run 8 lanes at a time ({@link BlockSums#atLeast}). The sums are exact: the real input
 * rows are rounded onto their grids ({@link ExactSums#gridRow}) as they are transposed, and the
 * decoded levels of a hidden layer's input already lie on theirs, so acc is the exact sum whatever
 * the order of the additions, the same number the dense engine's GEMM forms.
 */
final class FirstLayerKernel {
    private static final BlockSums SUMS = BlockSums.best();
    /** Units whose index lists are held at once (32 units of d_0 = 784 inputs: 100 kB of indices). */
    static final int GROUP = 32;

    private FirstLayerKernel() {
    }

    /**
     * @param x    {@code n×p} row-major (Not modified); rows {@code s0 … s0+b−1} are the batch
     * @param grid whether to round each row onto its grid ({@link ExactSums#gridRow}): true for real
     *             input, false for values that already lie on a grid
     * @param nBlk blocks of 64 samples, {@code 64·nBlk ≥ b}
     * @return {@code out[q][j·nBlk + β]}, sample-sliced planes; lanes of absent samples 0
     */
    static long[][] apply(TernaryMatrix t, LevelPlanes planes, float[] x, int p, int s0, int b, boolean grid,
                          int nBlk) {
        if (t.cols() != p) {
            throw new IllegalArgumentException("first layer expects p = " + t.cols() + ", got " + p);
        }
        // xᵀ in blocks of 64 samples: xB[β·p·64 + i·64 + s] = x[s0 + 64β + s, i]
        float[] xB = new float[nBlk * p * 64];
        Parallel.forRange(nBlk, 1, (fromBlk, toBlk) -> {
            float[] row = new float[p];
            for (int s = 64 * fromBlk; s < Math.min(b, 64 * toBlk); s++) {
                int blk = s >>> 6;
                int lane = s & 63;
                System.arraycopy(x, (s0 + s) * p, row, 0, p);
                if (grid) {
                    ExactSums.gridRow(row, 0, p);
                }
                for (int i = 0; i < p; i++) {
                    xB[(blk * p + i) * 64 + lane] = row[i];
                }
            }
        });
        float[] total = t.signsOnly() ? new float[nBlk * 64] : null;
        if (total != null) {
            int[] all = new int[p];
            for (int i = 0; i < p; i++) {
                all[i] = i;
            }
            float[] acc = new float[64];
            for (int blk = 0; blk < nBlk; blk++) {
                SUMS.sum(xB, blk * p * 64, all, p, all, 0, acc);
                System.arraycopy(acc, 0, total, blk * 64, 64);
            }
        }
        int dOut = t.rows();
        long[][] out = new long[planes.planes()][dOut * nBlk];
        float[] tau = floatThresholds(t.level(), planes.thresholds());
        int[] planeOf = planes.planeOfPiece();
        int groups = (dOut + GROUP - 1) / GROUP;
        Parallel.forRange(groups, 1, (fromGroup, toGroup) -> {
            float[] acc = new float[64];
            long[] bits = new long[tau.length];
            int[][] plus = new int[GROUP][p];
            int[][] minus = new int[GROUP][total == null ? p : 0];
            int[] np = new int[GROUP];
            int[] nm = new int[GROUP];
            for (int g = fromGroup; g < toGroup; g++) {
                int j0 = g * GROUP;
                int units = Math.min(GROUP, dOut - j0);
                for (int u = 0; u < units; u++) {
                    np[u] = t.plusIndices(j0 + u, plus[u]);
                    nm[u] = total == null ? t.minusIndices(j0 + u, minus[u]) : 0;
                }
                for (int blk = 0; blk < nBlk; blk++) {
                    long lanes = Bits.laneMask(blk, b);
                    for (int u = 0; u < units; u++) {
                        SUMS.sum(xB, blk * p * 64, plus[u], np[u], minus[u], nm[u], acc);
                        SUMS.atLeast(acc, total, blk * 64, tau, bits);
                        int at = (j0 + u) * nBlk + blk;
                        long above = lanes; // [acc ≥ τ_k] for the current piece k (τ_0 = −∞)
                        for (int k = 0; k <= tau.length; k++) {
                            long next = k < tau.length ? bits[k] & lanes : 0L;
                            if (planeOf[k] >= 0) {
                                out[planeOf[k]][at] |= above & ~next;
                            }
                            above = next;
                        }
                    }
                }
            }
        });
        return out;
    }

    /**
     * For each threshold t, the least float {@code t_f} with {@code a·t_f ≥ t} (products in double),
     * so that {@code [a·acc ≥ t] = [acc ≥ t_f]} for every float acc ({@code a > 0}; the product is monotone
     * in acc). ±∞ where every or no finite float passes.
     */
    static float[] floatThresholds(float a, double[] thresholds) {
        if (!(a > 0) || Float.isInfinite(a)) {
            throw new IllegalArgumentException("first layer: the weight level must be positive and finite, got " + a);
        }
        float[] tau = new float[thresholds.length];
        for (int k = 0; k < thresholds.length; k++) {
            double t = thresholds[k];
            float f = (float) (t / a);
            if (Float.isNaN(f)) {
                throw new IllegalArgumentException("first layer: threshold " + t + " is not a number");
            }
            while (f != Float.NEGATIVE_INFINITY && (double) a * Math.nextDown(f) >= t) {
                f = Math.nextDown(f);
            }
            while (f != Float.POSITIVE_INFINITY && !((double) a * f >= t)) {
                f = Math.nextUp(f);
            }
            tau[k] = f;
        }
        return tau;
    }
}
