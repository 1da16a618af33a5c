package ntklc.linalg;

import java.util.Arrays;

import ntklc.tensor.Parallel;

/**
 * All eigenvalues and eigenvectors of a symmetric tridiagonal matrix {@code T} by Cuppen's
 * divide and conquer, as in LAPACK {@code dstedc}/{@code dlaed0–4}: most of the work is matrix
 * products ({@link Gemm}) instead of the {@code ~3n³} scalar flops of accumulating QL rotations.
 *
 * <p>Sources: J. J. M. Cuppen, "A divide and conquer method for the symmetric tridiagonal
 * eigenproblem", Numer. Math. 36 (1981) 177–195 (tearing and merging); deflation as in
 * J. J. Dongarra &amp; D. C. Sorensen, SIAM J. Sci. Stat. Comput. 8 (1987) s139–s154 and LAPACK
 * {@code dlaed2}; orthogonal eigenvectors from the recomputed {@code ẑ} of M. Gu &amp;
 * S. C. Eisenstat, "A divide-and-conquer algorithm for the symmetric tridiagonal eigenproblem",
 * SIAM J. Matrix Anal. Appl. 16 (1995) 172–191, §3 (Löwner's formula); Golub &amp; Van Loan,
 * <i>Matrix Computations</i>, 4th ed., §8.4.4–8.4.5.
 *
 * <p>Tearing: with {@code β = e[m1−1]} coupling the halves,
 * {@code T = diag(T₁ − |β| e_l e_lᵀ, T₂ − |β| e_f e_fᵀ) + |β| v vᵀ}, {@code v = (e_l, sign(β) e_f)}.
 * With {@code T_i = Q_i D_i Q_iᵀ} solved recursively, {@code T = Q (D + ρ z zᵀ) Qᵀ} with
 * {@code Q = diag(Q₁, Q₂)}, {@code z = Qᵀ v / ‖Qᵀv‖}, {@code ρ = 2|β|}. The eigenvalues of the
 * rank-one update are the roots of the secular equation
 * {@code f(λ) = 1 + ρ Σ_j z_j² / (d_j − λ) = 0}, and its eigenvectors {@code u ∝ (D − λI)⁻¹ ẑ}.
 */
final class TridiagonalDivideConquer {
    /** Subproblems up to this size are solved by implicit QL with accumulated rotations. */
    static final int LEAF = 32;
    private static final double EPS = Math.ulp(1.0) / 2;

    private TridiagonalDivideConquer() {
    }

    /**
     * Eigen-decomposition {@code T = Q diag(λ) Qᵀ} of the tridiagonal matrix with diagonal
     * {@code d} and off-diagonal {@code e} ({@code e[i]} couples i and i+1; {@code e[n−1]}
     * ignored). On return {@code d} holds the eigenvalues (in no particular order) and the n×n
     * row-major {@code q} their eigenvectors as columns ({@code q[i·n + j]} = component i of
     * vector j). {@code d}, {@code q} are Modified; {@code e} is not.
     */
    static void solve(double[] d, double[] e, double[] q) {
        int n = d.length;
        Arrays.fill(q, 0);
        solve(d, e, q, n, 0, n);
    }

    private static void solve(double[] d, double[] e, double[] q, int n, int s, int m) {
        if (m <= LEAF) {
            leaf(d, e, q, n, s, m);
            return;
        }
        int m1 = m / 2;
        double beta = e[s + m1 - 1];
        double rho = Math.abs(beta);
        d[s + m1 - 1] -= rho;
        d[s + m1] -= rho;
        solve(d, e, q, n, s, m1);
        solve(d, e, q, n, s + m1, m - m1);
        if (rho == 0) {
            return;
        }
        // z = Qᵀ v: the last row of Q₁ and sign(β) times the first row of Q₂.
        double[] z = new double[m];
        for (int j = 0; j < m1; j++) {
            z[j] = q[(s + m1 - 1) * n + s + j];
        }
        double sign = Math.signum(beta);
        for (int j = m1; j < m; j++) {
            z[j] = sign * q[(s + m1) * n + s + j];
        }
        merge(d, q, n, s, m, m1, rho, z);
    }

