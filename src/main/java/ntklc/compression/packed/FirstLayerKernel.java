package ntklc.compression.packed;

import ntklc.tensor.Parallel;

/**
 * The first layer on real input, with additions and subtractions only
 * ({@code docs/theory.md §6.1}): for a batch of samples held as columns
 * ({@code xᵀ: d_0×B}, B a multiple of 64),
 * <pre>
 *   acc_j = Σ_{i: T_ji = +1} xᵀ[i, :] − Σ_{i: T_ji = −1} xᵀ[i, :]      (a vector over the B samples)
 *   u_j = a·acc_j,   bit planes of σ_1(u_j)
 * </pre>
 * The inner loop adds 64 contiguous floats (one input over a block of 64 samples) to the
 * accumulator, which the JIT turns into vector additions across samples; the samples are taken 64
 * at a time so that the block of inputs stays in cache (streaming whole rows of {@code xᵀ} per unit
 * was 4× slower than the dense GEMM at ε = 0). For the SIGNS form (ε = 0)
 * {@code acc_j = 2·Σ_{T=+1} xᵀ − Σ_i xᵀ[i, :]}, half the additions. Float accumulation, in an order
 * other than the dense GEMM's: the two agree to rounding, and a unit can take the other piece of σ
 * only where {@code u_j} lies within that rounding of a threshold.
 */
final class FirstLayerKernel {
    private static final BlockSums SUMS = BlockSums.best();

    private FirstLayerKernel() {
    }

    /**
     * @param x    {@code n×p} row-major (Not modified); rows {@code s0 … s0+b−1} are the batch
     * @param nBlk blocks of 64 samples, {@code 64·nBlk ≥ b}
     * @return {@code out[q][j·nBlk + β]}, sample-sliced planes; lanes of absent samples 0
     */
    static long[][] apply(TernaryMatrix t, LevelPlanes planes, float[] x, int p, int s0, int b, int nBlk) {
        if (t.cols() != p) {
            throw new IllegalArgumentException("first layer expects p = " + t.cols() + ", got " + p);
        }
        // xᵀ in blocks of 64 samples: xB[β·p·64 + i·64 + s] = x[s0 + 64β + s, i]; one block (p·64
        // floats, 200 kB at p = 784) stays in the L2 cache while every row of T runs over it.
        float[] xB = new float[nBlk * p * 64];
        for (int s = 0; s < b; s++) {
            int blk = s >>> 6;
            int lane = s & 63;
            for (int i = 0; i < p; i++) {
                xB[(blk * p + i) * 64 + lane] = x[(s0 + s) * p + i];
            }
        }
        float[] total = t.signsOnly() ? new float[nBlk * 64] : null;
        if (total != null) {
            for (int blk = 0; blk < nBlk; blk++) {
                for (int i = 0; i < p; i++) {
                    addRow(total, blk * 64, xB, (blk * p + i) * 64);
                }
            }
        }
        int dOut = t.rows();
        long[][] out = new long[planes.planes()][dOut * nBlk];
        double level = t.level();
        int[] planeOf = planes.planeOfPiece();
        Parallel.forRange(dOut, 8, (from, to) -> {
            float[] acc = new float[64];
            int[] plus = new int[p];
            int[] minus = new int[p];
            for (int j = from; j < to; j++) {
                int np = t.plusIndices(j, plus);
                int nm = total == null ? t.minusIndices(j, minus) : 0;
                for (int blk = 0; blk < nBlk; blk++) {
                    SUMS.sum(xB, blk * p * 64, plus, np, minus, nm, acc);
                    if (total != null) {
                        for (int s = 0; s < 64; s++) {
                            acc[s] = 2 * acc[s] - total[blk * 64 + s];
                        }
                    }
                    int lanes = Math.min(64, b - 64 * blk);
                    for (int s = 0; s < lanes; s++) {
                        int q = planeOf[planes.piece(level * acc[s])];
                        if (q >= 0) {
                            out[q][j * nBlk + blk] |= 1L << s;
                        }
                    }
                }
            }
        });
        return out;
    }

    /** {@code acc[at … at+64) += x[from … from+64)}. */
    private static void addRow(float[] acc, int at, float[] x, int from) {
        for (int s = 0; s < 64; s++) {
            acc[at + s] += x[from + s];
        }
    }
}
