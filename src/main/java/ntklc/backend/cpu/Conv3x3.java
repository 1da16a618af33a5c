package ntklc.backend.cpu;

import ntklc.tensor.MatMul;
import ntklc.tensor.Parallel;
import ntklc.tensor.Tensor;

/**
 * 3×3 convolution, stride 1, zero padding 1 (the only convolution of VGG19, docs/theory.md §1.4): the CPU
 * reference for {@code kernels/conv3x3.cl}, built on im2col + the fast GEMM, one image per core.
 *
 * <p>Shapes: input {@code x: N×C×H×W}, weights {@code w: K×C×3×3}, output {@code y: N×K×H×W}
 * (same H×W). No bias: in VGG every convolution is followed by batch norm, whose shift makes a
 * convolution bias redundant.
 * <pre>
 *   forward          y[n,k,h,v]  = Σ_{c,i,j} w[k,c,i,j] · x[n,c,h+i−1,v+j−1]          (x = 0 outside)
 *   backward data    dx[n,c,h,v] = Σ_{k,i,j} w[k,c,i,j] · dy[n,k,h−i+1,v−j+1]
 *                                = forward(dy, flip(w)),  flip(w)[c,k,i,j] = w[k,c,2−i,2−j]
 *   backward weights dw[k,c,i,j] = Σ_{n,h,v} dy[n,k,h,v] · x[n,c,h+i−1,v+j−1]
 * </pre>
 * With {@code col_n: (C·9)×(H·W)}, {@code col_n[(c·9+i·3+j), h·W+v] = x[n,c,h+i−1,v+j−1]} (im2col),
 * the forward pass of image {@code n} is the GEMM {@code y_n = w·col_n} ({@code K×C9 · C9×HW}) and
 * the weight gradient is {@code dw = Σ_n dy_n·col_nᵀ}; for small images several {@code col_n} are
 * laid side by side ({@link #group}). {@code col_n} is never stored: {@link Im2colPanels} writes
 * each block of it (or of its transpose) straight into the GEMM's packed panels. Groups of images
 * run in parallel, one per core, each GEMM on one core. Each pass costs {@code 2·N·K·C·9·H·W} flops. Maps of at most 2×2 pixels (VGG19's last
 * block) skip im2col: there the convolution is one dense GEMM over the batch ({@link #isDense}).
 * Layers with many channels (from 64→64 on; {@link Winograd3x3#applies}) take Winograd's
 * F(2×2, 3×3) instead, 2.25× fewer multiply–adds for a slightly larger rounding bound
 * ({@link Winograd3x3}); {@code -Dntklc.winograd=false} keeps im2col everywhere.
 */
public final class Conv3x3 {
    private Conv3x3() {
    }

    /** Floating-point operations of one pass (forward, backward data or backward weights). */
    public static double flops(int n, int c, int h, int w, int k) {
        return 2.0 * n * k * c * 9 * h * w;
    }

    /** Returns {@code y = conv(x, w)}: {@code x: N×C×H×W}, {@code w: K×C×3×3}; both not modified. */
    public static Tensor forward(Tensor x, Tensor w) {
        Tensor y = Tensor.zeros(x.dim(0), w.dim(0), x.dim(2), x.dim(3));
        forward(x, w, y);
        return y;
    }

    /** {@code y = conv(x, w)} into {@code y: N×K×H×W} (Modified, overwritten). */
    public static void forward(Tensor x, Tensor w, Tensor y) {
        int[] s = checkInput(x, w);
        if (y.rank() != 4 || y.dim(0) != s[0] || y.dim(1) != w.dim(0) || y.dim(2) != s[2] || y.dim(3) != s[3]) {
            throw new IllegalArgumentException("conv3x3: output " + y.shapeString() + " does not fit input "
                    + x.shapeString() + " and weights " + w.shapeString());
        }
        forward(x.data(), w.data(), y.data(), s[0], s[1], s[2], s[3], w.dim(0));
    }

    /** Returns {@code dx} for output gradient {@code dy: N×K×H×W} and weights {@code w: K×C×3×3}. */
    public static Tensor backwardData(Tensor dy, Tensor w) {
        checkBackwardData(dy, w);
        Tensor flipped = flip(w);
        return forward(dy, flipped);
    }

