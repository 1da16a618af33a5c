package ntklc.compression.packed;

import java.util.SplittableRandom;

import ntklc.nn.Initializer;
import ntklc.tensor.Tensor;

/**
 * A sparse ternary weight matrix {@code W = a·T}, {@code T ∈ {−1, 0, +1}^{rows×cols}} (paper
 * Eq. (16), {@code docs/theory.md §6.1}; {@code rows = d_ℓ}, {@code cols = d_{ℓ−1}}, the paper's
 * orientation), with {@code a} the float level {@code 1/√(1−ε)} of {@link Initializer.SparseTernary}.
 *
 * <p>Three storage forms; {@link #pack} picks the smallest for each matrix ({@link #form()}):
 * <pre>
 *   SIGNS    T has no zero (ε = 0): one plane, bit (j, i) = [T_ji = +1]         8·rows·w bytes
 *   PLANES   two planes T⁺ = [T = +1], T⁻ = [T = −1]                              16·rows·w bytes
 *   INDICES  per row, the column indices of the +1 entries then of the −1 entries  2·nnz + 8·rows bytes
 *            as 16-bit numbers (cols ≤ 65 536)
 * </pre>
 * with {@code w = ⌈cols/64⌉} words per row. Plane layout: bit {@code i mod 64} of word
 * {@code j·w + ⌊i/64⌋} is entry (j, i); the padding bits of a row's last word are 0. For i.i.d. draws
 * the INDICES form is the smaller above ε ≈ 7/8 (2·(1−ε) bytes against 0.25 per weight); both sparse
 * kernels also skip the zeros there, so smaller is faster too.
 *
 * <p>Per row it keeps {@code R_j = Σ_i T_ji} (the row sum, which multiplies the centring term of
 * the next pre-activation, see the package comment).
 */
public final class TernaryMatrix {
    /** Storage form, see the class comment. */
    public enum Form {
        SIGNS, PLANES, INDICES;

        /** Lower-case name for CSV columns. */
        public String spelling() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Rows sampled per call of the law's {@code fill} while packing (a multiple of its block size). */
    static final int SAMPLE_ROWS = 16 * Initializer.BLOCK_ROWS;

    private final int rows;
    private final int cols;
    private final float level;
    private final Form form;
    private final int words;
    private final long nonZero;
    private final int[] rowSum;
    /** SIGNS, PLANES: {@code rows·words}; null for INDICES. */
    private final long[] plus;
    /** PLANES: {@code rows·words}; null otherwise. */
    private final long[] minus;
    /** INDICES: row j's +1 columns are {@code index[start[j] .. plusEnd[j])}, its −1 columns {@code [plusEnd[j], start[j+1])}. */
    private final char[] index;
    private final int[] start;
    private final int[] plusEnd;

    private TernaryMatrix(int rows, int cols, float level, Form form, long nonZero, int[] rowSum, long[] plus,
                          long[] minus, char[] index, int[] start, int[] plusEnd) {
        this.rows = rows;
        this.cols = cols;
        this.level = level;
        this.form = form;
        this.words = wordsPerRow(cols);
        this.nonZero = nonZero;
        this.rowSum = rowSum;
        this.plus = plus;
        this.minus = minus;
        this.index = index;
        this.start = start;
        this.plusEnd = plusEnd;
    }

    /** {@code ⌈cols/64⌉}. */
    public static int wordsPerRow(int cols) {
        return (cols + 63) >>> 6;
    }

    /**
     * Draws {@code W} ({@code rows×cols}) from {@code law} exactly as {@code law.sample(rows, cols, rng)}
     * does, {@link #SAMPLE_ROWS} rows at a time (the law seeds each block of
     * {@link Initializer#BLOCK_ROWS} rows from its own split of {@code rng}, in order, so the draw is
     * the same), and packs it without ever holding the whole float matrix. The exact-count variant
     * shuffles the whole matrix and is drawn in one piece.
     *
     * @param rng Modified
     */
    public static TernaryMatrix sample(Initializer.SparseTernary law, int rows, int cols, SplittableRandom rng) {
        float level = (float) law.level();
        Builder b = new Builder(rows, cols, level);
        if (law.exactCount()) {
            b.addRows(0, law.sample(rows, cols, rng).data());
        } else {
            for (int r0 = 0; r0 < rows; r0 += SAMPLE_ROWS) {
                int r = Math.min(SAMPLE_ROWS, rows - r0);
                b.addRows(r0, law.sample(r, cols, rng).data());
            }
        }
        return b.pack();
    }

