package ntklc.linalg;

import java.util.Arrays;
import java.util.SplittableRandom;

import ntklc.tensor.Parallel;

/**
 * Eigenvalues and (some) eigenvectors of a real symmetric matrix: {@code A = U Λ Uᵀ}.
 *
 * <p>Three stages, all in double precision:
 * <ol>
 *   <li><b>Householder tridiagonalisation</b> {@code A = Q T Qᵀ}, {@code Q = H_0 H_1 ⋯ H_{n−2}},
 *       {@code H_k = I − τ_k v_k v_kᵀ} with {@code v_k} zero before index {@code k+1} and
 *       {@code v_k[k+1] = 1} (Golub &amp; Van Loan, <i>Matrix Computations</i>, 4th ed., §8.3.1,
 *       Algorithm 8.3.1). It is blocked as LAPACK's {@code dsytrd}/{@code dlatrd}: within a panel
 *       of {@link #NB} reflectors the trailing matrix is left untouched and each symmetric
 *       matrix–vector product is corrected by the panel's {@code V}, {@code W}; after the panel
 *       one rank-2·NB update {@code A ← A − V Wᵀ − W Vᵀ} is applied as a matrix product
 *       ({@link Gemm}) on the upper trapezoid.
 *       Only the upper triangle (row-major) is read and written. For eigenvalues only (from
 *       n = {@link #GEMM_UPDATE_MIN_N}), where Q is not needed, the two-stage reduction of
 *       {@link TwoStageTridiagonal} (dense to band by matrix products, then bulge chasing)
 *       replaces it: no memory-bound matrix–vector products.</li>
 *   <li><b>Implicit QL</b> with Wilkinson-type shifts on {@code T} (EISPACK {@code tql1}/
 *       {@code tql2}: Bowdler, Martin, Reinsch &amp; Wilkinson, Numer. Math. 11 (1968) 293–306,
 *       as transcribed in the public-domain JAMA library; Golub &amp; Van Loan §8.3.5). Values only
 *       costs O(n²).</li>
 *   <li><b>Eigenvectors only as requested.</b> For a few vectors (spectra need all eigenvalues
 *       but only the leading eigenvectors): inverse iteration on {@code T − λI} (LU with partial
 *       pivoting, as LAPACK {@code dstein}), re-orthogonalised against earlier vectors of the same
 *       cluster, then back-transformation {@code u = Q z} (O(n²) per vector). For many vectors:
 *       divide and conquer on T ({@link TridiagonalDivideConquer}, LAPACK {@code dstedc}), whose
 *       flops are matrix products, then all requested vectors back-transformed by blocks of
 *       reflectors in compact WY form ({@link #backTransformBlocked}, LAPACK {@code dormtr}),
 *       again as matrix products ({@link Gemm}).</li>
 * </ol>
 * The input is scaled by {@code 1/max|A_ij|} first and the eigenvalues scaled back, so tiny and
 * huge matrices neither underflow nor overflow.
 *
 * <p>Refuse rather than guess: a non-square, non-finite, or non-symmetric input (beyond
 * {@code |A_ij − A_ji| ≤ }{@link #SYMMETRY_TOLERANCE}{@code ·max|A|}) is an
 * {@link IllegalArgumentException}.
 */
public final class SymmetricEigen {
    /** Relative tolerance of the symmetry check: {@code |A_ij − A_ji| ≤ 1e−10·max|A|}. */
    public static final double SYMMETRY_TOLERANCE = 1e-10;
    /**
     * From this order on the reduction of the full matrix uses matrix products even for
     * eigenvalues only (the GEMM trailing update; for no vectors at all the two-stage reduction).
     */
    static final int GEMM_UPDATE_MIN_N = 1024;
    /** Panel width of the blocked tridiagonalisation. */
    static final int NB = 32;
    /** Above this many requested vectors (as a fraction of n), divide and conquer beats inverse iteration. */
    private static final double INVERSE_ITERATION_FRACTION = 0.1;
    private static final double EPS = Math.ulp(1.0);

    private SymmetricEigen() {
    }

    /** All eigenvalues, in decreasing order. {@code a} is not modified. */
    public static double[] eigenvalues(Matrix a) {
        return decompose(a, 0).values();
    }

    /** All eigenvalues and all eigenvectors ({@code vectors} is the n×n orthogonal U). */
    public static Eigen full(Matrix a) {
        return decompose(a, a.rows());
    }

