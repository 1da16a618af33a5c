package ntklc.backend.cpu;

import ntklc.tensor.MatMul;
import ntklc.tensor.Parallel;

/**
 * The 3×3 convolution of {@link Conv3x3} (stride 1, zero padding 1) by Winograd's minimal filtering
 * algorithm F(2×2, 3×3): Lavin &amp; Gray, "Fast Algorithms for Convolutional Neural Networks",
 * CVPR 2016, §4.1 (the matrices below are their Eq. (7)–(9)). The output is cut into 2×2 tiles;
 * tile {@code t} of image {@code n} at tile row {@code ty}, tile column {@code tx} is computed from
 * the 4×4 input patch {@code d} whose top-left pixel is {@code (2ty − 1, 2tx − 1)} (zero outside
 * the image) as
 * <pre>
 *   Y = Aᵀ [ U ⊙ V ] A,   U = G g Gᵀ (4×4, per filter g = w[k,c]),   V = Bᵀ d B (4×4, per patch and channel)
 *
 *        ⎡1  0 −1  0⎤        ⎡ 1    0    0 ⎤
 *   Bᵀ = ⎢0  1  1  0⎥,   G = ⎢1/2  1/2  1/2⎥,   Aᵀ = ⎡1 1  1  0⎤
 *        ⎢0 −1  1  0⎥        ⎢1/2 −1/2  1/2⎥        ⎣0 1 −1 −1⎦
 *        ⎣0  1  0 −1⎦        ⎣ 0    0    1 ⎦
 * </pre>
 * summed over the input channels: for each of the 16 positions {@code ξ} of the 4×4 transformed
 * tile, {@code M[ξ] = U[ξ] · V[ξ]}, a product {@code (K×C)·(C×T)} over the {@code T} tiles, so
 * that a convolution becomes 16 matrix products ({@link MatMul}) of {@code 16·K·C·T = 4·K·C·N·H·W}
 * multiply–adds instead of the {@code 9·K·C·N·H·W} of im2col: 2.25× fewer, for the price of the
 * transforms (additions only, and halvings, which are exact).
 *
 * <p>The weight gradient is the transpose of the same linear map: with
 * {@code dM = A dY Aᵀ} per output-gradient tile, {@code dU[ξ] = Σ_t dM[ξ]·V[ξ]ᵀ} (again 16 products,
 * over the tiles) and {@code dw[k,c] = Gᵀ dU[k,c] G}. The data gradient is the forward pass with
 * flipped weights ({@link Conv3x3#backwardData}).
 *
 * <p>Tiles are processed in chunks of {@link #chunk} (one chunk per task, tasks spread over the
 * cores), so that a chunk's transformed input and products stay in cache between the transform,
 * the 16 products and the inverse transform, instead of passing through memory four times the
 * size of the input.
 *
 * <p>Rounding: every transform coefficient is 0, ±1 or ±1/2, so each stage is a short sum, and a
 * computed output differs from the exact one by at most {@code γ_{C+11}} (Higham, "Accuracy and
 * Stability of Numerical Algorithms", 2nd ed., Lemma 3.1 and §3.1, applied stage by stage: 2 for V,
 * 4 for U, 1 for the product, C for the sum over channels, 4 for Y) times the same computation on
 * absolute values, {@code |Aᵀ| [ Σ_c (|G| |g| |Gᵀ|) ⊙ (|Bᵀ| |d| |B|) ] |A|}; that bound is at most
 * {@code 81/9 = 9} times the direct convolution's {@code Σ|w||x|} (the sums of the absolute
 * transform matrices: {@code |Aᵀ|} rows 3, {@code |G|} rows 1.5, {@code |Bᵀ|} rows 2), the usual
 * price of Winograd's algorithm in floating point.
 */
final class Winograd3x3 {
    private Winograd3x3() {
    }