    /**
     * Packs a dense {@code rows×cols} row-major matrix whose entries are 0 and ±{@code level}.
     *
     * @throws IllegalArgumentException on any other entry
     */
    public static TernaryMatrix fromDense(float[] w, int rows, int cols, float level) {
        Builder b = new Builder(rows, cols, level);
        b.addRows(0, w);
        return b.pack();
    }

    /** Collects the two planes row block by row block, then chooses the form. */
    static final class Builder {
        final int rows;
        final int cols;
        final float level;
        final int words;
        final long[] plus;
        final long[] minus;
        final int[] rowSum;
        final int[] rowNonZero;

        Builder(int rows, int cols, float level) {
            if (rows < 1 || cols < 1) {
                throw new IllegalArgumentException("ternary matrix needs positive shape, got " + rows + "×" + cols);
            }
            this.rows = rows;
            this.cols = cols;
            this.level = level;
            this.words = wordsPerRow(cols);
            this.plus = new long[Math.multiplyExact(rows, words)];
            this.minus = new long[rows * words];
            this.rowSum = new int[rows];
            this.rowNonZero = new int[rows];
        }

        void addRows(int r0, float[] w) {
            int n = w.length / cols;
            ntklc.tensor.Parallel.forRange(n, 16, (from, to) -> {
                for (int r = from; r < to; r++) {
                    int j = r0 + r;
                    int sum = 0;
                    int nz = 0;
                    for (int i = 0; i < cols; i++) {
                        float v = w[r * cols + i];
                        if (v == level) {
                            plus[j * words + (i >>> 6)] |= 1L << i;
                            sum++;
                            nz++;
                        } else if (v == -level) {
                            minus[j * words + (i >>> 6)] |= 1L << i;
                            sum--;
                            nz++;
                        } else if (v != 0) {
                            throw new IllegalArgumentException("entry (" + j + ", " + i + ") = " + v + " is not 0 or ±" + level);
                        }
                    }
                    rowSum[j] = sum;
                    rowNonZero[j] = nz;
                }
            });
        }

        /** Sets entry (j, i) to {@code sign} ∈ {−1, +1} (once per entry; one thread). */
        void set(int j, int i, int sign) {
            long bit = 1L << i;
            int w = j * words + (i >>> 6);
            if (sign > 0) {
                plus[w] |= bit;
            } else {
                minus[w] |= bit;
            }
            rowSum[j] += sign;
            rowNonZero[j]++;
        }

        TernaryMatrix pack() {
            long nnz = 0;
            for (int nz : rowNonZero) {
                nnz += nz;
            }
            long planeBytes = 8L * rows * words;
            long indexBytes = cols <= 65536 && nnz < Integer.MAX_VALUE - 8 ? 2 * nnz + 8L * rows : Long.MAX_VALUE;
            if (nnz == (long) rows * cols && planeBytes <= indexBytes) {
                return new TernaryMatrix(rows, cols, level, Form.SIGNS, nnz, rowSum, plus, null, null, null, null);
            }
            if (2 * planeBytes <= indexBytes) {
                return new TernaryMatrix(rows, cols, level, Form.PLANES, nnz, rowSum, plus, minus, null, null, null);
            }
            int[] start = new int[rows + 1];
            int[] plusEnd = new int[rows];
            for (int j = 0; j < rows; j++) {
                start[j + 1] = start[j] + rowNonZero[j];
            }
            char[] index = new char[(int) nnz];
            ntklc.tensor.Parallel.forRange(rows, 16, (from, to) -> {
                for (int j = from; j < to; j++) {
                    int k = decode(plus, j * words, words, index, start[j]);
                    plusEnd[j] = k;
                    decode(minus, j * words, words, index, k);
                }
            });
            return new TernaryMatrix(rows, cols, level, Form.INDICES, nnz, rowSum, null, null, index, start, plusEnd);
        }
    }