    /** Implicit QL ({@link SymmetricEigen#ql}) on a small diagonal block, vectors written into its q block. */
    private static void leaf(double[] d, double[] e, double[] q, int n, int s, int m) {
        double[] dl = Arrays.copyOfRange(d, s, s + m);
        double[] el = new double[m];
        System.arraycopy(e, s, el, 0, m - 1);
        double[][] zt = new double[m][m];
        for (int i = 0; i < m; i++) {
            zt[i][i] = 1;
        }
        SymmetricEigen.ql(dl, el, zt);
        System.arraycopy(dl, 0, d, s, m);
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < m; i++) {
                q[(s + i) * n + s + j] = zt[j][i];
            }
        }
    }

    /**
     * Merges the solved halves: eigen-decomposition of {@code D + ρ' z zᵀ} (after normalising
     * {@code z}), deflation, secular equation, Gu–Eisenstat vectors and the update
     * {@code Q ← Q·U} by matrix products. {@code d[s…s+m)} and the q block are Modified.
     */
    private static void merge(double[] d, double[] q, int n, int s, int m, int m1, double rho, double[] z) {
        double zz = Simd.dot(z, 0, z, 0, m);
        double znorm = Math.sqrt(zz);
        for (int j = 0; j < m; j++) {
            z[j] /= znorm;
        }
        rho *= zz;
        // Columns in increasing order of d; 1 = nonzero only in the top half, 2 = bottom, 3 = both.
        Integer[] order = new Integer[m];
        for (int j = 0; j < m; j++) {
            order[j] = j;
        }
        double[] dm = Arrays.copyOfRange(d, s, s + m);
        Arrays.sort(order, (x, y) -> Double.compare(dm[x], dm[y]));
        double[] dd = new double[m];
        double[] zs = new double[m];
        int[] type = new int[m];
        // Columns of the block are moved into a scratch m×m copy in sorted order, row by row (a
        // column at a time would miss the cache on every entry).
        double[] qs = new double[m * m];
        int[] sorted = new int[m];
        double dmax = 0;
        double zmax = 0;
        for (int t = 0; t < m; t++) {
            int j = order[t];
            sorted[t] = j;
            dd[t] = dm[j];
            zs[t] = z[j];
            type[t] = j < m1 ? 1 : 2;
            dmax = Math.max(dmax, Math.abs(dm[j]));
            zmax = Math.max(zmax, Math.abs(z[j]));
        }
        for (int i = 0; i < m; i++) {
            int src = (s + i) * n + s;
            int dst = i * m;
            for (int t = 0; t < m; t++) {
                qs[dst + t] = q[src + sorted[t]];
            }
        }
        // Deflation (dlaed2): a tiny ρ|z_j| drops column j; two close d's are rotated so that one z vanishes.
        double tol = 8 * EPS * Math.max(dmax, zmax);
        boolean[] deflated = new boolean[m];
        int prev = -1;
        for (int t = 0; t < m; t++) {
            if (rho * Math.abs(zs[t]) <= tol) {
                deflated[t] = true;
                continue;
            }
            if (prev >= 0) {
                double r = Math.hypot(zs[prev], zs[t]);
                double c = zs[t] / r;
                double sn = zs[prev] / r;
                if (Math.abs((dd[t] - dd[prev]) * c * sn) <= tol) {
                    // G = [[c, −s], [s, c]] on (prev, t): z_prev → 0, z_t → r; Q ← Q Gᵀ.
                    zs[prev] = 0;
                    zs[t] = r;
                    for (int i = 0; i < m; i++) {
                        double qp = qs[i * m + prev];
                        double qt = qs[i * m + t];
                        qs[i * m + prev] = c * qp - sn * qt;
                        qs[i * m + t] = sn * qp + c * qt;
                    }
                    double dp = dd[prev];
                    double dt = dd[t];
                    dd[prev] = c * c * dp + sn * sn * dt;
                    dd[t] = sn * sn * dp + c * c * dt;
                    deflated[prev] = true;
                    if (type[prev] != type[t]) {
                        type[t] = 3;
                        type[prev] = 3;
                    }
                }
            }
            prev = t;
        }
        int liveCount = 0;
        for (int t = 0; t < m; t++) {
            if (!deflated[t]) {
                liveCount++;
            }
        }
        int k = liveCount;
        int[] live = new int[k];
        for (int t = 0, c = 0; t < m; t++) {
            if (!deflated[t]) {
                live[c++] = t;
            }
        }
        double[] dk = new double[k];
        double[] zk = new double[k];
        for (int c = 0; c < k; c++) {
            dk[c] = dd[live[c]];
            zk[c] = zs[live[c]];
        }
        // Roots of the secular equation, each as origin pole + offset; delta[i·k + j] = dk_j − λ_i.
        double[] lambda = new double[k];
        double[] delta = new double[k * k];
        double rhoMerged = rho;
        Parallel.forRange(k, k < 64 ? k : 16, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                lambda[i] = secularRoot(dk, zk, rhoMerged, i, delta, i * k);
            }
        });
        // Gu–Eisenstat: ẑ_j² = −(dk_j − λ_j) Π_{i≠j} (dk_j − λ_i)/(dk_j − dk_i) / ρ, with z's signs.
        // The products run over the rows of delta (i outer), each ẑ_j's factors in the order of i.
        double[] w = new double[k];
        for (int j = 0; j < k; j++) {
            w[j] = -delta[j * k + j] / rho;
        }
        for (int i = 0; i < k; i++) {
            int row = i * k;
            double di = dk[i];
            for (int j = 0; j < k; j++) {
                if (j != i) {
                    w[j] *= delta[row + j] / (dk[j] - di);
                }
            }
        }
        double[] zhat = new double[k];
        for (int j = 0; j < k; j++) {
            zhat[j] = Math.copySign(Math.sqrt(Math.max(w[j], 0)), zk[j]);
        }
        // U (k×k, row-major, column i = eigenvector of λ_i): U_ji = ẑ_j / (dk_j − λ_i), normalised;
        // built as its transpose (row i = vector i, contiguous), then transposed by tiles.
        double[] ut = new double[k * k];
        Parallel.forRange(k, k < 64 ? k : 16, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                int row = i * k;
                double nrm = 0;
                for (int j = 0; j < k; j++) {
                    double v = zhat[j] / delta[row + j];
                    ut[row + j] = v;
                    nrm += v * v;
                }
                nrm = Math.sqrt(nrm);
                for (int j = 0; j < k; j++) {
                    ut[row + j] /= nrm;
                }
            }
        });
        double[] u = transpose(ut, k);
        // Q_block[:, 0…k) = Qs[:, live]·U, split into the top and bottom rows to skip the zero blocks.
        int mTop = m1;
        int mBot = m - m1;
        double[] out = new double[m * k];
        product(qs, m, 0, mTop, live, type, 2, u, k, out);
        product(qs, m, mTop, mBot, live, type, 1, u, k, out);
        for (int i = 0; i < m; i++) {
            System.arraycopy(out, i * k, q, (s + i) * n + s, k);
        }
        System.arraycopy(lambda, 0, d, s, k);
        int[] dropped = new int[m - k];
        for (int t = 0, c = 0; t < m; t++) {
            if (deflated[t]) {
                d[s + k + c] = dd[t];
                dropped[c++] = t;
            }
        }
        for (int i = 0; i < m; i++) {
            int dst = (s + i) * n + s + k;
            int src = i * m;
            for (int c = 0; c < dropped.length; c++) {
                q[dst + c] = qs[src + dropped[c]];
            }
        }
    }

    /** Side of the square tiles of {@link #transpose}. */
    private static final int TILE = 32;

    /** The transpose of the k×k row-major {@code x}, by square tiles so that reads and writes stay in cache. */
    private static double[] transpose(double[] x, int k) {
        double[] y = new double[k * k];
        for (int i0 = 0; i0 < k; i0 += TILE) {
            int i1 = Math.min(k, i0 + TILE);
            for (int j0 = 0; j0 < k; j0 += TILE) {
                int j1 = Math.min(k, j0 + TILE);
                for (int i = i0; i < i1; i++) {
                    for (int j = j0; j < j1; j++) {
                        y[j * k + i] = x[i * k + j];
                    }
                }
            }
        }
        return y;
    }

    /**
     * Rows {@code [r0, r0+rows)} of {@code Qs[:, live]·U}, leaving out the live columns of type
     * {@code skip} (which are zero in these rows). {@code out} (m×k) is Modified.
     */
    private static void product(double[] qs, int m, int r0, int rows, int[] live, int[] type, int skip, double[] u,
                                int k, double[] out) {
        int cnt = 0;
        for (int c = 0; c < k; c++) {
            if (type[live[c]] != skip) {
                cnt++;
            }
        }
        if (cnt == 0 || rows == 0) {
            return;
        }
        double[] a = new double[rows * cnt];
        double[] b = new double[cnt * k];
        int[] cols = new int[cnt];
        for (int c = 0, p = 0; c < k; c++) {
            if (type[live[c]] == skip) {
                continue;
            }
            cols[p] = live[c];
            System.arraycopy(u, c * k, b, p * k, k);
            p++;
        }
        for (int i = 0; i < rows; i++) {
            int src = (r0 + i) * m;
            for (int p = 0; p < cnt; p++) {
                a[i * cnt + p] = qs[src + cols[p]];
            }
        }
        Gemm.multiplyAdd(rows, k, cnt, a, 0, cnt, b, 0, k, out, r0 * k, k);
    }

    /**
     * Root {@code λ_i} of {@code f(λ) = 1 + ρ Σ_j z_j²/(d_j − λ)} in {@code (d_i, d_{i+1})}
     * ({@code (d_{k−1}, d_{k−1} + ρ)} for the last; {@code d} strictly increasing, ρ &gt; 0,
     * {@code ‖z‖ = 1}). It is found as an offset τ from the nearer pole {@code d_o}, so that every
     * difference {@code d_j − λ_i = (d_j − d_o) − τ} is accurate to a few ulps (the property the
     * Gu–Eisenstat vectors rely on), by Newton's method safeguarded by bisection on the bracket.
     * Writes {@code d_j − λ_i} into {@code delta[off + j]} (Modified) and returns {@code λ_i}.
     */
    private static double secularRoot(double[] d, double[] z, double rho, int i, double[] delta, int off) {
        int k = d.length;
        int origin;
        double lo;
        double hi;
        if (i == k - 1) {
            origin = i;
            lo = 0;
            hi = rho;
        } else {
            double gap = d[i + 1] - d[i];
            double mid = 0.5 * gap;
            double f = 1;
            for (int j = 0; j < k; j++) {
                f += rho * z[j] * z[j] / ((d[j] - d[i]) - mid);
            }
            if (f >= 0) {
                origin = i;
                lo = 0;
                hi = mid;
            } else {
                origin = i + 1;
                lo = -mid;
                hi = 0;
            }
        }
        double o = d[origin];
        for (int j = 0; j < k; j++) {
            delta[off + j] = d[j] - o;
        }
        double tau = 0.5 * (lo + hi);
        for (int it = 0; it < 200; it++) {
            double f = 1;
            double df = 0;
            double abs = 1;
            for (int j = 0; j < k; j++) {
                double r = z[j] / (delta[off + j] - tau);
                double t = rho * z[j] * r;
                f += t;
                abs += Math.abs(t);
                df += rho * r * r;
            }
            if (Math.abs(f) <= 4 * k * EPS * abs) {
                break;
            }
            if (f > 0) {
                hi = tau;
            } else {
                lo = tau;
            }
            double next = tau - f / df;
            if (!(next > lo && next < hi)) {
                next = 0.5 * (lo + hi);
            }
            if (next == tau || hi - lo <= 2 * EPS * Math.max(Math.abs(lo), Math.abs(hi))) {
                break;
            }
            tau = next;
        }
        for (int j = 0; j < k; j++) {
            delta[off + j] -= tau;
        }
        return o + tau;
    }
}