    /** Returns {@code dw: K×C×3×3} for input {@code x: N×C×H×W} and output gradient {@code dy: N×K×H×W}. */
    public static Tensor backwardWeights(Tensor x, Tensor dy, int k) {
        x.requireRank(4);
        Tensor dw = Tensor.zeros(k, x.dim(1), 3, 3);
        backwardWeights(x, dy, dw);
        return dw;
    }

    /**
     * {@code dw: K×C×3×3} (Modified, overwritten) from {@code x: N×C×H×W} and {@code dy: N×K×H×W},
     * computed in place rather than into a fresh weight-sized tensor that is then copied (a
     * 512×512×3×3 array took 2.6 ms to allocate in a harness on one Zen 3 core beside other work;
     * in {@code bench --op=conv} the difference stayed within the host's noise).
     */
    public static void backwardWeights(Tensor x, Tensor dy, Tensor dw) {
        x.requireRank(4);
        dy.requireRank(4);
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int wd = x.dim(3);
        if (dw.rank() != 4 || dw.dim(1) != c || dw.dim(2) != 3 || dw.dim(3) != 3) {
            throw new IllegalArgumentException("conv3x3 backward weights: dw " + dw.shapeString() + " does not fit x "
                    + x.shapeString() + " (expected K×" + c + "×3×3)");
        }
        int k = dw.dim(0);
        if (dy.dim(0) != n || dy.dim(1) != k || dy.dim(2) != h || dy.dim(3) != wd) {
            throw new IllegalArgumentException("conv3x3 backward: dy " + dy.shapeString() + " does not match x " + x.shapeString());
        }
        backwardWeights(x.data(), dy.data(), dw.data(), n, c, h, wd, k);
    }

    /**
     * {@code dx: N×C×H×W} (Modified, overwritten) from {@code dy: N×K×H×W} and {@code w: K×C×3×3}:
     * the forward pass with {@link #flip flipped} weights, flipped into a buffer of the calling
     * thread that is kept between calls (see {@link #backwardWeights(Tensor, Tensor, Tensor)} for
     * what a fresh array per call cost).
     */
    public static void backwardData(Tensor dy, Tensor w, Tensor dx) {
        checkBackwardData(dy, w);
        int n = dy.dim(0);
        int k = w.dim(0);
        int c = w.dim(1);
        int h = dy.dim(2);
        int wd = dy.dim(3);
        if (dx.rank() != 4 || dx.dim(0) != n || dx.dim(1) != c || dx.dim(2) != h || dx.dim(3) != wd) {
            throw new IllegalArgumentException("conv3x3 backward: dx " + dx.shapeString() + " does not fit dy "
                    + dy.shapeString() + " and weights " + w.shapeString());
        }
        float[] flipped = FLIPPED.get();
        if (flipped.length < w.size()) {
            flipped = new float[w.size()];
            FLIPPED.set(flipped);
        }
        flip(w.data(), k, c, flipped);
        forward(dy.data(), flipped, dx.data(), n, k, h, wd, c);
    }

    /** {@code dy: N×K×H×W} and {@code w: K×C×3×3} of a backward data pass, or an {@link IllegalArgumentException}. */
    private static void checkBackwardData(Tensor dy, Tensor w) {
        dy.requireRank(4);
        if (w.rank() != 4 || w.dim(0) != dy.dim(1) || w.dim(2) != 3 || w.dim(3) != 3) {
            throw new IllegalArgumentException("conv3x3 backward: weights " + w.shapeString() + " do not match dy " + dy.shapeString());
        }
    }

    /** The calling thread's buffer for flipped weights ({@link #backwardData(Tensor, Tensor, Tensor)}). */
    private static final ThreadLocal<float[]> FLIPPED = ThreadLocal.withInitial(() -> new float[0]);

    /** {@code flip(w)[c,k,i,j] = w[k,c,2−i,2−j]}: weights of the transposed convolution, {@code C×K×3×3}. */
    public static Tensor flip(Tensor w) {
        int k = w.dim(0);
        int c = w.dim(1);
        Tensor f = Tensor.zeros(c, k, 3, 3);
        flip(w.data(), k, c, f.data());
        return f;
    }