    /**
     * Writes {@code T_ji} (as −1, 0 or +1) for the columns {@code i ∈ [from, to)} of row j into
     * {@code out[at + (i − from)·stride]}; entries that are 0 are left as they are (the caller
     * zeroes {@code out}). The GEMM path's decoding of the weights ({@link TernaryPanels}).
     * {@code out} is Modified.
     */
    void decodeRow(int j, int from, int to, float[] out, int at, int stride) {
        switch (form) {
            case SIGNS -> {
                // every entry is ±1: −1 everywhere, then +1 at the set bits of T⁺
                for (int i = from; i < to; i++) {
                    out[at + (i - from) * stride] = -1f;
                }
                setBits(plus, j * words, from, to, 1f, out, at, stride);
            }
            case PLANES -> {
                setBits(plus, j * words, from, to, 1f, out, at, stride);
                setBits(minus, j * words, from, to, -1f, out, at, stride);
            }
            case INDICES -> {
                setIndices(start[j], plusEnd[j], from, to, 1f, out, at, stride);
                setIndices(plusEnd[j], start[j + 1], from, to, -1f, out, at, stride);
            }
        }
    }

    /** {@code out[at + (i − from)·stride] = value} for the set bits i ∈ [from, to) of the row at {@code bits[row …]}. */
    private static void setBits(long[] bits, int row, int from, int to, float value, float[] out, int at, int stride) {
        for (int w = from >>> 6; w << 6 < to; w++) {
            long x = bits[row + w];
            while (x != 0) {
                int i = (w << 6) + Long.numberOfTrailingZeros(x);
                x &= x - 1;
                if (i >= from && i < to) {
                    out[at + (i - from) * stride] = value;
                }
            }
        }
    }

    /** The same for the ascending columns {@code index[lo … hi)}: those in [from, to) get {@code value}. */
    private void setIndices(int lo, int hi, int from, int to, float value, float[] out, int at, int stride) {
        // first k in [lo, hi) with index[k] ≥ from (binary search)
        int a = lo;
        int b = hi;
        while (a < b) {
            int mid = (a + b) >>> 1;
            if (index[mid] < from) {
                a = mid + 1;
            } else {
                b = mid;
            }
        }
        for (int k = a; k < hi && index[k] < to; k++) {
            out[at + (index[k] - from) * stride] = value;
        }
    }

    /** Writes the set-bit positions of {@code bits[from .. from+words)} into {@code out} from {@code at}; returns the end. */
    private static int decode(long[] bits, int from, int words, char[] out, int at) {
        for (int w = 0; w < words; w++) {
            long x = bits[from + w];
            while (x != 0) {
                out[at++] = (char) ((w << 6) + Long.numberOfTrailingZeros(x));
                x &= x - 1;
            }
        }
        return at;
    }

    /** The columns of the set bits of {@code bits[from … from + words)}, ascending, into {@code out}; their number. */
    static int decode(long[] bits, int from, int words, int[] out) {
        int at = 0;
        for (int w = 0; w < words; w++) {
            long x = bits[from + w];
            while (x != 0) {
                out[at++] = (w << 6) + Long.numberOfTrailingZeros(x);
                x &= x - 1;
            }
        }
        return at;
    }

    /** d_ℓ. */
    public int rows() {
        return rows;
    }

    /** d_{ℓ−1}. */
    public int cols() {
        return cols;
    }

    /** a = 1/√(1−ε) as the dense network holds it (a float). */
    public float level() {
        return level;
    }

    public Form form() {
        return form;
    }

    /** ⌈cols/64⌉. */
    public int words() {
        return words;
    }

    /** Number of non-zero entries. */
    public long nonZero() {
        return nonZero;
    }

    /** R_j = Σ_i T_ji. */
    public int rowSum(int j) {
        return rowSum[j];
    }

    /** True for the SIGNS form: every entry is ±1, so {@code count(T⁻ ∧ b) = count(b) − count(T⁺ ∧ b)}. */
    public boolean signsOnly() {
        return form == Form.SIGNS;
    }

