package ntklc.linalg;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import ntklc.tensor.CpuCaches;
import ntklc.tensor.Parallel;

/**
 * Two-stage reduction of a symmetric matrix to tridiagonal form, for eigenvalues only:
 * {@code A = Q₁ B Q₁ᵀ} with B banded (half-bandwidth {@link #BAND}), then {@code B = Q₂ T Q₂ᵀ}
 * with T tridiagonal; neither Q is kept, so T has the eigenvalues of A.
 *
 * <p>Why: the one-stage reduction ({@link SymmetricEigen#tridiagonalize}) spends half its
 * {@code 4n³/3} flops in symmetric matrix–vector products, one per column, each streaming the
 * whole trailing matrix from memory. Reducing to a band first needs no matrix–vector product:
 * every trailing update is a product with {@code BAND} columns ({@link Gemm}), bound by
 * arithmetic rather than memory bandwidth. The band is then chased down to tridiagonal form
 * in {@code O(BAND·n²)} flops on small windows that stay in cache. This is the successive band
 * reduction of Bischof, Lang &amp; Sun, "A framework for symmetric band reduction", ACM TOMS
 * 26(4), 2000 (stage 1: their dense-to-band step; stage 2: Lang's bulge chasing, one Householder
 * reflector per column of each bulge), as in LAPACK {@code dsytrd_2stage} (without its vectors).
 *
 * <p>Storage: stage 1 works on the upper triangle of the n×n row-major matrix (the lower one is
 * neither read nor kept up to date), stage 2 on a compact copy of the band ({@link BandStore}).
 */
final class TwoStageTridiagonal {
    /** Half-bandwidth b of the intermediate band matrix (entries with {@code |i − j| > b} vanish). */
    static final int BAND = 32;

    private TwoStageTridiagonal() {
    }

    /**
     * Reduces the symmetric {@code a} (row-major n×n, upper triangle read) to tridiagonal form:
     * {@code d} gets the diagonal, {@code e[i]} the coupling of i and i+1 ({@code e[n−1] = 0}).
     * {@code a} (it ends as the band matrix of stage 1), {@code d}, {@code e} are Modified.
     */
    static void reduce(double[] a, int n, double[] d, double[] e, int band) {
        toBand(a, n, band);
        chase(a, n, band, d, e);
    }

    /**
     * Stage 1: {@code A ← Q₁ᵀ A Q₁} banded. For each panel of b columns {@code k0…k0+b−1} the
     * rows below the band are reduced by b Householder reflectors (a QR factorisation of the
     * {@code m×b} panel, computed on its transpose, which is contiguous), gathered in compact WY
     * form {@code Q = I − V T Vᵀ} (Golub &amp; Van Loan, §5.1.7), and the trailing {@code m×m}
     * block is updated as {@code A₂₂ ← Qᵀ A₂₂ Q = A₂₂ − W Vᵀ − V Wᵀ} with {@code X = A₂₂ V T},
     * {@code W = X − ½ V (Tᵀ Vᵀ X)} (LAPACK {@code dsytrd_sy2sb}): two matrix products of depth
     * b and one of depth 2b; the first, {@code A₂₂ V}, reads only the upper triangle
     * ({@link #symmetricTimes}). Look-ahead (as in LAPACK's panel factorisations): the next
     * panel's rows are updated and factored first, and the rest of the update is applied block by
     * block, each block multiplied by the next V while in cache, so the trailing matrix is
     * streamed once per panel instead of twice. Only the upper triangle of {@code a} is read and,
     * banded, valid on return. {@code a} is Modified.
     */
    static void toBand(double[] a, int n, int b) {
        Panel panel = Panel.factor(a, n, 0, b);
        if (panel == null) {
            return;
        }
        double[] av = symmetricTimes(a, n, panel.r0, panel.v, panel.nr, null);
        while (true) {
            Update update = Update.of(panel, av);
            int r0 = panel.r0;
            int m = n - r0;
            int r1 = r0 + b;
            if (n - r1 < 2) {
                // No panel after this one: A₂₂ −= W Vᵀ + V Wᵀ by blocks of COLUMNS columns, each from
                // the first row to the end of its diagonal block (the upper triangle and the diagonal
                // blocks).
                for (int cb = 0; cb < m; cb += COLUMNS) {
                    int cols = Math.min(COLUMNS, m - cb);
                    Gemm.multiplyAdd(cb + cols, cols, update.depth, update.left, 0, update.depth, update.right, cb, m,
                            a, r0 * n + r0 + cb, n);
                }
                return;
            }
            // Look-ahead: update the next panel's b rows first and factor it, then update the rest
            // of the trailing matrix block by block, multiplying each updated block by the next V
            // while it is in cache, so that the matrix is streamed once per panel, not twice.
            Gemm.multiplyAdd(b, m, update.depth, update.left, 0, update.depth, update.right, 0, m, a, r0 * n + r0, n);
            Panel next = Panel.factor(a, n, r0, b);
            av = symmetricTimes(a, n, r1, next.v, next.nr, update);
            panel = next;
        }
    }