    /**
     * Whether {@link Conv3x3} takes Winograd for this shape: maps larger than 2×2 (those are one
     * dense product, {@link Conv3x3#isDense}) with {@code C·K/(C + K) ≥} {@link #MIN_CHANNEL_RATIO}.
     * Why that ratio: per tile and channel pair the 16 products save {@code 36 − 16 = 20}
     * multiply–adds over im2col, {@code 20·C·K} per tile, while the transforms cost a roughly fixed
     * time per tile and input channel (V) and per tile and output channel (Y), so the saving wins
     * by {@code C·K/(C + K)}. Measured on the 2-core AMD EPYC (Zen 3), each pass at batch 64 in
     * one process alternating with im2col (medians of 9, two runs): 1.07–1.49× faster on VGG19's
     * shapes from 64→64 on 32×32 maps on (ratio ≥ 32; one pass of one run at 0.99), but 0.86–1.33×
     * (about even in sum) at 16 to 32 channels (ratios 8–21), where the transforms cost about as much
     * as the products they save. The first layer (3 input channels) stays on im2col.
     * {@code -Dntklc.winograd=false} turns
     * it off (im2col everywhere), to compare the two.
     */
    static boolean applies(int c, int h, int wd, int k) {
        return ENABLED && VECTOR && !Conv3x3.isDense(h, wd) && (double) c * k / (c + k) >= MIN_CHANNEL_RATIO
                && fitsInArrays(c, k);
    }

    /**
     * Whether the transformed weights ({@code 16×K×C}) and a chunk's transformed input and products
     * fit in Java arrays; im2col, which needs none of them, takes the rest.
     */
    private static boolean fitsInArrays(int c, int k) {
        long most = Integer.MAX_VALUE - 8;
        return 16 * planeStride((long) k * c) <= most && 16 * planeStride((long) Math.max(c, k) * MAX_CHUNK) <= most;
    }

    /** Least {@code C·K/(C + K)} for which {@link #applies} chooses Winograd (see there). */
    static final double MIN_CHANNEL_RATIO = 32;

    private static final boolean ENABLED = !"false".equals(System.getProperty("ntklc.winograd"));

    /** Whether {@code jdk.incubator.vector} is there for {@link WinogradLanes} (else im2col everywhere). */
    private static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    /** Tiles per chunk, at most: about a quarter of the L2 cache for its transformed input when C = 64. */
    private static final int MAX_CHUNK = 256;

    /**
     * Tiles per chunk for {@code tiles} tiles: at least one chunk per core, a multiple of 16 (the
     * GEMM kernel's panel width), at most {@link #MAX_CHUNK}.
     */
    static int chunk(int tiles) {
        int perCore = (tiles + Parallel.threads() - 1) / Parallel.threads();
        return Math.max(16, Math.min(MAX_CHUNK, (perCore + 15) / 16 * 16));
    }

    /**
     * Distance between the 16 matrices ({@code ξ = 0…15}) of a transformed array holding
     * {@code size} floats each: rounded up to 1024 floats (4 KiB) and 32 more, so that the 16
     * entries a tile's transform reads or writes fall into 16 different sets of the L1 cache. With
     * a plain {@code size} that is a multiple of 4 KiB (C·count = 64·256 floats) they all fell into
     * one set, and the input transform of the 64×64×32×32 shape took 70 ns per tile and channel.
     */
    static int planeStride(int size) {
        return (int) planeStride((long) size);
    }

    private static long planeStride(long size) {
        return (size + 1023) / 1024 * 1024 + 32;
    }

    /** Scratch slots: a chunk's transformed input, its products (or output-gradient transform), the transformed weights. */
    private static final int INPUT = 0;
    private static final int PRODUCTS = 1;
    private static final int WEIGHTS = 2;

