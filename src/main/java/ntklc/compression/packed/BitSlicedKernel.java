package ntklc.compression.packed;

import ntklc.tensor.Parallel;

/**
 * The CPU kernel of the hidden layers: the integer counts {@code C_j = Σ_i T_ji b_i} of a ternary
 * matrix against binary inputs, for 64 samples per machine word at once ({@code docs/theory.md §6.2};
 * the counting of the package comment).
 *
 * <p>Layout ("sample-sliced"): input unit i of block {@code β} of 64 samples is the word
 * {@code in[i·nBlk + β]}, whose bit s is {@code b_i} of sample {@code 64β + s}. Row j adds the words
 * of its +1 columns (and of its −1 columns) into vertical counters: counter level ℓ is a word whose
 * bit s is bit ℓ of sample s's count. Words are added 16 at a time through a Harley–Seal tree of
 * carry-save adders ({@code CSA(a, b, c) = (a∧b ∨ (a⊕b)∧c, a⊕b⊕c)}: 15 CSAs per 16 words leave the
 * ones, twos, fours and eights in place and pass one "sixteens" word to a ripple counter; Muła,
 * Kurz &amp; Lemire, "Faster population counts using AVX2 instructions", Comput. J. 61 (2018),
 * §3), so a non-zero weight costs about 7 word operations for 64 samples, and zeros cost nothing.
 * The counts become the two's complement number {@code D = P − M} (for the SIGNS form
 * {@code D = 2P − S} with {@code S = Σ_i b_i}) in {@link #levels} words, handed to a {@link Sink}.
 *
 * <p>Where the Vector API is present the same tree runs on 256-bit vectors, four blocks (256 samples)
 * per operation ({@link SlicedCounts}, {@code VectorSlicedCounts}), on the input repacked so that
 * the four words of one input are adjacent, each row's columns listed by
 * {@link SlicedCounts#indices}. Measured against {@link PopcountKernel} ({@code Long.bitCount} per
 * 64 weights of one sample, the other kernel the design allowed), {@code bench --op=ternary
 * --shape=1024,20000,20000 --epsilon=0 --repeats=3 --device=cpu}, 2 threads, under the benchmark
 * lock (AMD EPYC, Zen 3; docs/bench/README.md), two runs: the whole layer (counts, thresholds,
 * output bits) 0.88 and 1.04 s, the popcount counts alone 2.47 and 2.72 s, the dense float GEMM
 * 6.80 and 8.76 s (7.8× and 8.4×); against the later multi-core SGEMM, 0.90 s against 6.45 s
 * (7.2×). Earlier, with a step of four words per vector (one thread, thread CPU seconds,
 * load ≈ 9): 512 samples, 5000×5000, ε = 0 (SIGNS) 0.065 s against 0.131 s, ε = 0.9 (INDICES)
 * 0.017 s against 0.234 s. With 64-bit
 * words only (no Vector API) popcount was the faster for SIGNS (0.69 s against 1.37 s,
 * {@code bench --op=ternary --shape=512,5000,5000}, load ≈ 20). So the engine counts every form by
 * this kernel when it runs wide, and the SIGNS form by {@link PopcountKernel} otherwise
 * ({@link TernaryLayer#apply}).
 */
public final class BitSlicedKernel {
    /** The counting of four blocks at once where the Vector API is present ({@link SlicedCounts}). */
    private static final SlicedCounts WIDE = SlicedCounts.best();

    private BitSlicedKernel() {
    }

    /** Whether the counts run four blocks per 256-bit vector (the Vector API is present). */
    static boolean wide() {
        return WIDE.blocks() > 1;
    }

    /** Receives the counts of row j, block β: {@code d[ℓ]} is level ℓ of D (two's complement, {@code levels} words). */
    @FunctionalInterface
    public interface Sink {
        void accept(int j, int block, long[] d);
    }

