package ntklc.backend.cpu;

import java.util.Arrays;

import ntklc.tensor.MatMul;

/**
 * The im2col matrix of {@code count} consecutive images, laid side by side, as a GEMM operand
 * supplied block by block ({@link MatMul.PanelSource}):
 * <pre>
 *   B[(c·9 + i·3 + j), b·H·W + h·W + v] = x[off + ((b·C + c)·H + h+i−1)·W + v+j−1]   (0 outside the image)
 * </pre>
 * for channel {@code c}, tap {@code (i, j)}, image {@code b} and pixel {@code (h, v)}; this is
 * {@link Conv3x3#im2col}'s matrix, {@code (C·9)×(count·H·W)}. A block's columns are cut into
 * runs that lie in one row of one image; each run of each tap row is then one shifted copy of
 * a row of {@code x}, with a zero where the shift leaves the image. {@link #transposed} is the
 * same matrix transposed, {@code (count·H·W)×(C·9)}, the right operand of the weight gradient.
 */
final class Im2colPanels implements MatMul.PanelSource {
    private final float[] x;
    private final int off;
    private final int c;
    private final int h;
    private final int wd;
    private final int count;
    private final boolean transposed;

    /** {@code x} holds the images from {@code off}, {@code N×C×H×W}; not modified. */
    Im2colPanels(float[] x, int off, int c, int h, int wd, int count) {
        this(x, off, c, h, wd, count, false);
    }

    private Im2colPanels(float[] x, int off, int c, int h, int wd, int count, boolean transposed) {
        this.transposed = transposed;
        this.x = x;
        this.off = off;
        this.c = c;
        this.h = h;
        this.wd = wd;
        this.count = count;
    }

    /** The transpose of this matrix, {@code Bᵀ[b·H·W + h·W + v, c·9 + i·3 + j]}, as a source. */
    Im2colPanels transposed() {
        return new Im2colPanels(x, off, c, h, wd, count, !transposed);
    }

