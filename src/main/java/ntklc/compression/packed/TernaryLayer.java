package ntklc.compression.packed;

import ntklc.activation.PiecewiseConstant;
import ntklc.compression.ExactSums;
import ntklc.tensor.MatMul;
import ntklc.tensor.Parallel;

/**
 * A hidden layer ℓ ≥ 2 of the packed engine: the planes of σ_{ℓ−1} in (sample-sliced), the planes
 * of σ_ℓ out ({@code docs/theory.md §6.2}). With the input held as one-hot planes
 * ({@link LevelPlanes}: base code 0, plane codes 1 … Q), each code c emitting the value
 * {@code v_c ≈ (L_c − m0)/√d_{ℓ−1}} on the grid of {@link ExactSums#gridValues}, weights
 * {@code a·T} and {@code R_j = Σ_i T_ji},
 * <pre>
 *   u_j = a · ( Σ_q (v_q − v_0)·C_jq + v_0·R_j ),   C_jq = count(T⁺_j ∧ P_q) − count(T⁻_j ∧ P_q),
 * </pre>
 * computed one of four ways ({@link Path}), chosen per layer by {@link #choose}. All four are
 * exact: the inner sum is a multiple of the grid's spacing below 2^24 times it, so every way of
 * forming it (integer counts, double, float additions, the float GEMM) gives the same number, which is the one the
 * dense engine's GEMM forms, and {@code a·Σ} is exact in double.
 */
public final class TernaryLayer {
    /** How the pre-activations are formed. */
    public enum Path {
        /**
         * One input plane (σ_T before): the exact count {@code C_j} of {@link BitSlicedKernel} (or
         * {@link PopcountKernel} for the SIGNS form) against the integer thresholds of
         * {@link UnitThresholds}. Exact.
         */
        THRESHOLDS,
        /**
         * Several input planes: the exact integer counts {@code C_jq} of every plane (one binary
         * layer each), combined in double as in the class formula (exactly: each term is a grid
         * multiple with at most 40 significant bits) and compared with the thresholds of σ_ℓ.
         * Costs {@code planes} binary layers.
         */
        COUNTS,
        /**
         * Several input planes: the value v_c of every input unit decoded to a float, and the
         * ternary rows applied to those floats by additions vectorised across samples
         * ({@link FirstLayerKernel}, the first layer's path); exact on the grid, in any order.
         * Costs one pass whatever the number of levels.
         */
        ADDITIONS,
        /**
         * Several input planes: the input decoded to floats as for ADDITIONS, and the sums
         * {@code Σ_i T_ji·v_i} formed by the float GEMM ({@link MatMul}) with the ternary weights
         * decoded block by block into its packed panels ({@link TernaryPanels}); each product is
         * ±v_i or 0 and every partial sum lies on the grid, so the sums are the exact ones of the
         * other paths. Costs one GEMM whatever the number of levels.
         */
        GEMM
    }

    /**
     * Most input planes for which {@link Path#COUNTS} is chosen on the PLANES form; beyond,
     * {@link Path#GEMM}. Measured ({@code bench --op=ternary --levels=K --shape=512,5000,5000
     * --epsilon=0.5 --repeats=3}, same process alternating, median of 3, report paused, 2-core AMD
     * EPYC; docs/bench/README.md): K = 4 COUNTS 0.25 s, GEMM 0.32 s; K = 16 COUNTS 1.24 s, ADDITIONS
     * 0.52 s, GEMM 0.36 s: a plane of counts costs about 0.08 s, the GEMM about 0.34 s whatever K.
     */
    static final int MAX_COUNTED_PLANES = 3;
    /**
     * The same for the SIGNS form (ε = 0), where a plane is counted by {@link PopcountKernel} or the
     * bit-sliced kernel: K = 4 COUNTS 0.19 s, GEMM 0.27 s; K = 16 COUNTS 0.81 s, ADDITIONS 0.46 s, GEMM
     * 0.29 s (same command at {@code --epsilon=0}): about 0.06 s a plane against 0.28 s, so COUNTS up
     * to 4 planes (K = 5).
     */
    static final int MAX_COUNTED_SIGN_PLANES = 4;

    private final TernaryMatrix weights;
    private final LevelPlanes planes;
    private final LevelPlanes inputPlanes;
    private final Path path;
    /** THRESHOLDS only. */
    private final UnitThresholds thresholds;
    /** v_c, the input's value per level code on its grid (as the dense engine holds it). */
    private final float[] inputValue;