    /**
     * Words per two's complement count for {@code cols} inputs: D and D − k for
     * {@code |D| ≤ cols}, {@code |k| ≤ cols + 1} fit in {@code bitLength(cols) + 2} bits.
     */
    public static int levels(int cols) {
        return 32 - Integer.numberOfLeadingZeros(cols) + 2;
    }

    /**
     * Counts every row of {@code t} against the input bits and hands each (row, block) to
     * {@code sink}, rows split over the cores ({@link Parallel}); the sink is called concurrently
     * for different rows.
     *
     * @param t    {@code d_out×d_in} (Not modified)
     * @param in   {@code d_in·nBlk} words, sample-sliced (Not modified); bits of absent samples 0
     * @param nBlk blocks of 64 samples
     */
    public static void run(TernaryMatrix t, long[] in, int nBlk, Sink sink) {
        int cols = t.cols();
        if (in.length != cols * nBlk) {
            throw new IllegalArgumentException("input has " + in.length + " words, expected " + cols + "·" + nBlk);
        }
        int levels = levels(cols);
        long[] total = null;
        if (t.signsOnly()) {
            // S = Σ_i b_i per sample, shared by every row
            total = new long[levels * nBlk];
            int[] all = new int[cols];
            for (int i = 0; i < cols; i++) {
                all[i] = i;
            }
            long[] c = new long[levels];
            for (int b = 0; b < nBlk; b++) {
                count(in, nBlk, b, all, cols, c, levels);
                for (int l = 0; l < levels; l++) {
                    total[l * nBlk + b] = c[l];
                }
            }
        }
        long[] s = total;
        int wide = WIDE.blocks();
        // The wide counts read `wide` consecutive blocks of each input; repacked group-major
        // (group g of `wide` blocks, input i at wideIn[(g·cols + i)·wide]) one group's words are
        // contiguous and every cache line read is used whole.
        int groups = wide > 1 ? nBlk / wide : 0;
        long[] wideIn = new long[groups * cols * wide];
        Parallel.forRange(groups, 1, (fromGroup, toGroup) -> {
            for (int g = fromGroup; g < toGroup; g++) {
                for (int i = 0; i < cols; i++) {
                    System.arraycopy(in, i * nBlk + g * wide, wideIn, (g * cols + i) * wide, wide);
                }
            }
        });
        boolean planes = t.form() != TernaryMatrix.Form.INDICES;
        long[] plusPlane = planes ? t.plusPlane() : null;
        long[] minusPlane = planes && s == null ? t.minusPlane() : null;
        int words = t.words();
        Parallel.forRange(t.rows(), 4, (from, to) -> {
            int[] plus = new int[SlicedCounts.indexRoom(words)];
            int[] minus = new int[SlicedCounts.indexRoom(words)];
            long[] p = new long[levels * wide];
            long[] m = new long[levels * wide];
            long[] pk = new long[levels];
            long[] mk = new long[levels];
            long[] d = new long[levels];
            for (int j = from; j < to; j++) {
                int np = planes ? WIDE.indices(plusPlane, j * words, words, plus) : t.plusIndices(j, plus);
                int nm = s == null ? planes ? WIDE.indices(minusPlane, j * words, words, minus) : t.minusIndices(j, minus)
                        : 0;
                for (int b = 0; b < nBlk; ) {
                    boolean isWide = b / wide < groups;
                    SlicedCounts counts = isWide ? WIDE : SlicedCounts.SCALAR;
                    int w = counts.blocks();
                    long[] src = isWide ? wideIn : in;
                    int stride = isWide ? wide : nBlk;
                    int at = isWide ? b / wide * cols * wide : b;
                    counts.count(src, stride, at, plus, np, p, levels);
                    if (s == null) {
                        counts.count(src, stride, at, minus, nm, m, levels);
                    }
                    for (int k = 0; k < w; k++) {
                        for (int l = 0; l < levels; l++) {
                            pk[l] = p[l * w + k];
                            mk[l] = s == null ? m[l * w + k] : s[l * nBlk + b + k];
                        }
                        subtract(pk, mk, d, levels, s != null);
                        sink.accept(j, b + k, d);
                    }
                    b += w;
                }
            }
        });
    }