    /**
     * All eigenvalues (decreasing) and the eigenvectors of the {@code k} largest.
     *
     * @param a symmetric {@code n×n}; not modified
     * @param k number of leading eigenvectors, {@code 0 ≤ k ≤ n}
     */
    public static Eigen decompose(Matrix a, int k) {
        a.requireSquare("SymmetricEigen");
        int n = a.rows();
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("SymmetricEigen: asked for " + k + " eigenvectors of a " + a.shapeString()
                    + " matrix");
        }
        if (!a.isFinite()) {
            throw new IllegalArgumentException("SymmetricEigen: matrix has NaN or infinite entries");
        }
        a.requireSymmetric("SymmetricEigen", SYMMETRY_TOLERANCE);
        double scale = a.maxAbs();
        if (scale == 0) {
            Matrix u = Matrix.zeros(n, k);
            for (int j = 0; j < k; j++) {
                u.set(j, j, 1);
            }
            return new Eigen(new double[n], u);
        }
        double[] w = a.data().clone();
        for (int i = 0; i < w.length; i++) {
            w[i] /= scale;
        }
        double[] d = new double[n];
        double[] e = new double[n];
        double[] tau = new double[n];
        // NOTE: the GEMM trailing update halves the reduction's time once the JIT has compiled
        // Gemm, but compiling it costs about a second in a fresh JVM (see Gemm). The full path
        // needs Gemm anyway; values and a few vectors keep the row update on small matrices, where
        // that second would dominate. From n = GEMM_UPDATE_MIN_N on the reduction alone takes
        // longer than that (n = 2000 on the 2-core AMD EPYC, loaded: GEMM update 14.5 s against
        // 17.9 s by rows, medians of 5 alternating runs).
        boolean many = k > Math.max(2, INVERSE_ITERATION_FRACTION * n);
        if (k == 0 && n >= GEMM_UPDATE_MIN_N) {
            // Values only: no Q is needed, so the two-stage reduction (all matrix products, then
            // bulge chasing on the band) replaces the memory-bound one-stage one.
            TwoStageTridiagonal.reduce(w, n, d, e, TwoStageTridiagonal.BAND);
            ql(d, e, null);
            sortDescending(d, null);
            for (int i = 0; i < n; i++) {
                d[i] *= scale;
            }
            return new Eigen(d, Matrix.zeros(n, 0));
        }
        tridiagonalize(w, n, d, e, tau, many || n >= GEMM_UPDATE_MIN_N);
        double[][] z;
        double[] values;
        if (k == 0) {
            values = d.clone();
            ql(values, e.clone(), null);
            sortDescending(values, null);
            z = new double[0][];
        } else if (!many) {
            values = d.clone();
            ql(values, e.clone(), null);
            sortDescending(values, null);
            z = inverseIteration(d, e, values, k);
        } else {
            // Many vectors: divide and conquer on T, then U = Q·Z by blocked reflectors.
            double[] dc = d.clone();
            double[] q = new double[n * n];
            TridiagonalDivideConquer.solve(dc, e, q);
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (x, y) -> Double.compare(dc[y], dc[x]));
            values = new double[n];
            for (int i = 0; i < n; i++) {
                values[i] = dc[order[i]];
            }
            int[] leading = new int[k];
            for (int c = 0; c < k; c++) {
                leading[c] = order[c];
            }
            double[] zc = new double[n * k];
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < k; c++) {
                    zc[i * k + c] = q[i * n + leading[c]];
                }
            }
            backTransformBlocked(w, n, tau, zc, k);
            Matrix u = Matrix.wrap(zc, n, k);
            fixSignsOfColumns(zc, n, k);
            for (int i = 0; i < n; i++) {
                values[i] *= scale;
            }
            return new Eigen(values, u);
        }
        backTransform(w, n, tau, z);
        Matrix u = Matrix.zeros(n, k);
        for (int j = 0; j < k; j++) {
            fixSign(z[j]);
            for (int i = 0; i < n; i++) {
                u.set(i, j, z[j][i]);
            }
        }
        for (int i = 0; i < n; i++) {
            values[i] *= scale;
        }
        return new Eigen(values, u);
    }

    /**
     * Operator (spectral) norm {@code ‖A‖ = max_i |λ_i|} of a symmetric matrix (eigenvalues only,
     * O(n³) for the tridiagonalisation). Not modified.
     */
    public static double operatorNorm(Matrix a) {
        double[] v = eigenvalues(a);
        return v.length == 0 ? 0 : Math.max(Math.abs(v[0]), Math.abs(v[v.length - 1]));
    }

    // ---------------------------------------------------------------------------------------------
    // Stage 1: blocked Householder tridiagonalisation.

    /**
     * Reduces the symmetric {@code a} (row-major n×n, upper triangle used) to tridiagonal form.
     * On return {@code d} holds the diagonal of T, {@code e[i]} couples {@code i} and {@code i+1}
     * ({@code e[n−1] = 0}), {@code tau[k]} and row {@code k} of {@code a} (entries {@code k+1…n−1})
     * hold the reflector {@code H_k}. {@code a}, {@code d}, {@code e}, {@code tau} are Modified.
     * {@code gemmUpdate} picks the trailing update: {@link #trailingUpdate} (GEMM) or
     * {@link #trailingUpdateByRows}; both compute the same matrix up to rounding.
     */
    static void tridiagonalize(double[] a, int n, double[] d, double[] e, double[] tau, boolean gemmUpdate) {
        double[][] vp = new double[NB][n];
        double[][] wp = new double[NB][n];
        double[] y = new double[n];
        for (int k0 = 0; k0 < n - 1; k0 += NB) {
            int nb = Math.min(NB, n - 1 - k0);
            for (int j = 0; j < nb; j++) {
                int k = k0 + j;
                int rowK = k * n;
                // Lazy update of row k by the panel's earlier reflectors: A_kc −= V_ik W_ic + W_ik V_ic.
                for (int i = 0; i < j; i++) {
                    Simd.rank2(vp[i][k], wp[i], k, wp[i][k], vp[i], k, a, rowK + k, n - k);
                }
                d[k] = a[rowK + k];
                int m = n - k - 1;
                double t = householder(a, rowK + k + 1, m);
                e[k] = a[rowK + k + 1];
                a[rowK + k + 1] = 1;
                tau[k] = t;
                double[] v = vp[j];
                double[] wj = wp[j];
                Arrays.fill(v, 0, k + 1, 0);
                System.arraycopy(a, rowK + k + 1, v, k + 1, m);
                Arrays.fill(wj, 0);
                if (t == 0) {
                    continue;
                }
                // y = A22·v on the panel-start matrix, corrected by the panel: y −= V(Wᵀv) + W(Vᵀv).
                symvUpper(a, n, k + 1, v, y);
                for (int i = 0; i < j; i++) {
                    double wv = Simd.dot(wp[i], k + 1, v, k + 1, m);
                    double vv = Simd.dot(vp[i], k + 1, v, k + 1, m);
                    Simd.rank2(wv, vp[i], k + 1, vv, wp[i], k + 1, y, k + 1, m);
                }
                // w = τ y − (τ²/2)(yᵀv) v, so that H A H = A − v wᵀ − w vᵀ.
                double yv = Simd.dot(y, k + 1, v, k + 1, m);
                double alpha = -0.5 * t * t * yv;
                for (int c = k + 1; c < n; c++) {
                    wj[c] = t * y[c] + alpha * v[c];
                }
            }
            if (gemmUpdate) {
                trailingUpdate(a, n, k0 + nb, nb, vp, wp);
            } else {
                trailingUpdateByRows(a, n, k0 + nb, nb, vp, wp);
            }
        }
        d[n - 1] = a[(n - 1) * n + n - 1];
        e[n - 1] = 0;
    }

    /** Rows per block of the trailing update's upper trapezoid. */
    private static final int TRAILING_ROWS = 128;

    /**
     * Trailing update of rows and columns {@code r0…n−1} after a panel of {@code nb} reflectors:
     * {@code A_rc −= Σ_i V_ir W_ic + W_ir V_ic} (LAPACK {@code dsyr2k} in {@code dsytrd}), as
     * the product {@code −[V W]·[W V]ᵀ} ({@link Gemm}) over blocks of {@link #TRAILING_ROWS}
     * rows, each from its diagonal to the last column: the upper triangle plus the lower half of
     * the diagonal blocks, which is never read. {@code a} is Modified.
     */
    private static void trailingUpdate(double[] a, int n, int r0, int nb, double[][] vp, double[][] wp) {
        int len = n - r0;
        if (len <= 0) {
            return;
        }
        int depth = 2 * nb;
        double[] left = new double[len * depth];
        double[] right = new double[depth * len];
        for (int i = 0; i < nb; i++) {
            for (int r = 0; r < len; r++) {
                left[r * depth + i] = -vp[i][r0 + r];
                left[r * depth + nb + i] = -wp[i][r0 + r];
            }
            System.arraycopy(wp[i], r0, right, i * len, len);
            System.arraycopy(vp[i], r0, right, (nb + i) * len, len);
        }
        for (int rb = 0; rb < len; rb += TRAILING_ROWS) {
            int rows = Math.min(TRAILING_ROWS, len - rb);
            Gemm.multiplyAdd(rows, len - rb, depth, left, rb * depth, depth, right, rb, len, a, (r0 + rb) * n + r0 + rb, n);
        }
    }

    /**
     * The same trailing update as {@link #trailingUpdate}, row by row, two reflectors per pass
     * ({@link Simd#rank4}), rows split over threads by equal work: slower once compiled, but
     * needing no {@link Gemm}. {@code a} is Modified.
     */
    private static void trailingUpdateByRows(double[] a, int n, int r0, int nb, double[][] vp, double[][] wp) {
        if (r0 >= n) {
            return;
        }
        int threads = (n - r0) < 128 ? 1 : Parallel.threads();
        Parallel.forRange(threads, 1, (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                int from = balancedBoundary(r0, n, c, threads);
                int to = balancedBoundary(r0, n, c + 1, threads);
                for (int r = from; r < to; r++) {
                    int i = 0;
                    for (; i + 1 < nb; i += 2) {
                        Simd.rank4(vp[i][r], wp[i], r, wp[i][r], vp[i], r, vp[i + 1][r], wp[i + 1], r, wp[i + 1][r],
                                vp[i + 1], r, a, r * n + r, n - r);
                    }
                    for (; i < nb; i++) {
                        Simd.rank2(vp[i][r], wp[i], r, wp[i][r], vp[i], r, a, r * n + r, n - r);
                    }
                }
            }
        });
    }

    /**
     * Householder vector for {@code x = a[off … off+m−1]} (LAPACK {@code dlarfg}): on return
     * {@code a[off] = β} and {@code a[off+1 …]} holds {@code v[1 …]} (with {@code v[0] = 1}
     * implicit), such that {@code (I − τ v vᵀ) x = β e_0}. Returns τ (0 when x is already a
     * multiple of {@code e_0}).
     */
    static double householder(double[] a, int off, int m) {
        if (m <= 1) {
            return 0;
        }
        double alpha = a[off];
        double xnorm = norm(a, off + 1, m - 1);
        if (xnorm == 0) {
            return 0;
        }
        double beta = -Math.copySign(Math.hypot(alpha, xnorm), alpha);
        double t = (beta - alpha) / beta;
        double s = 1 / (alpha - beta);
        for (int i = off + 1; i < off + m; i++) {
            a[i] *= s;
        }
        a[off] = beta;
        return t;
    }

    private static double norm(double[] x, int off, int len) {
        double scale = 0;
        for (int i = off; i < off + len; i++) {
            scale = Math.max(scale, Math.abs(x[i]));
        }
        if (scale == 0) {
            return 0;
        }
        double s = 0;
        for (int i = off; i < off + len; i++) {
            double r = x[i] / scale;
            s += r * r;
        }
        return scale * Math.sqrt(s);
    }

    /**
     * {@code y[s…n−1] = A[s…, s…]·v[s…]} for symmetric A of which only the upper triangle is
     * read: row r contributes its dot product to {@code y_r} and, mirrored, {@code A_rc·v_r} to
     * {@code y_c} (c &gt; r), four rows per pass ({@link Simd#dotAndAxpy4}). Rows are split over
     * threads by equal work, each with its own accumulator. {@code y} is Modified.
     */
    private static void symvUpper(double[] a, int n, int s, double[] v, double[] y) {
        int threads = (n - s) < 256 ? 1 : Parallel.threads();
        double[][] parts = new double[threads][];
        Parallel.forRange(threads, 1, (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                double[] acc = new double[n];
                double[] dots = new double[4];
                double[] vr = new double[4];
                int from = balancedBoundary(s, n, c, threads);
                int to = balancedBoundary(s, n, c + 1, threads);
                int r = from;
                for (; r + 3 < to; r += 4) {
                    // Rows r…r+3 in one pass over columns r+4…; their 4×4 diagonal block apart.
                    for (int i = 0; i < 4; i++) {
                        int row = (r + i) * n;
                        acc[r + i] += a[row + r + i] * v[r + i];
                        for (int j = i + 1; j < 4; j++) {
                            acc[r + i] += a[row + r + j] * v[r + j];
                            acc[r + j] += a[row + r + j] * v[r + i];
                        }
                        vr[i] = v[r + i];
                    }
                    Simd.dotAndAxpy4(a, r * n + r + 4, n, v, r + 4, vr, acc, r + 4, n - r - 4, dots);
                    for (int i = 0; i < 4; i++) {
                        acc[r + i] += dots[i];
                    }
                }
                for (; r < to; r++) {
                    int row = r * n;
                    acc[r] += a[row + r] * v[r] + Simd.dotAndAxpy(a, row + r + 1, v, r + 1, v[r], acc, r + 1, n - r - 1);
                }
                parts[c] = acc;
            }
        });
        System.arraycopy(parts[0], s, y, s, n - s);
        for (int c = 1; c < threads; c++) {
            Simd.axpy(1, parts[c], s, y, s, n - s);
        }
    }

    /** Row where chunk {@code c} of {@code parts} starts, when row r of {@code [s, n)} costs {@code n − r}. */
    private static int balancedBoundary(int s, int n, int c, int parts) {
        if (c >= parts) {
            return n;
        }
        double frac = Math.sqrt(1 - (double) c / parts);
        return Math.max(s, Math.min(n, n - (int) Math.round((n - s) * frac)));
    }

    // ---------------------------------------------------------------------------------------------
    // Stage 2: implicit QL on the tridiagonal matrix.

    /** Below and above these, {@code x² + y²} could lose digits to underflow or overflow. */
    private static final double HYPOT_LOW = 0x1p-900;
    private static final double HYPOT_HIGH = 0x1p+900;

    /**
     * {@code √(x² + y²)} by one square root where the squares can neither overflow nor lose
     * digits to underflow (every QL rotation computes one; {@link Math#hypot} costs several
     * times more), else {@link Math#hypot}. Within about 1 ulp of it.
     */
    static double hypot(double x, double y) {
        double s = x * x + y * y;
        return s > HYPOT_LOW && s < HYPOT_HIGH ? Math.sqrt(s) : Math.hypot(x, y);
    }

    /**
     * Implicit QL iteration (EISPACK {@code tql2}, via JAMA) on the symmetric tridiagonal matrix
     * with diagonal {@code d} and off-diagonal {@code e} ({@code e[i]} couples i and i+1,
     * {@code e[n−1] = 0}). On return {@code d} holds the (unsorted) eigenvalues. When {@code zt}
     * is not null its rows are rotated along: rows {@code i, i+1} of {@code zt} are columns of the
     * accumulated orthogonal matrix, so starting from the identity, row i ends as the eigenvector
     * of {@code d[i]} in the tridiagonal basis. {@code d}, {@code e}, {@code zt} are Modified.
     *
     * @throws IllegalStateException if an eigenvalue needs more than 60 iterations
     */
    static void ql(double[] d, double[] e, double[][] zt) {
        int n = d.length;
        double f = 0;
        double tst1 = 0;
        Rotations rotations = zt == null ? null : new Rotations(n);
        for (int l = 0; l < n; l++) {
            tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
            int m = l;
            while (m < n - 1 && Math.abs(e[m]) > EPS * tst1) {
                m++;
            }
            if (m > l) {
                int iter = 0;
                do {
                    if (++iter > 60) {
                        throw new IllegalStateException("SymmetricEigen: QL did not converge for eigenvalue " + l);
                    }
                    // Shift from the leading 2×2 block.
                    double g = d[l];
                    double p = (d[l + 1] - g) / (2 * e[l]);
                    double r = hypot(p, 1);
                    if (p < 0) {
                        r = -r;
                    }
                    d[l] = e[l] / (p + r);
                    d[l + 1] = e[l] * (p + r);
                    double dl1 = d[l + 1];
                    double h = g - d[l];
                    for (int i = l + 2; i < n; i++) {
                        d[i] -= h;
                    }
                    f += h;
                    // One implicit QL sweep, bottom to top.
                    p = d[m];
                    double c = 1;
                    double c2 = 1;
                    double c3 = 1;
                    double el1 = e[l + 1];
                    double s = 0;
                    double s2 = 0;
                    if (rotations != null) {
                        rotations.startSweep(l, m);
                    }
                    for (int i = m - 1; i >= l; i--) {
                        c3 = c2;
                        c2 = c;
                        s2 = s;
                        g = c * e[i];
                        h = c * p;
                        r = hypot(p, e[i]);
                        e[i + 1] = s * r;
                        s = e[i] / r;
                        c = p / r;
                        p = c * d[i] - s * g;
                        d[i + 1] = h + s * (c * g + s * d[i]);
                        if (rotations != null) {
                            rotations.add(c, s);
                        }
                    }
                    p = -s * s2 * c3 * el1 * e[l] / dl1;
                    e[l] = s * p;
                    d[l] = c * p;
                } while (Math.abs(e[l]) > EPS * tst1);
            }
            d[l] += f;
            e[l] = 0;
        }
        if (rotations != null) {
            rotations.applyTo(zt);
        }
    }

    /**
     * The plane rotations of every QL sweep, recorded while (d, e) converge and applied to the
     * accumulated vectors afterwards. Applying them sweep by sweep would stream all n rows of
     * {@code zt} through memory once per sweep (O(n³) memory traffic); instead {@code zt} is cut
     * into column tiles of {@link #TILE} columns that stay in cache while every rotation of every
     * sweep is replayed on them, and tiles are spread over threads.
     */
    private static final class Rotations {
        static final int TILE = 32;
        private double[] c;
        private double[] s;
        private int size;
        private int[] sweepLow = new int[64];
        private int[] sweepHigh = new int[64];
        private int sweeps;

        Rotations(int n) {
            c = new double[Math.max(16, n * 4)];
            s = new double[c.length];
        }

        /** A sweep rotating row pairs (i, i+1) for i = m−1 down to l follows. */
        void startSweep(int l, int m) {
            if (sweeps == sweepLow.length) {
                sweepLow = Arrays.copyOf(sweepLow, 2 * sweeps);
                sweepHigh = Arrays.copyOf(sweepHigh, 2 * sweeps);
            }
            sweepLow[sweeps] = l;
            sweepHigh[sweeps] = m;
            sweeps++;
        }

        void add(double cos, double sin) {
            if (size == c.length) {
                c = Arrays.copyOf(c, 2 * size);
                s = Arrays.copyOf(s, 2 * size);
            }
            c[size] = cos;
            s[size] = sin;
            size++;
        }

        /**
         * Replays the rotations: {@code (z_i, z_{i+1}) ← (c z_i − s z_{i+1}, s z_i + c z_{i+1})}
         * (rows of zt are columns of the accumulated orthogonal matrix, as in EISPACK
         * {@code tql2}). {@code zt} is Modified.
         */
        void applyTo(double[][] zt) {
            int n = zt[0].length;
            int tiles = (n + TILE - 1) / TILE;
            Parallel.forRange(tiles, (long) size * n < 500_000 ? tiles : 1, (t0, t1) -> {
                for (int t = t0; t < t1; t++) {
                    int c0 = t * TILE;
                    int w = Math.min(TILE, n - c0);
                    int k = 0;
                    for (int sw = 0; sw < sweeps; sw++) {
                        Simd.rotationSweep(zt, sweepLow[sw], sweepHigh[sw], c, s, k, c0, w);
                        k += sweepHigh[sw] - sweepLow[sw];
                    }
                }
            });
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Stage 3: eigenvectors.

    /**
     * Eigenvectors of the tridiagonal {@code (d, e)} for the {@code k} largest of the (sorted,
     * decreasing) {@code values}, by inverse iteration (three steps from a fixed pseudo-random
     * start) with modified Gram–Schmidt against earlier vectors whose eigenvalues lie within
     * {@code 1e−3·‖T‖} (LAPACK {@code dstein}'s clustering rule). Returns {@code k} unit rows.
     */
    private static double[][] inverseIteration(double[] d, double[] e, double[] values, int k) {
        int n = d.length;
        double tnorm = 0;
        for (int i = 0; i < n; i++) {
            tnorm = Math.max(tnorm, Math.abs(d[i]) + Math.abs(e[i]) + (i > 0 ? Math.abs(e[i - 1]) : 0));
        }
        double pivmin = Math.max(EPS * tnorm, Double.MIN_NORMAL);
        double cluster = 1e-3 * tnorm;
        // NOTE: a fixed seed makes the start vector, hence the result, reproducible; any start
        // with a component along the wanted eigenvector works.
        SplittableRandom rng = new SplittableRandom(0x5eed);
        double[][] z = new double[k][];
        double[] dd = new double[n];
        double[] du = new double[n];
        double[] du2 = new double[n];
        double[] dl = new double[n];
        boolean[] swap = new boolean[n];
        for (int j = 0; j < k; j++) {
            double lambda = values[j];
            tridiagonalLu(d, e, lambda, pivmin, dd, du, du2, dl, swap);
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = rng.nextDouble() - 0.5;
            }
            int first = j;
            while (first > 0 && values[first - 1] - lambda <= cluster) {
                first--;
            }
            for (int it = 0; it < 3; it++) {
                tridiagonalSolve(dd, du, du2, dl, swap, x);
                for (int q = first; q < j; q++) {
                    Simd.axpy(-Simd.dot(z[q], 0, x, 0, n), z[q], 0, x, 0, n);
                }
                double nrm = norm(x, 0, n);
                for (int i = 0; i < n; i++) {
                    x[i] /= nrm;
                }
            }
            z[j] = x;
        }
        return z;
    }

    /**
     * LU factorisation with partial pivoting of {@code T − λI} (LAPACK {@code dgttrf}); pivots
     * smaller than {@code pivmin} are replaced by {@code pivmin}, which is what lets inverse
     * iteration run at an exact eigenvalue. Outputs Modified: {@code dd} (U diagonal), {@code du},
     * {@code du2} (U's first and second superdiagonals), {@code dl} (multipliers), {@code swap}.
     */
    private static void tridiagonalLu(double[] d, double[] e, double lambda, double pivmin, double[] dd, double[] du,
                                      double[] du2, double[] dl, boolean[] swap) {
        int n = d.length;
        for (int i = 0; i < n; i++) {
            dd[i] = d[i] - lambda;
            du[i] = e[i];
            dl[i] = e[i];
            du2[i] = 0;
        }
        for (int i = 0; i < n - 1; i++) {
            if (Math.abs(dd[i]) >= Math.abs(dl[i])) {
                swap[i] = false;
                if (Math.abs(dd[i]) < pivmin) {
                    dd[i] = Math.copySign(pivmin, dd[i]);
                }
                double fact = dl[i] / dd[i];
                dl[i] = fact;
                dd[i + 1] -= fact * du[i];
            } else {
                swap[i] = true;
                double fact = dd[i] / dl[i];
                dd[i] = dl[i];
                dl[i] = fact;
                double tmp = du[i];
                du[i] = dd[i + 1];
                dd[i + 1] = tmp - fact * dd[i + 1];
                if (i < n - 2) {
                    du2[i] = du[i + 1];
                    du[i + 1] = -fact * du[i + 1];
                }
            }
        }
        if (Math.abs(dd[n - 1]) < pivmin) {
            dd[n - 1] = Math.copySign(pivmin, dd[n - 1]);
        }
    }

    /** Solves {@code (T − λI) x = b} in place with the factors of {@link #tridiagonalLu}. {@code x} is Modified. */
    private static void tridiagonalSolve(double[] dd, double[] du, double[] du2, double[] dl, boolean[] swap,
                                         double[] x) {
        int n = dd.length;
        for (int i = 0; i < n - 1; i++) {
            if (!swap[i]) {
                x[i + 1] -= dl[i] * x[i];
            } else {
                double tmp = x[i];
                x[i] = x[i + 1];
                x[i + 1] = tmp - dl[i] * x[i];
            }
        }
        // Scale down as we go: near an eigenvalue the solution grows like 1/pivmin.
        double big = 1e150;
        for (int i = n - 1; i >= 0; i--) {
            double s = x[i];
            if (i + 1 < n) {
                s -= du[i] * x[i + 1];
            }
            if (i + 2 < n) {
                s -= du2[i] * x[i + 2];
            }
            x[i] = s / dd[i];
            if (Math.abs(x[i]) > big) {
                for (int q = i; q < n; q++) {
                    x[q] /= big;
                }
            }
        }
    }

    /**
     * Rows {@code z_j} (tridiagonal-basis eigenvectors) become eigenvectors of A:
     * {@code u = Q z = H_0(H_1(⋯ H_{n−2} z))}, {@code H_k z = z − τ_k (v_kᵀ z) v_k}. Rows are
     * processed in groups so that each reflector is read once per group. {@code z} is Modified.
     */
    private static void backTransform(double[] a, int n, double[] tau, double[][] z) {
        int k = z.length;
        final int group = 8;
        int groups = (k + group - 1) / group;
        Parallel.forRange(groups, (long) k * n < 100_000 ? groups : 1, (g0, g1) -> {
            for (int g = g0; g < g1; g++) {
                int from = g * group;
                int to = Math.min(k, from + group);
                for (int j = n - 2; j >= 0; j--) {
                    double t = tau[j];
                    if (t == 0) {
                        continue;
                    }
                    int off = j * n + j + 1;
                    int len = n - j - 1;
                    for (int q = from; q < to; q++) {
                        double s = t * Simd.dot(a, off, z[q], j + 1, len);
                        Simd.axpy(-s, a, off, z[q], j + 1, len);
                    }
                }
            }
        });
    }

    /** Reflectors per block of the blocked back-transformation. */
    static final int WY_BLOCK = 64;

    /**
     * {@code Z ← Q·Z} for the n×k row-major {@code zc} (columns: eigenvectors of T), with the
     * reflectors grouped in blocks of {@link #WY_BLOCK} written in compact WY form
     * {@code H_j ⋯ H_{j+b−1} = I − V T Vᵀ} (Schreiber &amp; Van Loan, SIAM J. Sci. Stat. Comput.
     * 10 (1989) 53–57; Golub &amp; Van Loan §5.1.7; LAPACK {@code dlarft}/{@code dlarfb}), so
     * that the {@code 2n²k} flops are matrix products: blocks are applied last to first,
     * {@code Z₂ ← Z₂ − V (T (Vᵀ Z₂))} on rows {@code j+1…n−1}. {@code zc} is Modified.
     */
    static void backTransformBlocked(double[] a, int n, double[] tau, double[] zc, int k) {
        int reflectors = n - 1;
        int blocks = (reflectors + WY_BLOCK - 1) / WY_BLOCK;
        for (int blk = blocks - 1; blk >= 0; blk--) {
            int j0 = blk * WY_BLOCK;
            int nb = Math.min(WY_BLOCK, reflectors - j0);
            int r0 = j0 + 1;
            int len = n - r0;
            // Vᵀ (nb×len) and V (len×nb): reflector j0+c is zero before row j0+c+1, where it is 1.
            double[] vt = new double[nb * len];
            double[] v = new double[len * nb];
            for (int c = 0; c < nb; c++) {
                int j = j0 + c;
                for (int i = j + 1; i < n; i++) {
                    double x = i == j + 1 ? 1 : a[j * n + i];
                    vt[c * len + i - r0] = x;
                    v[(i - r0) * nb + c] = x;
                }
            }
            double[] t = compactWyFactor(vt, len, Arrays.copyOfRange(tau, j0, j0 + nb), nb);
            // Yᵀ = Zᵀ V (k×nb): k rows of tiles, each along nb/8 panels of V, rather than Y = Vᵀ Z,
            // whose nb/6 tiles would each run along all of Z's packed block.
            double[] yt = new double[k * nb];
            Gemm.multiplyAddTransA(k, nb, len, zc, r0 * k, k, v, 0, nb, yt, 0, nb);
            double[] tt = new double[nb * nb];
            for (int i = 0; i < nb; i++) {
                for (int j = 0; j < nb; j++) {
                    tt[j * nb + i] = t[i * nb + j];
                }
            }
            // (T Y)ᵀ = Yᵀ Tᵀ, then Z −= V (T Y).
            double[] tyt = new double[k * nb];
            Gemm.multiplyAdd(k, nb, nb, yt, 0, nb, tt, 0, nb, tyt, 0, nb);
            double[] ty = new double[nb * k];
            for (int i = 0; i < k; i++) {
                for (int c = 0; c < nb; c++) {
                    ty[c * k + i] = -tyt[i * nb + c];
                }
            }
            Gemm.multiplyAdd(len, k, nb, v, 0, nb, ty, 0, k, zc, r0 * k, k);
        }
    }

    /**
     * The upper-triangular {@code nb×nb} factor T of the compact WY form
     * {@code H_0 H_1 ⋯ H_{nb−1} = I − V T Vᵀ}, {@code H_c = I − τ_c v_c v_cᵀ} (LAPACK
     * {@code dlarft}, forward, column-wise): {@code T_cc = τ_c},
     * {@code T[0:c, c] = −τ_c T[0:c, 0:c] (V[:, 0:c]ᵀ v_c)}. {@code vt} is {@code nb×len}
     * row-major (row c = v_c); returns T row-major.
     */
    static double[] compactWyFactor(double[] vt, int len, double[] tau, int nb) {
        double[] t = new double[nb * nb];
        double[] g = new double[nb];
        for (int c = 0; c < nb; c++) {
            double tc = tau[c];
            for (int p = 0; p < c; p++) {
                g[p] = Simd.dot(vt, p * len, vt, c * len, len);
            }
            for (int p = 0; p < c; p++) {
                double sum = 0;
                for (int q = p; q < c; q++) {
                    sum += t[p * nb + q] * g[q];
                }
                t[p * nb + c] = -tc * sum;
            }
            t[c * nb + c] = tc;
        }
        return t;
    }

    /**
     * Flips each column of the n×k row-major {@code u} so that its largest-magnitude entry (the
     * first, on ties) is positive, in passes over the rows: a column at a time would miss the
     * cache on every entry. Modified.
     */
    private static void fixSignsOfColumns(double[] u, int n, int k) {
        if (n == 0) {
            return;
        }
        double[] largest = Arrays.copyOfRange(u, 0, k);
        for (int i = 1; i < n; i++) {
            int row = i * k;
            for (int c = 0; c < k; c++) {
                if (Math.abs(u[row + c]) > Math.abs(largest[c])) {
                    largest[c] = u[row + c];
                }
            }
        }
        for (int i = 0; i < n; i++) {
            int row = i * k;
            for (int c = 0; c < k; c++) {
                if (largest[c] < 0) {
                    u[row + c] = -u[row + c];
                }
            }
        }
    }

    /** Sorts eigenvalues into decreasing order, permuting the rows of {@code zt} along (if not null). */
    private static void sortDescending(double[] values, double[][] zt) {
        int n = values.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(values[y], values[x]));
        double[] sorted = new double[n];
        double[][] rows = zt == null ? null : new double[n][];
        for (int i = 0; i < n; i++) {
            sorted[i] = values[order[i]];
            if (zt != null) {
                rows[i] = zt[order[i]];
            }
        }
        System.arraycopy(sorted, 0, values, 0, n);
        if (zt != null) {
            System.arraycopy(rows, 0, zt, 0, n);
        }
    }

    /** Flips {@code x} so that its largest-magnitude entry is positive. Modified. */
    private static void fixSign(double[] x) {
        int arg = 0;
        for (int i = 1; i < x.length; i++) {
            if (Math.abs(x[i]) > Math.abs(x[arg])) {
                arg = i;
            }
        }
        if (x.length > 0 && x[arg] < 0) {
            for (int i = 0; i < x.length; i++) {
                x[i] = -x[i];
            }
        }
    }
}
