package ntklc.compression.packed;

import ntklc.activation.PiecewiseConstant;

/**
 * A hidden layer ℓ ≥ 2 of the packed engine: binary inputs (one plane, sample-sliced) in, the
 * planes of σ_ℓ out, through the exact counts {@code C_j} of {@link BitSlicedKernel} and the
 * integer thresholds of {@link UnitThresholds} (package comment; {@code docs/theory.md §6.2}).
 */
public final class TernaryLayer {
    private final TernaryMatrix weights;
    private final LevelPlanes planes;
    private final UnitThresholds thresholds;

    /**
     * @param weights        T_ℓ and a_ℓ ({@code d_ℓ×d_{ℓ−1}})
     * @param inputPlanes    the planes of σ_{ℓ−1} (one plane)
     * @param inputCentring  m0_{ℓ−1}
     * @param sigma          σ_ℓ
     */
    public TernaryLayer(TernaryMatrix weights, LevelPlanes inputPlanes, double inputCentring, PiecewiseConstant sigma) {
        this.weights = weights;
        this.planes = LevelPlanes.of(sigma);
        this.thresholds = UnitThresholds.of(weights, inputPlanes, inputCentring, sigma.thresholds());
    }

    public TernaryMatrix weights() {
        return weights;
    }

    /** Bytes of the per-unit integer thresholds. */
    public long thresholdBytes() {
        return 4L * thresholds.k.length;
    }

    /**
     * The planes of σ_ℓ for {@code b} samples.
     *
     * @param in   sample-sliced input bits, {@code d_{ℓ−1}·nBlk} words (Not modified)
     * @param nBlk blocks of 64 samples
     * @param b    samples (lanes of later samples come out 0)
     * @return {@code out[q][j·nBlk + β]}
     */
    public long[][] apply(long[] in, int nBlk, int b) {
        int levels = BitSlicedKernel.levels(weights.cols());
        int count = thresholds.count;
        int pieces = count + 1;
        long flip = thresholds.flip ? -1L : 0L;
        int[] k = thresholds.k;
        int[] planeOf = planes.planeOfPiece();
        long[][] out = new long[planes.planes()][weights.rows() * nBlk];
        if (weights.signsOnly() && !BitSlicedKernel.wide()) {
            applyByPopcount(in, nBlk, b, out);
            return out;
        }
        BitSlicedKernel.run(weights, in, nBlk, (j, blk, d) -> {
            long mask = Bits.laneMask(blk, b);
            long above = -1L; // [u ≥ t_p] for the current piece p (t_0 = −∞)
            for (int p = 0; p < pieces; p++) {
                long next = p + 1 < pieces ? BitSlicedKernel.atLeast(d, levels, k[j * count + p]) ^ flip : 0L;
                if (planeOf[p] >= 0) {
                    out[planeOf[p]][j * nBlk + blk] |= above & ~next & mask;
                }
                above = next;
            }
        });
        return out;
    }

    /**
     * The SIGNS form (ε = 0) through {@link PopcountKernel} where the bit-sliced kernel cannot run
     * four blocks per vector (no Vector API; popcount is then the faster, {@link BitSlicedKernel}):
     * the input turned into sample rows, the counts compared with the same integer thresholds.
     */
    private void applyByPopcount(long[] in, int nBlk, int b, long[][] out) {
        int dIn = weights.cols();
        int words = weights.words();
        long[] rows = Bits.sampleRows(in, dIn, nBlk, b);
        int dOut = weights.rows();
        int[] c = PopcountKernel.counts(rows, b, weights.plusPlane(), null, dOut, words);
        int count = thresholds.count;
        boolean flip = thresholds.flip;
        int[] k = thresholds.k;
        int[] planeOf = planes.planeOfPiece();
        ntklc.tensor.Parallel.forRange(dOut, 16, (from, to) -> {
            for (int j = from; j < to; j++) {
                for (int s = 0; s < b; s++) {
                    int cs = c[s * dOut + j];
                    int piece = 0;
                    while (piece < count && (cs >= k[j * count + piece]) != flip) {
                        piece++;
                    }
                    if (planeOf[piece] >= 0) {
                        out[planeOf[piece]][j * nBlk + (s >>> 6)] |= 1L << s;
                    }
                }
            }
        });
    }

    /** The exact counts {@code C = b·Tᵀ} ({@code b×d_ℓ} row-major) by the bit-sliced kernel: for tests and {@code bench}. */
    public static int[] counts(TernaryMatrix t, long[] in, int nBlk, int b) {
        int levels = BitSlicedKernel.levels(t.cols());
        int rows = t.rows();
        int[] c = new int[b * rows];
        BitSlicedKernel.run(t, in, nBlk, (j, blk, d) -> {
            for (int s = 0; s < 64 && 64 * blk + s < b; s++) {
                int v = 0;
                for (int lv = 0; lv < levels; lv++) {
                    v |= (int) (d[lv] >>> s & 1) << lv;
                }
                v = v << (32 - levels) >> (32 - levels); // sign-extend from `levels` bits
                c[(64 * blk + s) * rows + j] = v;
            }
        });
        return c;
    }
}