    /**
     * The reflectors of one panel, columns {@code k0…k0+b−1}: {@code v} (m×nr, column c = v_c,
     * zero above row c, 1 at c), its transpose {@code vt}, their compact WY factor {@code t},
     * acting on rows and columns {@code r0 = k0 + b … n−1} ({@code m = n − r0}).
     */
    private record Panel(int r0, int m, int nr, double[] v, double[] vt, double[] t) {
        /**
         * QR factorisation of the panel's rows {@code k0…k0+b−1}, columns {@code r0…} (the
         * panel's transpose, which is contiguous): the rows are reduced to the band in place and
         * the reflectors returned; {@code null} when there is nothing to reduce. {@code a} is
         * Modified.
         */
        static Panel factor(double[] a, int n, int k0, int b) {
            int r0 = k0 + b;
            int m = n - r0;
            int nr = Math.min(b, m - 1);
            if (nr <= 0) {
                return null;
            }
            double[] vt = new double[nr * m];
            double[] tau = new double[nr];
            for (int c = 0; c < nr; c++) {
                int row = (k0 + c) * n + r0;
                double t = SymmetricEigen.householder(a, row + c, m - c);
                tau[c] = t;
                vt[c * m + c] = 1;
                System.arraycopy(a, row + c + 1, vt, c * m + c + 1, m - c - 1);
                Arrays.fill(a, row + c + 1, row + m, 0);
                if (t != 0) {
                    // Later panel rows: P[c′, c…] ← P[c′, c…] (I − τ v vᵀ).
                    for (int cp = c + 1; cp < b; cp++) {
                        int rp = (k0 + cp) * n + r0;
                        double s = t * Simd.dot(a, rp + c, vt, c * m + c, m - c);
                        Simd.axpy(-s, vt, c * m + c, a, rp + c, m - c);
                    }
                }
            }
            double[] v = new double[m * nr];
            for (int c = 0; c < nr; c++) {
                for (int i = c; i < m; i++) {
                    v[i * nr + c] = vt[c * m + i];
                }
            }
            return new Panel(r0, m, nr, v, vt, SymmetricEigen.compactWyFactor(vt, m, tau, nr));
        }
    }