    /**
     * @param weights        T_ℓ and a_ℓ ({@code d_ℓ×d_{ℓ−1}})
     * @param inputPlanes    the planes of σ_{ℓ−1}
     * @param inputCentring  m0_{ℓ−1}
     * @param sigma          σ_ℓ
     */
    public TernaryLayer(TernaryMatrix weights, LevelPlanes inputPlanes, double inputCentring, PiecewiseConstant sigma) {
        this(weights, inputPlanes, inputCentring, sigma, choose(weights, inputPlanes));
    }

    /** As above on a given path (for tests and {@code bench}); THRESHOLDS needs one input plane. */
    public TernaryLayer(TernaryMatrix weights, LevelPlanes inputPlanes, double inputCentring, PiecewiseConstant sigma,
                        Path path) {
        this.weights = weights;
        this.planes = LevelPlanes.of(sigma);
        this.inputPlanes = inputPlanes;
        this.path = path;
        double[] codeLevels = new double[inputPlanes.planes() + 1];
        for (int c = 0; c < codeLevels.length; c++) {
            codeLevels[c] = inputPlanes.levelOfCode(c);
        }
        this.inputValue = ExactSums.gridValues(codeLevels, inputCentring, weights.cols());
        this.thresholds = path == Path.THRESHOLDS ? UnitThresholds.of(weights, inputValue, sigma.thresholds()) : null;
    }

    /**
     * The path for these weights and an input of these planes: THRESHOLDS for one plane; on the
     * INDICES form (sparse rows) ADDITIONS, which skip the zeros (K = 4: 0.10 s against COUNTS 0.16 s
     * and GEMM 0.30 s; K = 16: 0.15 s against 0.75 and 0.29 s; {@code --epsilon=0.9}, as above); on
     * the SIGNS and PLANES forms COUNTS up to {@link #MAX_COUNTED_SIGN_PLANES} or
     * {@link #MAX_COUNTED_PLANES} planes, GEMM beyond.
     */
    public static Path choose(TernaryMatrix weights, LevelPlanes inputPlanes) {
        int q = inputPlanes.planes();
        if (q == 1) {
            return Path.THRESHOLDS;
        }
        return switch (weights.form()) {
            case SIGNS -> q <= MAX_COUNTED_SIGN_PLANES ? Path.COUNTS : Path.GEMM;
            case PLANES -> q <= MAX_COUNTED_PLANES ? Path.COUNTS : Path.GEMM;
            case INDICES -> Path.ADDITIONS;
        };
    }

    /** The path this layer runs. */
    public Path path() {
        return path;
    }

    public TernaryMatrix weights() {
        return weights;
    }

    /**
     * Bytes of this layer's own constants beyond the weights (whose row sums R_j
     * {@link TernaryMatrix#residentBytes} counts): the per-unit integer thresholds k_ji (THRESHOLDS,
     * 4 bytes each), nothing (COUNTS: R_j and the level table of {@link PackedNetwork#residentBytes}),
     * the decoded input floats per level code (ADDITIONS, 4 bytes each).
     */
    public long thresholdBytes() {
        return switch (path) {
            case THRESHOLDS -> 4L * thresholds.k.length;
            case COUNTS -> 0;
            case ADDITIONS, GEMM -> 4L * inputValue.length;
        };
    }

    /**
     * The planes of σ_ℓ for {@code b} samples.
     *
     * @param in   sample-sliced input planes, {@code in[q][i·nBlk + β]} (Not modified)
     * @param nBlk blocks of 64 samples
     * @param b    samples (lanes of later samples come out 0)
     * @return {@code out[q][j·nBlk + β]}
     */
    public long[][] apply(long[][] in, int nBlk, int b) {
        if (in.length != inputPlanes.planes()) {
            throw new IllegalArgumentException("layer expects " + inputPlanes.planes() + " input planes, got " + in.length);
        }
        return switch (path) {
            case THRESHOLDS -> applyThresholds(in[0], nBlk, b);
            case COUNTS -> applyCounts(in, nBlk, b);
            case ADDITIONS -> FirstLayerKernel.apply(weights, planes, decode(in, nBlk, b), weights.cols(), 0, b, false,
                    nBlk);
            case GEMM -> applyGemm(in, nBlk, b);
        };
    }

