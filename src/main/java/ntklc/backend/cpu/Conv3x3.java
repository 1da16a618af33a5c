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
 * laid side by side ({@link #group}). Groups of images run in parallel, one per core, each GEMM on
 * one core. Each pass costs {@code 2·N·K·C·9·H·W} flops.
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
        dy.requireRank(4);
        if (w.rank() != 4 || w.dim(0) != dy.dim(1) || w.dim(2) != 3 || w.dim(3) != 3) {
            throw new IllegalArgumentException("conv3x3 backward: weights " + w.shapeString() + " do not match dy " + dy.shapeString());
        }
        Tensor flipped = flip(w);
        return forward(dy, flipped);
    }

    /** Returns {@code dw: K×C×3×3} for input {@code x: N×C×H×W} and output gradient {@code dy: N×K×H×W}. */
    public static Tensor backwardWeights(Tensor x, Tensor dy, int k) {
        x.requireRank(4);
        dy.requireRank(4);
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int wd = x.dim(3);
        if (dy.dim(0) != n || dy.dim(1) != k || dy.dim(2) != h || dy.dim(3) != wd) {
            throw new IllegalArgumentException("conv3x3 backward: dy " + dy.shapeString() + " does not match x " + x.shapeString());
        }
        Tensor dw = Tensor.zeros(k, c, 3, 3);
        backwardWeights(x.data(), dy.data(), dw.data(), n, c, h, wd, k);
        return dw;
    }

    /** {@code dw: K×C×3×3} (Modified, overwritten) from {@code x: N×C×H×W} and {@code dy: N×K×H×W}. */
    public static void backwardWeights(Tensor x, Tensor dy, Tensor dw) {
        Tensor r = backwardWeights(x, dy, dw.dim(0));
        Tensor.requireSameShape(r, dw, "conv3x3 backward weights");
        System.arraycopy(r.data(), 0, dw.data(), 0, r.size());
    }

    /** {@code dx: N×C×H×W} (Modified, overwritten) from {@code dy: N×K×H×W} and {@code w: K×C×3×3}. */
    public static void backwardData(Tensor dy, Tensor w, Tensor dx) {
        forward(dy, flip(w), dx);
    }

    /** {@code flip(w)[c,k,i,j] = w[k,c,2−i,2−j]}: weights of the transposed convolution, {@code C×K×3×3}. */
    public static Tensor flip(Tensor w) {
        int k = w.dim(0);
        int c = w.dim(1);
        Tensor f = Tensor.zeros(c, k, 3, 3);
        float[] src = w.data();
        float[] dst = f.data();
        for (int kk = 0; kk < k; kk++) {
            for (int cc = 0; cc < c; cc++) {
                for (int t = 0; t < 9; t++) {
                    dst[(cc * k + kk) * 9 + (8 - t)] = src[(kk * c + cc) * 9 + t];
                }
            }
        }
        return f;
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

    /** Target width (columns) of a grouped im2col matrix. */
    static final int GROUP_COLUMNS = 256;

    /** Raw forward: {@code y} (Modified, {@code N×K×H×W}) from {@code x} and {@code w} (not modified). */
    static void forward(float[] x, float[] w, float[] y, int n, int c, int h, int wd, int k) {
        int hw = h * wd;
        int g = group(n, hw);
        int groups = (n + g - 1) / g;
        boolean groupParallel = groups >= Parallel.threads();
        Parallel.forRange(groups, 1, (q0, q1) -> {
            float[] col = new float[c * 9 * g * hw];
            float[] out = g > 1 ? new float[k * g * hw] : null;
            for (int q = q0; q < q1; q++) {
                int n0 = q * g;
                int count = Math.min(g, n - n0);
                int width = count * hw;
                for (int b = 0; b < count; b++) {
                    im2col(x, (n0 + b) * c * hw, c, h, wd, col, width, b * hw);
                }
                if (g == 1) {
                    MatMul.gemm(false, false, k, hw, c * 9, w, 0, col, 0, y, n0 * k * hw, false, !groupParallel);
                    continue;
                }
                // out = w · col : (K × C9)·(C9 × count·HW); image b's output is columns [b·HW, (b+1)·HW).
                MatMul.gemm(false, false, k, width, c * 9, w, 0, col, 0, out, 0, false, !groupParallel);
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
        int hw = h * wd;
        int g = group(n, hw);
        int groups = (n + g - 1) / g;
        int tasks = Math.min(groups, Parallel.threads());
        float[][] partial = new float[tasks][];
        boolean taskParallel = tasks > 1;
        Parallel.forRange(tasks, 1, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                float[] col = new float[c * 9 * g * hw];
                float[] dyGroup = g > 1 ? new float[k * g * hw] : null;
                float[] acc = new float[k * c * 9];
                int from = (int) ((long) groups * t / tasks);
                int to = (int) ((long) groups * (t + 1) / tasks);
                for (int q = from; q < to; q++) {
                    int n0 = q * g;
                    int count = Math.min(g, n - n0);
                    int width = count * hw;
                    for (int b = 0; b < count; b++) {
                        im2col(x, (n0 + b) * c * hw, c, h, wd, col, width, b * hw);
                    }
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
                    MatMul.gemm(false, true, k, c * 9, width, a, aOff, col, 0, acc, 0, true, !taskParallel);
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
     * im2col for one image into columns {@code [colOff, colOff + H·W)} of a matrix with row length
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