    /**
     * The trailing update of one panel, {@code A₂₂ −= W Vᵀ + V Wᵀ = left · right} with
     * {@code left = [−W −V]} (m×depth) and {@code right = [V W]ᵀ} (depth×m), {@code depth = 2·nr},
     * rows and columns counted from the panel's {@code r0}.
     */
    private record Update(double[] left, double[] right, int depth, int m) {
        /** From the panel and {@code A₂₂ V}: {@code X = A₂₂ V T}, {@code W = X − ½ V (Tᵀ Vᵀ X)}. */
        static Update of(Panel p, double[] av) {
            int m = p.m;
            int nr = p.nr;
            double[] t = p.t;
            double[] x = new double[m * nr];
            Gemm.multiplyAdd(m, nr, nr, av, 0, nr, t, 0, nr, x, 0, nr);
            // M = Tᵀ Vᵀ X = Tᵀ (Vᵀ A V) T, symmetric; W = X − ½ V M.
            double[] vtx = new double[nr * nr];
            Gemm.multiplyAdd(nr, nr, m, p.vt, 0, m, x, 0, nr, vtx, 0, nr);
            double[] half = new double[nr * nr];
            for (int i = 0; i < nr; i++) {
                for (int j = 0; j < nr; j++) {
                    double s = 0;
                    for (int q = 0; q <= i; q++) {
                        s += t[q * nr + i] * vtx[q * nr + j];
                    }
                    half[i * nr + j] = -0.5 * s;
                }
            }
            Gemm.multiplyAdd(m, nr, nr, p.v, 0, nr, half, 0, nr, x, 0, nr);
            int depth = 2 * nr;
            double[] left = new double[m * depth];
            double[] right = new double[depth * m];
            for (int i = 0; i < m; i++) {
                for (int c = 0; c < nr; c++) {
                    left[i * depth + c] = -x[i * nr + c];
                    left[i * depth + nr + c] = -p.v[i * nr + c];
                    right[c * m + i] = p.v[i * nr + c];
                    right[(nr + c) * m + i] = x[i * nr + c];
                }
            }
            return new Update(left, right, depth, m);
        }

        /**
         * Applies the update to the block of {@code rows × cols} at rows {@code r0 + i0}, columns
         * {@code r0 + j0} of {@code a}, whose index in the update's own frame is {@code shift}
         * further on. {@code a} is Modified.
         */
        void apply(double[] a, int n, int r0, int shift, int i0, int j0, int rows, int cols) {
            Gemm.multiplyAdd(rows, cols, depth, left, (shift + i0) * depth, depth, right, shift + j0, m, a,
                    (r0 + i0) * n + r0 + j0, n);
        }
    }

    /**
     * Side of the square blocks of {@link #symmetricTimes}: a block of doubles fills a quarter of
     * the L2 cache the OS reports ({@code √(L2/32)}, a multiple of 8 within [32, 512]), so that it
     * stays there between its update and its two products; 128 with a 512 KiB L2 (on the 2-core
     * AMD EPYC, 64, 192 and 256 ran no faster).
     */
    static final int SYMMETRIC_BLOCK =
            Math.max(32, Math.min(512, (int) Math.sqrt(CpuCaches.current().l2() / (4.0 * Double.BYTES)) / 8 * 8));

