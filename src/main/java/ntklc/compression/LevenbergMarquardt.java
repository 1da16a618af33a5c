package ntklc.compression;

/**
 * Levenberg–Marquardt minimisation of {@code F(x) = Σ_i r_i(x)²} for the small (3–5 unknown)
 * moment-matching systems of docs/theory.md §6.3. Marquardt's scaling (Nocedal &amp; Wright, Numerical
 * Optimization, 2nd ed., §10.3, p. 258): each step solves
 * {@code (JᵀJ + λ·diag(JᵀJ)) δ = −Jᵀr}; λ shrinks ×10 after a step that lowers F and grows ×10
 * otherwise. The Jacobian is taken by central differences.
 *
 * <p>Stopping rules are all at or above double precision (the reference code's SLSQP
 * {@code ftol = 1e−30} is meaningless, docs/theory.md §9 item 17): F = 0 exactly, a step shorter than
 * {@code 1e−15·(|x| + 1e−15)}, λ above {@code 1e16} (no descent direction left), or the iteration
 * cap. A residual function may return NaN or ±∞ for an invalid point; such a trial step is
 * rejected like an uphill one.
 */
final class LevenbergMarquardt {
    private LevenbergMarquardt() {
    }

    /** The residual vector r(x); Not modified: x. */
    @FunctionalInterface
    interface Residuals {
        double[] at(double[] x);
    }

    /** The point reached, its F = |r|² and the number of accepted steps. */
    record Result(double[] x, double f, int iterations) {
    }

    static Result minimize(Residuals residuals, double[] x0, int maxIterations) {
        int n = x0.length;
        double[] x = x0.clone();
        double[] r = residuals.at(x);
        double f = sumSquares(r);
        if (!Double.isFinite(f)) {
            return new Result(x, Double.POSITIVE_INFINITY, 0);
        }
        double lambda = 1e-3;
        int accepted = 0;
        for (int iter = 0; iter < maxIterations && f > 0; iter++) {
            double[][] jac = jacobian(residuals, x, r.length);
            double[][] a = new double[n][n];
            double[] g = new double[n];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < r.length; k++) {
                    g[i] += jac[k][i] * r[k];
                }
                for (int j = 0; j < n; j++) {
                    for (int k = 0; k < r.length; k++) {
                        a[i][j] += jac[k][i] * jac[k][j];
                    }
                }
            }
            boolean improved = false;
            while (lambda <= 1e16) {
                double[][] m = new double[n][n];
                double[] rhs = new double[n];
                for (int i = 0; i < n; i++) {
                    System.arraycopy(a[i], 0, m[i], 0, n);
                    // the 1e−300 floor keeps a zero column (a parameter F ignores) invertible
                    m[i][i] += lambda * (a[i][i] + 1e-300);
                    rhs[i] = -g[i];
                }
                double[] step = solve(m, rhs);
                if (step != null) {
                    double[] trial = new double[n];
                    double stepNorm = 0;
                    double xNorm = 0;
                    for (int i = 0; i < n; i++) {
                        trial[i] = x[i] + step[i];
                        stepNorm += step[i] * step[i];
                        xNorm += x[i] * x[i];
                    }
                    if (Math.sqrt(stepNorm) <= 1e-15 * (Math.sqrt(xNorm) + 1e-15)) {
                        return new Result(x, f, accepted);
                    }
                    double[] rTrial = residuals.at(trial);
                    double fTrial = sumSquares(rTrial);
                    if (fTrial < f) {
                        x = trial;
                        r = rTrial;
                        f = fTrial;
                        lambda = Math.max(lambda / 10, 1e-15);
                        accepted++;
                        improved = true;
                        break;
                    }
                }
                lambda *= 10;
            }
            if (!improved) {
                break;
            }
        }
        return new Result(x, f, accepted);
    }

    static double sumSquares(double[] r) {
        double s = 0;
        for (double v : r) {
            s += v * v;
        }
        return Double.isNaN(s) ? Double.POSITIVE_INFINITY : s;
    }

    /** Central-difference Jacobian {@code J[k][i] = ∂r_k/∂x_i}, step {@code 1e−6·(1 + |x_i|)}. */
    private static double[][] jacobian(Residuals residuals, double[] x, int m) {
        int n = x.length;
        double[][] jac = new double[m][n];
        for (int i = 0; i < n; i++) {
            double h = 1e-6 * (1 + Math.abs(x[i]));
            double[] plus = x.clone();
            double[] minus = x.clone();
            plus[i] += h;
            minus[i] -= h;
            double[] rp = residuals.at(plus);
            double[] rm = residuals.at(minus);
            for (int k = 0; k < m; k++) {
                double d = (rp[k] - rm[k]) / (2 * h);
                jac[k][i] = Double.isFinite(d) ? d : 0;
            }
        }
        return jac;
    }

    /** Gaussian elimination with partial pivoting; null if singular. Modified: m, b. */
    static double[] solve(double[][] m, double[] b) {
        int n = b.length;
        for (int c = 0; c < n; c++) {
            int pivot = c;
            for (int i = c + 1; i < n; i++) {
                if (Math.abs(m[i][c]) > Math.abs(m[pivot][c])) {
                    pivot = i;
                }
            }
            if (!(Math.abs(m[pivot][c]) > 0)) {
                return null;
            }
            double[] rowTmp = m[c];
            m[c] = m[pivot];
            m[pivot] = rowTmp;
            double bTmp = b[c];
            b[c] = b[pivot];
            b[pivot] = bTmp;
            for (int i = c + 1; i < n; i++) {
                double factor = m[i][c] / m[c][c];
                for (int j = c; j < n; j++) {
                    m[i][j] -= factor * m[c][j];
                }
                b[i] -= factor * b[c];
            }
        }
        double[] out = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = b[i];
            for (int j = i + 1; j < n; j++) {
                s -= m[i][j] * out[j];
            }
            out[i] = s / m[i][i];
        }
        for (double v : out) {
            if (!Double.isFinite(v)) {
                return null;
            }
        }
        return out;
    }
}