    @Override
    public void pack(int pc, int kc, int jc, int nc, int nr, float[] panels) {
        if (transposed) {
            packTransposed(pc, kc, jc, nc, nr, panels);
            return;
        }
        if (wd < nr) {
            packNarrow(pc, kc, jc, nc, nr, panels);
            return;
        }
        int hw = h * wd;
        int panelCount = (nc + nr - 1) / nr;
        // Runs: maximal stretches of a panel's columns inside one image row, the same for every tap row.
        int[] runDst = new int[nc];
        int[] runLen = new int[nc];
        int[] runSrc = new int[nc];
        int[] runRow = new int[nc];
        int[] runCol = new int[nc];
        int runs = 0;
        for (int q = 0; q < panelCount; q++) {
            int cols = Math.min(nr, nc - q * nr);
            for (int j = 0; j < cols; ) {
                int col = jc + q * nr + j;
                int b = col / hw;
                int s = col - b * hw;
                int row = s / wd;
                int v = s - row * wd;
                int len = Math.min(cols - j, wd - v);
                runDst[runs] = q * nr * kc + j;
                runLen[runs] = len;
                runSrc[runs] = off + b * c * hw;
                runRow[runs] = row;
                runCol[runs] = v;
                runs++;
                j += len;
            }
        }
        // Tap rows: channel, row shift and column shift of each depth p.
        int[] tapChannel = new int[kc];
        int[] tapRowShift = new int[kc];
        int[] tapColShift = new int[kc];
        for (int p = 0; p < kc; p++) {
            int tapRow = pc + p;
            int t = tapRow % 9;
            tapChannel[p] = tapRow / 9;
            tapRowShift[p] = t / 3 - 1;
            tapColShift[p] = t % 3 - 1;
        }
        // Run by run, depth inside: the panels are written in order. NOTE: depth outside (all
        // panels per tap row) writes nr floats every nr·kc floats (32 KiB apart with kc = 512,
        // nr = 16), all in one cache set, and ran 2–3× slower.
        for (int r = 0; r < runs; r++) {
            int len = runLen[r];
            int base = runDst[r];
            int image = runSrc[r];
            int row = runRow[r];
            int col = runCol[r];
            for (int p = 0; p < kc; p++) {
                int dst = base + p * nr;
                int sr = row + tapRowShift[p];
                if (sr < 0 || sr >= h) {
                    Arrays.fill(panels, dst, dst + len, 0f);
                    continue;
                }
                // panels[dst + u] = x[src + u] where 0 ≤ v + u < W (v = col + shift), else 0.
                int v = col + tapColShift[p];
                int lo = Math.max(0, -v);
                int hi = Math.min(len, wd - v);
                int src = image + (tapChannel[p] * h + sr) * wd + v;
                for (int u = 0; u < lo; u++) {
                    panels[dst + u] = 0f;
                }
                System.arraycopy(x, src + lo, panels, dst + lo, hi - lo);
                for (int u = hi; u < len; u++) {
                    panels[dst + u] = 0f;
                }
            }
        }
        // Columns past nc in the last panel.
        int tail = nc - (panelCount - 1) * nr;
        if (tail < nr) {
            int base = (panelCount - 1) * nr * kc;
            for (int p = 0; p < kc; p++) {
                Arrays.fill(panels, base + p * nr + tail, base + (p + 1) * nr, 0f);
            }
        }
    }
    /**
     * {@link #pack} for maps narrower than a panel, where a panel holds several image rows and
     * runs would be a few floats each: per panel and tap, a table gives each column's source
     * offset in channel 0 (or −1 outside the image), and each tap row is a gather from it.
     */
    private void packNarrow(int pc, int kc, int jc, int nc, int nr, float[] panels) {
        int hw = h * wd;
        int panelCount = (nc + nr - 1) / nr;
        int[] source = new int[9 * nr];
        for (int q = 0; q < panelCount; q++) {
            int cols = Math.min(nr, nc - q * nr);
            for (int j = 0; j < nr; j++) {
                int column = jc + q * nr + j;
                int b = column / hw;
                int s = column - b * hw;
                int row = s / wd;
                int col = s - row * wd;
                for (int t = 0; t < 9; t++) {
                    int sr = row + t / 3 - 1;
                    int sv = col + t % 3 - 1;
                    boolean inside = j < cols && sr >= 0 && sr < h && sv >= 0 && sv < wd;
                    source[t * nr + j] = inside ? off + b * c * hw + sr * wd + sv : -1;
                }
            }
            int base = q * nr * kc;
            for (int p = 0; p < kc; p++) {
                int tapRow = pc + p;
                int channel = tapRow / 9;
                int t = (tapRow - channel * 9) * nr;
                int plane = channel * hw;
                int dst = base + p * nr;
                for (int j = 0; j < nr; j++) {
                    int from = source[t + j];
                    panels[dst + j] = from < 0 ? 0f : x[from + plane];
                }
            }
        }
    }
    /**
     * {@link #pack} of the transpose: depth {@code p} runs over pixels, panel columns over tap
     * rows. The depth range is cut into runs of pixels inside one image row; for each tap row
     * (one panel column) a run is a shifted copy of a row of {@code x}, written down the panel
     * with stride {@code nr} (the panel, {@code kc·nr} floats, stays in L1).
     */
    private void packTransposed(int pc, int kc, int jc, int nc, int nr, float[] panels) {
        int hw = h * wd;
        int[] runStart = new int[kc];
        int[] runLen = new int[kc];
        int[] runImage = new int[kc];
        int[] runRow = new int[kc];
        int[] runCol = new int[kc];
        int runs = 0;
        for (int p = 0; p < kc; ) {
            int pixel = pc + p;
            int b = pixel / hw;
            int s = pixel - b * hw;
            int row = s / wd;
            int col = s - row * wd;
            int len = Math.min(kc - p, wd - col);
            runStart[runs] = p;
            runLen[runs] = len;
            runImage[runs] = off + b * c * hw;
            runRow[runs] = row;
            runCol[runs] = col;
            runs++;
            p += len;
        }
        int panelCount = (nc + nr - 1) / nr;
        for (int q = 0; q < panelCount; q++) {
            int base = q * nr * kc;
            for (int j = 0; j < nr; j++) {
                int tapRow = jc + q * nr + j;
                if (q * nr + j >= nc) {
                    for (int p = 0; p < kc; p++) {
                        panels[base + p * nr + j] = 0f;
                    }
                    continue;
                }
                int channel = tapRow / 9;
                int t = tapRow - channel * 9;
                int di = t / 3 - 1;
                int dj = t % 3 - 1;
                for (int r = 0; r < runs; r++) {
                    int dst = base + runStart[r] * nr + j;
                    int len = runLen[r];
                    int sr = runRow[r] + di;
                    if (sr < 0 || sr >= h) {
                        for (int u = 0; u < len; u++) {
                            panels[dst + u * nr] = 0f;
                        }
                        continue;
                    }
                    int v = runCol[r] + dj;
                    int lo = Math.max(0, -v);
                    int hi = Math.min(len, wd - v);
                    int src = runImage[r] + (channel * h + sr) * wd + v;
                    for (int u = 0; u < lo; u++) {
                        panels[dst + u * nr] = 0f;
                    }
                    for (int u = lo; u < hi; u++) {
                        panels[dst + u * nr] = x[src + u];
                    }
                    for (int u = Math.max(lo, hi); u < len; u++) {
                        panels[dst + u * nr] = 0f;
                    }
                }
            }
        }
    }
}