    /**
     * {@code X = A₂₂·V} for the symmetric trailing block {@code A₂₂} (rows and columns
     * {@code r0…n−1} of {@code a}) of which only the upper triangle is read; {@code v} is
     * {@code m×nr} row-major, {@code m = n − r0}, and so is the result. By square blocks of
     * {@link #SYMMETRIC_BLOCK}: an off-diagonal block {@code A_IJ} (I &lt; J) contributes
     * {@code A_IJ V_J} to {@code X_I} and {@code A_IJᵀ V_I} to {@code X_J} while it is in cache, a
     * diagonal block is mirrored into a scratch square first (LAPACK {@code dsymm}'s idea, by
     * blocks). So every entry of the trailing matrix is read once, not twice as by a product with
     * the full square, and no lower triangle has to be kept: the product is bound by memory
     * bandwidth (32 multiply–adds per entry read), and on the 2-core AMD EPYC it took 0.20–0.24 s
     * of the 0.55–0.69 s of {@link #toBand} at n = 2000 on the full square, plus 0.06 s to mirror
     * the upper triangle after each update. Block rows are dealt to the threads in turn (thread c
     * takes rows c, c + threads, …), each thread adding into its own X, and the parts are summed in
     * thread order: a fixed assignment, so that the result does not depend on which thread ran
     * first (taking rows from a shared counter made the eigenvalues differ in the last bits from
     * run to run).
     *
     * <p>With {@code update}, each block is first updated ({@link Update#apply}) and then
     * multiplied while still in cache: {@link #toBand}'s look-ahead.
     */
    static double[] symmetricTimes(double[] a, int n, int r0, double[] v, int nr, Update update) {
        int m = n - r0;
        // rows of the update's left and columns of its right start at its own panel's r0
        int shift = update == null ? 0 : update.m - m;
        int bs = SYMMETRIC_BLOCK;
        int blocks = (m + bs - 1) / bs;
        int threads = blocks < 4 ? 1 : Parallel.threads();
        double[][] parts = new double[threads][];
        Parallel.forRange(threads, 1, (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                double[] x = new double[m * nr];
                double[] diagonal = new double[bs * bs];
                for (int bi = c; bi < blocks; bi += threads) {
                    int i0 = bi * bs;
                    int rows = Math.min(bs, m - i0);
                    if (update != null) {
                        update.apply(a, n, r0, shift, i0, i0, rows, rows);
                    }
                    for (int i = 0; i < rows; i++) {
                        int row = (r0 + i0 + i) * n + r0 + i0;
                        for (int j = i; j < rows; j++) {
                            diagonal[i * rows + j] = a[row + j];
                            diagonal[j * rows + i] = a[row + j];
                        }
                    }
                    Gemm.multiplyAdd(rows, nr, rows, diagonal, 0, rows, v, i0 * nr, nr, x, i0 * nr, nr);
                    for (int j0 = i0 + rows; j0 < m; j0 += bs) {
                        int cols = Math.min(bs, m - j0);
                        int block = (r0 + i0) * n + r0 + j0;
                        if (update != null) {
                            update.apply(a, n, r0, shift, i0, j0, rows, cols);
                        }
                        Gemm.multiplyAdd(rows, nr, cols, a, block, n, v, j0 * nr, nr, x, i0 * nr, nr);
                        Gemm.multiplyAddTransA(cols, nr, rows, a, block, n, v, i0 * nr, nr, x, j0 * nr, nr);
                    }
                }
                parts[c] = x;
            }
        });
        double[] x = parts[0];
        for (int c = 1; c < threads; c++) {
            Simd.axpy(1, parts[c], 0, x, 0, m * nr);
        }
        return x;
    }

    /** Columns per block of the trailing update's upper trapezoid. */
    private static final int COLUMNS = 256;

    /**
     * Stage 2: chases the band (half-bandwidth b) of the symmetric {@code a} (upper triangle read)
     * down to tridiagonal form, on a compact copy ({@link BandStore}) and, with more than one
     * thread, with consecutive sweeps pipelined over the threads. Returns the diagonal in
     * {@code d}, the off-diagonal in {@code e} ({@code e[n−1] = 0}); {@code a} is not modified.
     *
     * <p>Sweep j annihilates column j below its subdiagonal with one reflector on rows
     * {@code j+1…j+b}; applying it from the right fills a b×b bulge below the band, whose first
     * column is annihilated by the next reflector b rows further down, and so on to the bottom
     * (the rest of each bulge is annihilated by the following sweep). Step s of sweep j reads and
     * writes only indices {@code p−b…p+2b−1}, {@code p = j+1+s·b}, so step s of sweep j may run once
     * sweep j−1 has finished its steps up to s+3 and concurrently with its later steps.
     */
    static void chase(double[] a, int n, int b, double[] d, double[] e) {
        BandStore band = new BandStore(n, b);
        for (int i = 0; i < n; i++) {
            for (int j = Math.max(0, i - b); j <= Math.min(n - 1, i + b); j++) {
                band.data[band.index(i, j)] = a[Math.min(i, j) * n + Math.max(i, j)];
            }
        }
        int sweeps = Math.max(0, n - 2);
        AtomicInteger next = new AtomicInteger();
        AtomicIntegerArray progress = new AtomicIntegerArray(Math.max(1, sweeps));
        int threads = n < PARALLEL_MIN_N ? 1 : Parallel.threads();
        Parallel.forRange(threads, 1, (t0, t1) -> {
            double[] v = new double[b];
            double[] w = new double[3 * b];
            for (int j = next.getAndIncrement(); j < sweeps; j = next.getAndIncrement()) {
                sweep(band, j, v, w, progress);
            }
        });
        for (int i = 0; i < n; i++) {
            d[i] = band.data[band.index(i, i)];
            e[i] = i + 1 < n ? band.data[band.index(i, i + 1)] : 0;
        }
    }

    /** From this order on the bulge chasing is pipelined over the threads. */
    private static final int PARALLEL_MIN_N = 512;

    /**
     * Sweep j of the bulge chasing (see {@link #chase}); before each step waits until sweep j−1
     * is far enough ahead, after each step publishes its own progress. {@code band} is Modified.
     */
    private static void sweep(BandStore band, int j, double[] v, double[] w, AtomicIntegerArray progress) {
        int n = band.n;
        int b = band.b;
        double[] x = band.data;
        int col = j;
        int s = 0;
        for (int p0 = j + 1; p0 < n - 1; p0 += b, s++) {
            if (j > 0) {
                awaitProgress(progress, j - 1, s + 4);
            }
            int p1 = Math.min(p0 + b - 1, n - 1);
            int len = p1 - p0 + 1;
            int rowCol = band.index(col, p0);
            double t = SymmetricEigen.householder(x, rowCol, len);
            if (t != 0) {
                v[0] = 1;
                System.arraycopy(x, rowCol + 1, v, 1, len - 1);
                Arrays.fill(x, rowCol + 1, rowCol + len, 0);
                x[band.index(p0, col)] = x[rowCol];
                for (int i = p0 + 1; i <= p1; i++) {
                    x[band.index(i, col)] = 0;
                }
                applyTwoSided(band, p0, len, v, t, col + 1, Math.min(n - 1, p1 + b), w);
            }
            col = p0;
            progress.set(j, s + 1);
        }
        progress.set(j, Integer.MAX_VALUE);
    }

    /** Spins (then yields) until {@code progress[j] ≥ steps}. */
    private static void awaitProgress(AtomicIntegerArray progress, int j, int steps) {
        int spins = 0;
        while (progress.get(j) < steps) {
            if (++spins < 1 << 10) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    /**
     * {@code A ← H A H}, {@code H = I − τ v vᵀ} acting on indices {@code p0…p0+len−1}, restricted
     * to the rows and columns {@code lo…hi} (everything else in those rows and columns is zero),
     * as the symmetric rank-2 update {@code A ← A − v zᵀ − z vᵀ}, {@code y = A v},
     * {@code z = τ y − ½ τ² (vᵀ y) v} (Golub &amp; Van Loan §8.3.1): y from the rows of A at the
     * reflector's indices (A is symmetric), then those rows and those columns updated.
     * {@code band}, {@code w} (scratch, y then z) are Modified.
     */
    private static void applyTwoSided(BandStore band, int p0, int len, double[] v, double t, int lo, int hi,
                                      double[] w) {
        double[] x = band.data;
        int width = hi - lo + 1;
        Arrays.fill(w, 0, width, 0);
        for (int q = 0; q < len; q++) {
            Simd.axpy(v[q], x, band.index(p0 + q, lo), w, 0, width);
        }
        int at = p0 - lo;
        double vy = Simd.dot(v, 0, w, at, len);
        for (int c = 0; c < width; c++) {
            w[c] *= t;
        }
        Simd.axpy(-0.5 * t * vy * t, v, 0, w, at, len);
        for (int q = 0; q < len; q++) {
            Simd.axpy(-v[q], w, 0, x, band.index(p0 + q, lo), width);
        }
        for (int r = lo; r <= hi; r++) {
            Simd.axpy(-w[r - lo], v, 0, x, band.index(r, p0), len);
        }
    }

    /**
     * The entries {@code |i − j| ≤ 2b} of an n×n matrix, row by row: {@code A_ij} at
     * {@code data[i·(4b+1) + j − i + 2b]}. During the chase no entry farther than {@code 2b − 1}
     * from the diagonal is ever non-zero (band b plus one bulge), so rows and the windows of
     * {@link #applyTwoSided} are contiguous, and the whole band takes {@code (4b+1)·n} doubles.
     */
    private static final class BandStore {
        final int n;
        final int b;
        final int ld;
        final double[] data;

        BandStore(int n, int b) {
            this.n = n;
            this.b = b;
            this.ld = 4 * b + 1;
            this.data = new double[Math.multiplyExact(n, ld)];
        }

        int index(int i, int j) {
            return i * ld + j - i + 2 * b;
        }
    }
}