    /**
     * {@link Path#GEMM}: {@code S = X·Tᵀ} ({@code b×d_ℓ}, exact on the grid) by the float GEMM, then
     * the piece of σ_ℓ decided on {@code u = a·S} in double, as {@link Path#COUNTS} does ({@code a·S}
     * is exact in double, so this is the piece the ADDITIONS path finds by comparing S with the
     * float thresholds of {@link FirstLayerKernel#floatThresholds}).
     */
    private long[][] applyGemm(long[][] in, int nBlk, int b) {
        int dIn = weights.cols();
        int dOut = weights.rows();
        float[] x = decode(in, nBlk, b);
        float[] sums = new float[Math.multiplyExact(b, dOut)];
        MatMul.gemm(false, b, dOut, dIn, x, 0, new TernaryPanels(weights), sums, 0, false, true);
        double a = weights.level();
        int[] planeOf = planes.planeOfPiece();
        long[][] out = new long[planes.planes()][dOut * nBlk];
        Parallel.forRange(dOut, 16, (from, to) -> {
            for (int j = from; j < to; j++) {
                for (int s = 0; s < b; s++) {
                    int q = planeOf[planes.piece(a * sums[s * dOut + j])];
                    if (q >= 0) {
                        out[q][j * nBlk + (s >>> 6)] |= 1L << s;
                    }
                }
            }
        });
        return out;
    }

    /** The {@link Path#THRESHOLDS} path on the one input plane. */
    private long[][] applyThresholds(long[] in, int nBlk, int b) {
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

    /**
     * {@link Path#COUNTS}: the exact counts of every input plane, combined in double as in the
     * class formula, {@code u_j = (a/√d)·(Σ_q (L_q − c_b)·C_jq + (c_b − m0)·R_j)}, the piece of
     * σ_ℓ decided on u_j.
     */
    private long[][] applyCounts(long[][] in, int nBlk, int b) {
        int dIn = weights.cols();
        int dOut = weights.rows();
        double[] acc = new double[b * dOut];
        double base = inputValue[0];
        for (int q = 0; q < in.length; q++) {
            double step = (double) inputValue[q + 1] - base;
            int[] c = weights.signsOnly() && !BitSlicedKernel.wide()
                    ? PopcountKernel.counts(Bits.sampleRows(in[q], dIn, nBlk, b), b, weights.plusPlane(), null, dOut,
                    weights.words())
                    : counts(weights, in[q], nBlk, b);
            Parallel.forRange(acc.length, 1 << 14, (from, to) -> {
                for (int k = from; k < to; k++) {
                    acc[k] += step * c[k];
                }
            });
        }
        double a = weights.level();
        int[] planeOf = planes.planeOfPiece();
        long[][] out = new long[planes.planes()][dOut * nBlk];
        Parallel.forRange(dOut, 16, (from, to) -> {
            for (int j = from; j < to; j++) {
                double off = base * weights.rowSum(j);
                for (int s = 0; s < b; s++) {
                    int q = planeOf[planes.piece(a * (acc[s * dOut + j] + off))];
                    if (q >= 0) {
                        out[q][j * nBlk + (s >>> 6)] |= 1L << s;
                    }
                }
            }
        });
        return out;
    }

    /**
     * The input of {@link Path#ADDITIONS}: {@code b×d_{ℓ−1}} row-major, the float value of each
     * unit's level, {@code (float) ((L − m0)/√d_{ℓ−1})} as the dense engine computes it.
     */
    private float[] decode(long[][] in, int nBlk, int b) {
        int dIn = weights.cols();
        float[] x = new float[b * dIn];
        java.util.Arrays.fill(x, inputValue[0]);
        Parallel.forRange(dIn, 64, (from, to) -> {
            for (int i = from; i < to; i++) {
                for (int q = 0; q < in.length; q++) {
                    float v = inputValue[q + 1];
                    for (int blk = 0; blk < nBlk; blk++) {
                        long w = in[q][i * nBlk + blk] & Bits.laneMask(blk, b);
                        while (w != 0) {
                            int s = 64 * blk + Long.numberOfTrailingZeros(w);
                            x[s * dIn + i] = v;
                            w &= w - 1;
                        }
                    }
                }
            }
        });
        return x;
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