    /**
     * Writes the columns of row j's +1 entries, ascending, into {@code out} (length ≥ cols); returns
     * how many.
     */
    public int plusIndices(int j, int[] out) {
        if (form == Form.INDICES) {
            return copy(start[j], plusEnd[j], out);
        }
        return decode(plus, j * words, words, out);
    }

    /** Like {@link #plusIndices} for the −1 entries; not for the SIGNS form (use the complement). */
    public int minusIndices(int j, int[] out) {
        return switch (form) {
            case INDICES -> copy(plusEnd[j], start[j + 1], out);
            case PLANES -> decode(minus, j * words, words, out);
            case SIGNS -> throw new IllegalStateException("the SIGNS form stores no −1 plane");
        };
    }

    private int copy(int from, int to, int[] out) {
        for (int k = from; k < to; k++) {
            out[k - from] = index[k];
        }
        return to - from;
    }

    /** The plane T⁺ ({@code rows·words}; a copy for INDICES, the stored array otherwise: Not to be modified). */
    public long[] plusPlane() {
        return form == Form.INDICES ? plane(true) : plus;
    }

    /** The plane T⁻ ({@code rows·words}), built for SIGNS (the complement of T⁺ in each row) and INDICES. */
    public long[] minusPlane() {
        if (form == Form.PLANES) {
            return minus;
        }
        if (form == Form.INDICES) {
            return plane(false);
        }
        long[] m = new long[plus.length];
        long lastMask = (cols & 63) == 0 ? -1L : (1L << cols) - 1;
        for (int j = 0; j < rows; j++) {
            for (int w = 0; w < words; w++) {
                m[j * words + w] = ~plus[j * words + w] & (w == words - 1 ? lastMask : -1L);
            }
        }
        return m;
    }

    private long[] plane(boolean positive) {
        long[] p = new long[rows * words];
        for (int j = 0; j < rows; j++) {
            int from = positive ? start[j] : plusEnd[j];
            int to = positive ? plusEnd[j] : start[j + 1];
            for (int k = from; k < to; k++) {
                p[j * words + (index[k] >>> 6)] |= 1L << index[k];
            }
        }
        return p;
    }

    /** T_ji ∈ {−1, 0, 1}. */
    public int entry(int j, int i) {
        long bit = 1L << i;
        int w = j * words + (i >>> 6);
        return switch (form) {
            case SIGNS -> (plus[w] & bit) != 0 ? 1 : -1;
            case PLANES -> (plus[w] & bit) != 0 ? 1 : (minus[w] & bit) != 0 ? -1 : 0;
            case INDICES -> {
                for (int k = start[j]; k < start[j + 1]; k++) {
                    if (index[k] == i) {
                        yield k < plusEnd[j] ? 1 : -1;
                    }
                }
                yield 0;
            }
        };
    }

    /** {@code Wᵀ = a·Tᵀ} as a dense float {@code cols×rows} tensor (the dense network's layout; for tests and the dense engine). */
    public Tensor denseTransposed() {
        Tensor t = Tensor.zeros(cols, rows);
        float[] d = t.data();
        int[] scratch = new int[cols];
        for (int j = 0; j < rows; j++) {
            int m = plusIndices(j, scratch);
            for (int k = 0; k < m; k++) {
                d[scratch[k] * rows + j] = level;
            }
            if (form == Form.SIGNS) {
                for (int i = 0; i < cols; i++) {
                    if (d[i * rows + j] == 0) {
                        d[i * rows + j] = -level;
                    }
                }
            } else {
                m = minusIndices(j, scratch);
                for (int k = 0; k < m; k++) {
                    d[scratch[k] * rows + j] = -level;
                }
            }
        }
        return t;
    }

    /** Bytes the weights occupy in memory: the planes or the indices with their row offsets, and the row sums. */
    public long residentBytes() {
        long b = 4L * rows;
        if (plus != null) {
            b += 8L * plus.length;
        }
        if (minus != null) {
            b += 8L * minus.length;
        }
        if (index != null) {
            b += 2L * index.length + 4L * start.length + 4L * plusEnd.length;
        }
        return b;
    }
}