    /** {@link #flip(Tensor)} of the {@code K×C×3×3} weights {@code src} into {@code dst[0, K·C·9)} (Modified). */
    private static void flip(float[] src, int k, int c, float[] dst) {
        for (int kk = 0; kk < k; kk++) {
            for (int cc = 0; cc < c; cc++) {
                for (int t = 0; t < 9; t++) {
                    dst[(cc * k + kk) * 9 + (8 - t)] = src[(kk * c + cc) * 9 + t];
                }
            }
        }
    }

    /**
     * Images per GEMM: small feature maps (VGG19's 4×4 and 2×2 blocks) would give GEMMs only
     * {@code H·W} columns wide, narrower than the 32-column register tile, so {@code G} images are
     * laid side by side in one {@code (C·9)×(G·H·W)} im2col matrix, about {@link #GROUP_COLUMNS}
     * columns wide.
     */
    static int group(int n, int hw) {
        return Math.max(1, Math.min(n, (GROUP_COLUMNS + hw - 1) / hw));
    }

    /**
     * Target width (columns) of a grouped im2col matrix. Each group's GEMM packs the weights
     * ({@code K×C9}) anew, so wider groups pack them fewer times: 512 rather than 256 ran the
     * 64×512×4×4×512 forward pass at 57 rather than 53 GFLOP/s on one Zen 3 core (medians of 5).
     */
    static final int GROUP_COLUMNS = 512;

    /** Raw forward: {@code y} (Modified, {@code N×K×H×W}) from {@code x} and {@code w} (not modified). */
    static void forward(float[] x, float[] w, float[] y, int n, int c, int h, int wd, int k) {
        if (isDense(h, wd)) {
            forwardDense(x, w, y, n, c, h, wd, k);
        } else if (Winograd3x3.applies(c, h, wd, k)) {
            Winograd3x3.forward(x, w, y, n, c, h, wd, k);
        } else {
            forwardIm2col(x, w, y, n, c, h, wd, k);
        }
    }

    /**
     * The forward pass by im2col and one GEMM per group of images (any map size). The im2col
     * matrix is never stored: {@link Im2colPanels} writes each block of it straight into the GEMM's
     * packed panels (one copy of the input per block instead of two: im2col, then packing).
     */
    static void forwardIm2col(float[] x, float[] w, float[] y, int n, int c, int h, int wd, int k) {
        int hw = h * wd;
        int g = group(n, hw);
        int groups = (n + g - 1) / g;
        boolean groupParallel = groups >= Parallel.threads();
        Parallel.forRange(groups, 1, (q0, q1) -> {
            float[] out = g > 1 ? new float[k * g * hw] : null;
            for (int q = q0; q < q1; q++) {
                int n0 = q * g;
                int count = Math.min(g, n - n0);
                int width = count * hw;
                Im2colPanels col = new Im2colPanels(x, n0 * c * hw, c, h, wd, count);
                if (g == 1) {
                    MatMul.gemm(false, k, hw, c * 9, w, 0, col, y, n0 * k * hw, false, !groupParallel);
                    continue;
                }
                // out = w · col : (K × C9)·(C9 × count·HW); image b's output is columns [b·HW, (b+1)·HW).
                MatMul.gemm(false, k, width, c * 9, w, 0, col, out, 0, false, !groupParallel);
                for (int b = 0; b < count; b++) {
                    for (int o = 0; o < k; o++) {
                        System.arraycopy(out, o * width + b * hw, y, ((n0 + b) * k + o) * hw, hw);
                    }
                }
            }
        });
    }

    /** Raw weight gradient: {@code dw} (Modified, overwritten) from {@code x} and {@code dy}. */
    static void backwardWeights(float[] x, float[] dy, float[] dw, int n, int c, int h, int wd, int k) {
        if (isDense(h, wd)) {
            backwardWeightsDense(x, dy, dw, n, c, h, wd, k);
        } else if (Winograd3x3.applies(c, h, wd, k)) {
            Winograd3x3.backwardWeights(x, dy, dw, n, c, h, wd, k);
        } else {
            backwardWeightsIm2col(x, dy, dw, n, c, h, wd, k);
        }
    }