    /** {@code d = a − b} (or {@code 2a − b}) on {@code levels} bit-sliced words, modulo 2^levels. */
    private static void subtract(long[] a, long[] b, long[] d, int levels, boolean doubleA) {
        long carry = -1L; // a + ~b + 1
        for (int l = 0; l < levels; l++) {
            long x = doubleA ? (l == 0 ? 0 : a[l - 1]) : a[l];
            long y = ~b[l];
            long xy = x ^ y;
            d[l] = xy ^ carry;
            carry = (x & y) | (carry & xy);
        }
    }

    /**
     * {@code [D ≥ k]} for each of the 64 lanes of a two's complement D ({@code levels} words), k a
     * constant with {@code |D − k| < 2^(levels−1)}: the complement of the sign of {@code D + (−k)},
     * whose carries need 2 operations per level.
     */
    public static long atLeast(long[] d, int levels, int k) {
        long c = -(long) k;
        long carry = 0;
        for (int l = 0; l < levels - 1; l++) {
            carry = ((c >>> l) & 1) != 0 ? d[l] | carry : d[l] & carry;
        }
        long top = ((c >>> (levels - 1)) & 1) != 0 ? -1L : 0L;
        return ~(d[levels - 1] ^ top ^ carry);
    }

    /**
     * The bit-sliced count of the words {@code in[idx[q]·nBlk + block]}, {@code q < m}, into
     * {@code c[0..levels)}: Harley–Seal over groups of 16, a ripple add for the rest.
     */
    static void count(long[] in, int nBlk, int block, int[] idx, int m, long[] c, int levels) {
        long ones = 0;
        long twos = 0;
        long fours = 0;
        long eights = 0;
        for (int l = 4; l < levels; l++) {
            c[l] = 0;
        }
        int q = 0;
        long foursA = 0;
        long eightsA = 0;
        for (; q + 16 <= m; q += 16) {
            // four quads of words; each CSA(h, l, a, b, c) is: u = a ⊕ b, h = a∧b ∨ u∧c, l = u ⊕ c
            for (int quad = 0; quad < 4; quad++) {
                int at = q + 4 * quad;
                long d0 = in[idx[at] * nBlk + block];
                long d1 = in[idx[at + 1] * nBlk + block];
                long u = ones ^ d0;
                long twosA = (ones & d0) | (u & d1);
                ones = u ^ d1;
                d0 = in[idx[at + 2] * nBlk + block];
                d1 = in[idx[at + 3] * nBlk + block];
                u = ones ^ d0;
                long twosB = (ones & d0) | (u & d1);
                ones = u ^ d1;
                u = twos ^ twosA;
                long foursB = (twos & twosA) | (u & twosB);
                twos = u ^ twosB;
                if ((quad & 1) == 0) {
                    foursA = foursB;
                    continue;
                }
                u = fours ^ foursA;
                long eightsB = (fours & foursA) | (u & foursB);
                fours = u ^ foursB;
                if (quad == 1) {
                    eightsA = eightsB;
                    continue;
                }
                u = eights ^ eightsA;
                long sixteens = (eights & eightsA) | (u & eightsB);
                eights = u ^ eightsB;
                for (int l = 4; l < levels && sixteens != 0; l++) {
                    long t = c[l] & sixteens;
                    c[l] ^= sixteens;
                    sixteens = t;
                }
            }
        }
        c[0] = ones;
        if (levels > 1) {
            c[1] = twos;
        }
        if (levels > 2) {
            c[2] = fours;
        }
        if (levels > 3) {
            c[3] = eights;
        }
        for (; q < m; q++) {
            long x = in[idx[q] * nBlk + block];
            for (int l = 0; l < levels && x != 0; l++) {
                long t = c[l] & x;
                c[l] ^= x;
                x = t;
            }
        }
    }
}