    /** The calling thread's scratch arrays, kept between calls (a conv pass would otherwise allocate megabytes). */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[3][0]);

    /** Scratch array {@code slot} of the calling thread, at least {@code size} long (contents undefined). */
    private static float[] scratch(int slot, int size) {
        float[][] s = SCRATCH.get();
        if (s[slot].length < size) {
            s[slot] = new float[size];
        }
        return s[slot];
    }

    /**
     * {@code y = conv(x, w)}: {@code x: N×C×H×W}, {@code w: K×C×3×3} (both not modified), {@code y:
     * N×K×H×W} (Modified, overwritten).
     */
    static void forward(float[] x, float[] w, float[] y, int n, int c, int h, int wd, int k) {
        float[] u = scratch(WEIGHTS, 16 * planeStride(k * c));
        transformWeights(w, k, c, u);
        int uPlane = planeStride(k * c);
        Tiles tiles = new Tiles(n, h, wd);
        int tc = chunk(tiles.count);
        int chunks = (tiles.count + tc - 1) / tc;
        Parallel.forRange(chunks, 1, (q0, q1) -> {
            float[] v = scratch(INPUT, 16 * planeStride(c * tc));
            float[] m = scratch(PRODUCTS, 16 * planeStride(k * tc));
            for (int q = q0; q < q1; q++) {
                int t0 = q * tc;
                int count = Math.min(tc, tiles.count - t0);
                int vPlane = planeStride(c * count);
                int mPlane = planeStride(k * count);
                transformInput(x, c, tiles, t0, count, v);
                for (int xi = 0; xi < 16; xi++) {
                    // M[ξ] (K×count) = U[ξ] (K×C) · V[ξ] (C×count)
                    MatMul.gemm(false, false, k, count, c, u, xi * uPlane, v, xi * vPlane, m, xi * mPlane, false, false);
                }
                inverseTransformOutput(m, k, tiles, t0, count, y);
            }
        });
    }

    /**
     * {@code dw: K×C×3×3} (Modified, overwritten) from {@code x: N×C×H×W} and {@code dy: N×K×H×W}
     * (not modified). The chunks are split into one contiguous range per core, each summing into
     * its own {@code dU}, and the parts are added in core order, so the result does not depend on
     * which thread finished first.
     */
    static void backwardWeights(float[] x, float[] dy, float[] dw, int n, int c, int h, int wd, int k) {
        Tiles tiles = new Tiles(n, h, wd);
        int tc = chunk(tiles.count);
        int chunks = (tiles.count + tc - 1) / tc;
        int tasks = Math.min(chunks, Parallel.threads());
        float[][] parts = new float[tasks][];
        int uPlane = planeStride(k * c);
        Parallel.forRange(tasks, 1, (p0, p1) -> {
            float[] v = scratch(INPUT, 16 * planeStride(c * tc));
            float[] dm = scratch(PRODUCTS, 16 * planeStride(k * tc));
            for (int p = p0; p < p1; p++) {
                float[] du = new float[16 * uPlane];
                int from = (int) ((long) chunks * p / tasks);
                int to = (int) ((long) chunks * (p + 1) / tasks);
                for (int q = from; q < to; q++) {
                    int t0 = q * tc;
                    int count = Math.min(tc, tiles.count - t0);
                    int vPlane = planeStride(c * count);
                    int mPlane = planeStride(k * count);
                    transformInput(x, c, tiles, t0, count, v);
                    transformOutputGradient(dy, k, tiles, t0, count, dm);
                    for (int xi = 0; xi < 16; xi++) {
                        // dU[ξ] (K×C) += dM[ξ] (K×count) · V[ξ]ᵀ (count×C)
                        MatMul.gemm(false, true, k, c, count, dm, xi * mPlane, v, xi * vPlane, du, xi * uPlane, true, false);
                    }
                }
                parts[p] = du;
            }
        });
        float[] du = parts[0];
        for (int p = 1; p < tasks; p++) {
            float[] part = parts[p];
            for (int i = 0; i < du.length; i++) {
                du[i] += part[i];
            }
        }
        inverseTransformWeights(du, k, c, dw);
    }

    /**
     * The output tiles of an {@code N×?×H×W} map: {@code ⌈H/2⌉ × ⌈W/2⌉} per image, numbered
     * image by image, row by row; a tile of an odd-sized map may stick out by one pixel (its
     * input there is zero and its output there is dropped).
     */
    record Tiles(int n, int h, int wd, int rows, int cols, int count) {
        Tiles(int n, int h, int wd) {
            this(n, h, wd, (h + 1) / 2, (wd + 1) / 2, Math.multiplyExact(n, ((h + 1) / 2) * ((wd + 1) / 2)));
        }

        /**
         * The run of tiles from tile {@code t} to the end of its tile row, at most {@code left}
         * long; {@code pairs} of its tiles have both output columns inside the map (one fewer than
         * {@code length} when the last tile sticks out of an odd-width map).
         */
        Run runAt(int t, int left) {
            int col = t % cols;
            int length = Math.min(cols - col, left);
            return new Run(t / (rows * cols), t % (rows * cols) / cols, col, length, Math.min(length, (wd - 2 * col) / 2));
        }
    }

    /** Tiles {@code col … col + length − 1} of tile row {@code row} of {@code image} ({@link Tiles#runAt}). */
    record Run(int image, int row, int col, int length, int pairs) {
    }

    /**
     * {@code U[ξ][k][c] = (G w[k,c] Gᵀ)[ξ]} into {@code u} ({@code 16×K×C}, Modified), parallel
     * over the filters {@code k}.
     */
    static void transformWeights(float[] w, int k, int c, float[] u) {
        int plane = planeStride(k * c);
        Parallel.forRange(k, 16, (k0, k1) -> {
            float[] gg = new float[12];
            for (int kk = k0; kk < k1; kk++) {
                for (int cc = 0; cc < c; cc++) {
                    int g = (kk * c + cc) * 9;
                    // G g: rows 0 and 3 are g's first and last rows, rows 1 and 2 half their sum ± the middle row.
                    for (int j = 0; j < 3; j++) {
                        float g0 = w[g + j];
                        float g1 = w[g + 3 + j];
                        float g2 = w[g + 6 + j];
                        float s = 0.5f * (g0 + g2);
                        float d = 0.5f * g1;
                        gg[j] = g0;
                        gg[3 + j] = s + d;
                        gg[6 + j] = s - d;
                        gg[9 + j] = g2;
                    }
                    // (G g) Gᵀ, the same on each row's three columns.
                    int at = kk * c + cc;
                    for (int i = 0; i < 4; i++) {
                        float a = gg[3 * i];
                        float b = gg[3 * i + 1];
                        float e = gg[3 * i + 2];
                        float s = 0.5f * (a + e);
                        float d = 0.5f * b;
                        u[(4 * i) * plane + at] = a;
                        u[(4 * i + 1) * plane + at] = s + d;
                        u[(4 * i + 2) * plane + at] = s - d;
                        u[(4 * i + 3) * plane + at] = e;
                    }
                }
            }
        });
    }

    /**
     * {@code dw[k,c] = Gᵀ dU[k,c] G} (3×3) from {@code du} ({@code 16×K×C}, not modified) into
     * {@code dw} ({@code K×C×3×3}, Modified, overwritten).
     */
    static void inverseTransformWeights(float[] du, int k, int c, float[] dw) {
        int plane = planeStride(k * c);
        Parallel.forRange(k, 16, (k0, k1) -> {
            float[] r = new float[12];
            for (int kk = k0; kk < k1; kk++) {
                for (int cc = 0; cc < c; cc++) {
                    int at = kk * c + cc;
                    // Gᵀ dU: rows u0 + ½(u1 + u2), ½(u1 − u2), ½(u1 + u2) + u3.
                    for (int j = 0; j < 4; j++) {
                        float u0 = du[j * plane + at];
                        float u1 = du[(4 + j) * plane + at];
                        float u2 = du[(8 + j) * plane + at];
                        float u3 = du[(12 + j) * plane + at];
                        float s = 0.5f * (u1 + u2);
                        r[j] = u0 + s;
                        r[4 + j] = 0.5f * (u1 - u2);
                        r[8 + j] = s + u3;
                    }
                    // (Gᵀ dU) G, the same on each row's four columns.
                    int g = at * 9;
                    for (int i = 0; i < 3; i++) {
                        float a = r[4 * i];
                        float b = r[4 * i + 1];
                        float e = r[4 * i + 2];
                        float f = r[4 * i + 3];
                        float s = 0.5f * (b + e);
                        dw[g + 3 * i] = a + s;
                        dw[g + 3 * i + 1] = 0.5f * (b - e);
                        dw[g + 3 * i + 2] = s + f;
                    }
                }
            }
        });
    }

    /**
     * {@code V[ξ][c][t − t0] = (Bᵀ d B)[ξ]} for the tiles {@code t0 … t0+count−1} and every channel,
     * {@code d} the tile's 4×4 input patch (zero outside the image), into {@code v}
     * ({@code 16×C×count}, {@link #planeStride} apart; Modified).
     *
     * <p>By runs of tiles in one tile row: {@code Bᵀ} is applied first to the run's four input rows
     * as whole rows (contiguous, so the loops vectorise), into {@code rows}; then {@code · B} per
     * tile on four neighbouring entries of each. Per tile and channel that is 16 additions done
     * once on shared columns instead of 32 on each tile's own copy, and no 4×4 gather.
     */
    static void transformInput(float[] x, int c, Tiles tiles, int t0, int count, float[] v) {
        int h = tiles.h;
        int wd = tiles.wd;
        int plane = planeStride(c * count);
        // rows[i][1 + s] = (Bᵀ d)[i] at input column s, for s = −1 … 2·cols (zero outside the image)
        int width = 2 * tiles.cols + 2;
        float[][] rows = new float[4][width];
        float[] zeros = new float[wd];
        float[] even = new float[tiles.cols + 1];
        float[] odd = new float[tiles.cols + 1];
        for (int tt = 0; tt < count; ) {
            Run r = tiles.runAt(t0 + tt, count - tt);
            int img = r.image();
            int txa = r.col();
            int run = r.length();
            int r0 = 2 * r.row() - 1;
            int s0 = 2 * txa - 1;
            int s1 = Math.min(wd, 2 * (txa + run) + 1); // one past the last input column inside the image
            for (int cc = 0; cc < c; cc++) {
                int base = (img * c + cc) * h * wd;
                // the four input rows, a row outside the image read from a zero row
                float[] y0 = r0 >= 0 ? x : zeros;
                float[] y2 = r0 + 2 < h ? x : zeros;
                float[] y3 = r0 + 3 < h ? x : zeros;
                int x0 = r0 >= 0 ? base + r0 * wd : 0;
                int x1 = base + (r0 + 1) * wd;
                int x2 = r0 + 2 < h ? base + (r0 + 2) * wd : 0;
                int x3 = r0 + 3 < h ? base + (r0 + 3) * wd : 0;
                float[] b0 = rows[0];
                float[] b1 = rows[1];
                float[] b2 = rows[2];
                float[] b3 = rows[3];
                int from = Math.max(0, s0);
                // the column left of the image, and the columns right of it, are zero
                for (int s = s0; s < from; s++) {
                    b0[s + 1] = b1[s + 1] = b2[s + 1] = b3[s + 1] = 0f;
                }
                for (int s = Math.max(from, s1); s <= 2 * (txa + run); s++) {
                    b0[s + 1] = b1[s + 1] = b2[s + 1] = b3[s + 1] = 0f;
                }
                // Bᵀ d on whole rows: (d0 − d2, d1 + d2, d2 − d1, d1 − d3).
                WinogradLanes.columns(y0, x0, x, x1, y2, x2, y3, x3, from, s1, b0, b1, b2, b3);
                int at = cc * count + tt;
                for (int i = 0; i < 4; i++) {
                    // · B on the tile's four columns 2tx − 1 … 2tx + 2, i.e. b[2tx … 2tx + 3]: split into
                    // even and odd columns first, so that the tiles' loop below reads consecutive entries.
                    float[] b = rows[i];
                    for (int q = 0, s = 2 * txa; q <= run; q++, s += 2) {
                        even[q] = b[s];
                        odd[q] = b[s + 1];
                    }
                    WinogradLanes.rowsTimesB(even, odd, run, v, (4 * i) * plane + at, plane);
                }
            }
            tt += run;
        }
    }

    /**
     * {@code y} tile by tile from the products {@code m} ({@code 16×K×count}, {@link #planeStride}
     * apart; not modified): {@code Y = Aᵀ M A}, the pixels inside the map written to {@code y}
     * ({@code N×K×H×W}, Modified). By runs of tiles in one tile row, the even and odd output columns
     * computed into consecutive scratch entries first (so the tiles' loop reads and writes
     * consecutive entries) and then interleaved into the two output rows.
     */
    static void inverseTransformOutput(float[] m, int k, Tiles tiles, int t0, int count, float[] y) {
        int h = tiles.h;
        int wd = tiles.wd;
        int plane = planeStride(k * count);
        float[] e0 = new float[tiles.cols];
        float[] o0 = new float[tiles.cols];
        float[] e1 = new float[tiles.cols];
        float[] o1 = new float[tiles.cols];
        for (int tt = 0; tt < count; ) {
            Run r = tiles.runAt(t0 + tt, count - tt);
            int img = r.image();
            int txa = r.col();
            int run = r.length();
            int oy = 2 * r.row();
            // output columns 2·txa … 2·(txa + run) − 1, of which those below W exist
            int pairs = r.pairs();
            boolean lastHalf = pairs < run;
            for (int kk = 0; kk < k; kk++) {
                int at = kk * count + tt;
                // Aᵀ M: row 0 = m0 + m1 + m2, row 1 = m1 − m2 − m3 (rows of M), on each column j; then · A.
                WinogradLanes.outputTiles(m, at, plane, run, e0, o0, e1, o1);
                int row = ((img * k + kk) * h + oy) * wd + 2 * txa;
                interleave(e0, o0, pairs, lastHalf, y, row);
                if (oy + 1 < h) {
                    interleave(e1, o1, pairs, lastHalf, y, row + wd);
                }
            }
            tt += run;
        }
    }

    /**
     * {@code y[row + 2q] = even[q]}, {@code y[row + 2q + 1] = odd[q]} for {@code q < pairs}, and
     * {@code y[row + 2·pairs] = even[pairs]} when {@code lastHalf} (a tile cut by the map's right
     * edge). {@code y} is Modified.
     */
    private static void interleave(float[] even, float[] odd, int pairs, boolean lastHalf, float[] y, int row) {
        for (int q = 0; q < pairs; q++) {
            y[row + 2 * q] = even[q];
            y[row + 2 * q + 1] = odd[q];
        }
        if (lastHalf) {
            y[row + 2 * pairs] = even[pairs];
        }
    }

    /**
     * {@code dM[ξ][k][t − t0] = (A dY Aᵀ)[ξ]} for the output-gradient tiles {@code dY} (2×2, zero
     * outside the map) of {@code dy} ({@code N×K×H×W}, not modified), into {@code dm}
     * ({@code 16×K×count}, Modified).
     */
    static void transformOutputGradient(float[] dy, int k, Tiles tiles, int t0, int count, float[] dm) {
        int h = tiles.h;
        int wd = tiles.wd;
        int plane = planeStride(k * count);
        // the tiles' pixels of the two output rows, even and odd columns apart (zero outside the map)
        float[] e0 = new float[tiles.cols];
        float[] o0 = new float[tiles.cols];
        float[] e1 = new float[tiles.cols];
        float[] o1 = new float[tiles.cols];
        for (int tt = 0; tt < count; ) {
            Run r = tiles.runAt(t0 + tt, count - tt);
            int img = r.image();
            int txa = r.col();
            int run = r.length();
            int oy = 2 * r.row();
            int pairs = r.pairs();
            boolean down = oy + 1 < h;
            for (int kk = 0; kk < k; kk++) {
                int row = ((img * k + kk) * h + oy) * wd + 2 * txa;
                split(dy, row, pairs, run, e0, o0);
                if (down) {
                    split(dy, row + wd, pairs, run, e1, o1);
                } else {
                    java.util.Arrays.fill(e1, 0, run, 0f);
                    java.util.Arrays.fill(o1, 0, run, 0f);
                }
                // A dY: rows p0, p0 + p1, p0 − p1, −p1 (rows of dY); then · Aᵀ: the same on each row's two columns.
                WinogradLanes.gradientTiles(e0, o0, e1, o1, run, dm, kk * count + tt, plane);
            }
            tt += run;
        }
    }

    /**
     * {@code even[q] = y[row + 2q]}, {@code odd[q] = y[row + 2q + 1]} for {@code q < run}, where
     * only the first {@code pairs} pairs lie inside the map; beyond, a tile cut by the right edge
     * has its even pixel and a zero, and tiles past the edge zeros. {@code even}, {@code odd} are
     * Modified.
     */
    private static void split(float[] y, int row, int pairs, int run, float[] even, float[] odd) {
        for (int q = 0; q < pairs; q++) {
            even[q] = y[row + 2 * q];
            odd[q] = y[row + 2 * q + 1];
        }
        if (pairs < run) {
            even[pairs] = y[row + 2 * pairs];
            odd[pairs] = 0f;
        }
    }
}