    /**
     * Whether the map is at most 2×2: then every input pixel lies inside every output pixel's 3×3
     * window, and the convolution is a dense linear map of the whole {@code C·H·W} input of an
     * image ({@link #denseWeights}). Its GEMM has {@code (H·W)²} taps per channel pair instead of
     * {@code 9·H·W} (4²/36 of the multiply-adds on VGG19's 2×2 layer, where im2col's taps are more
     * than half zero padding).
     */
    static boolean isDense(int h, int wd) {
        return h <= 2 && wd <= 2;
    }

    /**
     * The dense matrix of a convolution on a map of {@code P = H·W ≤ 4} pixels, {@code (K·P)×(C·P)}:
     * {@code D[k·P + o, c·P + q] = w[k, c, h_q − h_o + 1, v_q − v_o + 1]} for output pixel
     * {@code o = (h_o, v_o)} and input pixel {@code q = (h_q, v_q)} (row-major within the map), so
     * that {@code y[n, k, o] = Σ_{c,q} D[k·P + o, c·P + q]·x[n, c, q]}, the forward formula of the
     * class comment with the padded (zero) taps left out.
     */
    static float[] denseWeights(float[] w, int c, int h, int wd, int k) {
        float[] d = new float[k * h * wd * c * h * wd];
        mapTaps(d, w, c, h, wd, k, true);
        return d;
    }

    /**
     * Walks the dense matrix {@code d} of {@link #denseWeights} against the weights {@code w}:
     * {@code toDense} copies {@code d[k·P + o, c·P + q] = w[k, c, tap(o, q)]} (d Modified), else adds
     * each entry back, {@code w[k, c, tap(o, q)] += d[k·P + o, c·P + q]} (w Modified). Parallel over k.
     */
    private static void mapTaps(float[] d, float[] w, int c, int h, int wd, int k, boolean toDense) {
        int pp = h * wd;
        int[] taps = taps(h, wd);
        Parallel.forRange(k, 16, (k0, k1) -> {
            for (int kk = k0; kk < k1; kk++) {
                for (int o = 0; o < pp; o++) {
                    int row = (kk * pp + o) * c * pp;
                    int t = o * pp;
                    for (int cc = 0; cc < c; cc++) {
                        int wAt = (kk * c + cc) * 9;
                        int dAt = row + cc * pp;
                        for (int q = 0; q < pp; q++) {
                            if (toDense) {
                                d[dAt + q] = w[wAt + taps[t + q]];
                            } else {
                                w[wAt + taps[t + q]] += d[dAt + q];
                            }
                        }
                    }
                }
            }
        });
    }

    /**
     * {@code taps[o·P + q]}: index {@code i·3 + j} of the 3×3 tap that carries input pixel
     * {@code q = (h_q, v_q)} to output pixel {@code o = (h_o, v_o)}, {@code i = h_q − h_o + 1},
     * {@code j = v_q − v_o + 1}, on an {@code H×W} map.
     */
    private static int[] taps(int h, int wd) {
        int pp = h * wd;
        int[] taps = new int[pp * pp];
        for (int o = 0; o < pp; o++) {
            for (int q = 0; q < pp; q++) {
                taps[o * pp + q] = (q / wd - o / wd + 1) * 3 + (q % wd - o % wd + 1);
            }
        }
        return taps;
    }

    /** Forward pass on a map of at most 2×2: {@code Y = X·Dᵀ} with {@code X: N×(C·P)}, {@code Y: N×(K·P)} (NCHW as stored). */
    static void forwardDense(float[] x, float[] w, float[] y, int n, int c, int h, int wd, int k) {
        int pp = h * wd;
        float[] d = denseWeights(w, c, h, wd, k);
        MatMul.gemm(false, true, n, k * pp, c * pp, x, 0, d, 0, y, 0, false, true);
    }

    /**
     * Weight gradient on a map of at most 2×2: {@code G = dYᵀ·X} ({@code (K·P)×(C·P)}, a sum over
     * the batch), then {@code dw[k, c, i, j] = Σ G[k·P + o, c·P + q]} over the pixel pairs whose tap
     * is {@code (i, j)} (the transpose of {@link #denseWeights}); taps no pair uses stay 0.
     */
    static void backwardWeightsDense(float[] x, float[] dy, float[] dw, int n, int c, int h, int wd, int k) {
        int pp = h * wd;
        float[] g = new float[k * pp * c * pp];
        MatMul.gemm(true, false, k * pp, c * pp, n, dy, 0, x, 0, g, 0, false, true);
        java.util.Arrays.fill(dw, 0, k * c * 9, 0f);
        mapTaps(g, dw, c, h, wd, k, false);
    }

    /**
     * The weight gradient by im2col, one GEMM per group of images (any map size), the transposed
     * im2col matrix supplied straight into the GEMM's panels ({@link Im2colPanels#transposed}).
     */
    static void backwardWeightsIm2col(float[] x, float[] dy, float[] dw, int n, int c, int h, int wd, int k) {
        int hw = h * wd;
        int g = group(n, hw);
        int groups = (n + g - 1) / g;
        int tasks = Math.min(groups, Parallel.threads());
        float[][] partial = new float[tasks][];
        boolean taskParallel = tasks > 1;
        Parallel.forRange(tasks, 1, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                float[] dyGroup = g > 1 ? new float[k * g * hw] : null;
                float[] acc = new float[k * c * 9];
                int from = (int) ((long) groups * t / tasks);
                int to = (int) ((long) groups * (t + 1) / tasks);
                for (int q = from; q < to; q++) {
                    int n0 = q * g;
                    int count = Math.min(g, n - n0);
                    int width = count * hw;
                    float[] a = dy;
                    int aOff = n0 * k * hw;
                    if (g > 1) {
                        // dyGroup[o, b·HW + s] = dy[n0+b, o, s]: the group's gradients side by side.
                        for (int b = 0; b < count; b++) {
                            for (int o = 0; o < k; o++) {
                                System.arraycopy(dy, ((n0 + b) * k + o) * hw, dyGroup, o * width + b * hw, hw);
                            }
                        }
                        a = dyGroup;
                        aOff = 0;
                    }
                    // dw += dyGroup · colᵀ :  (K × count·HW)·(count·HW × C9)
                    Im2colPanels colT = new Im2colPanels(x, n0 * c * hw, c, h, wd, count).transposed();
                    MatMul.gemm(false, k, c * 9, width, a, aOff, colT, acc, 0, true, !taskParallel);
                }
                partial[t] = acc;
            }
        });
        System.arraycopy(partial[0], 0, dw, 0, k * c * 9);
        for (int t = 1; t < tasks; t++) {
            for (int i = 0; i < dw.length; i++) {
                dw[i] += partial[t][i];
            }
        }
    }

    /**
     * The stored im2col matrix, kept as the plain construction that {@link Im2colPanels} is
     * tested against: im2col for one image into columns {@code [colOff, colOff + H·W)} of a matrix with row length
     * {@code ld}: {@code col[(c·9 + i·3 + j)·ld + colOff + h·W + v] = x[off + (c·H + h+i−1)·W + v+j−1]},
     * zero where the shifted index leaves the image. Those entries of {@code col} are Modified.
     */
    static void im2col(float[] x, int off, int c, int h, int wd, float[] col, int ld, int colOff) {
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    int row = (ch * 9 + i * 3 + j) * ld + colOff;
                    int dv = j - 1;
                    for (int r = 0; r < h; r++) {
                        int dst = row + r * wd;
                        int sr = r + i - 1;
                        if (sr < 0 || sr >= h) {
                            java.util.Arrays.fill(col, dst, dst + wd, 0f);
                            continue;
                        }
                        int src = off + (ch * h + sr) * wd;
                        // col[dst + v] = x[src + v + dv] for 0 ≤ v + dv < W.
                        int v0 = Math.max(0, -dv);
                        int v1 = Math.min(wd, wd - dv);
                        if (v0 > 0) {
                            col[dst] = 0f;
                        }
                        if (v1 > v0) {
                            System.arraycopy(x, src + v0 + dv, col, dst + v0, v1 - v0);
                        }
                        if (v1 < wd) {
                            col[dst + wd - 1] = 0f;
                        }
                    }
                }
            }
        }
    }

    private static int[] checkInput(Tensor x, Tensor w) {
        x.requireRank(4);
        w.requireRank(4);
        if (w.dim(1) != x.dim(1) || w.dim(2) != 3 || w.dim(3) != 3) {
            throw new IllegalArgumentException("conv3x3: weights " + w.shapeString() + " do not fit input " + x.shapeString()
                    + " (expected K×" + x.dim(1) + "×3×3)");
        }
        return x.shape();
    }
}
