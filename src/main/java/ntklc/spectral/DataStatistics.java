package ntklc.spectral;

import ntklc.linalg.Matrix;

/**
 * The second-order statistics of K-class data that enter the random-matrix equivalents
 * (docs/theory.md §1.1, §4.2). Samples are rows of the n×p data matrix (already scaled by 1/√p, so
 * {@code ‖x_i‖² ≈ τ0²}).
 *
 * @param tau0         τ0 used by the equivalent (docs/theory.md §1.2: {@code √((1/n) Σ_i ‖x_i‖²)} of the data)
 * @param labels       class of each sample, {@code J_ia = 1{labels[i] = a}}
 * @param numClasses   K
 * @param p            input dimension
 * @param traceOverP   {@code tr(C_a)/p} per class (the code's {@code t0_a}), length K
 * @param T            {@code T_ab = tr(C_a C_b)/p}, K×K
 * @param psi          {@code ψ_i = ‖x_i − μ_a/√p‖² − tr(C_a)/p}, length n
 * @param squaredNorms {@code ‖x_i‖²}, length n
 */
public record DataStatistics(double tau0, int[] labels, int numClasses, int p, double[] traceOverP, double[][] T,
                             double[] psi, double[] squaredNorms) {
    public DataStatistics {
        int n = labels.length;
        if (psi.length != n || squaredNorms.length != n) {
            throw new IllegalArgumentException("DataStatistics: " + n + " labels, " + psi.length + " ψ, "
                    + squaredNorms.length + " norms");
        }
        if (traceOverP.length != numClasses || T.length != numClasses) {
            throw new IllegalArgumentException("DataStatistics: K = " + numClasses + " but t has " + traceOverP.length
                    + " and T " + T.length + " entries");
        }
    }

    /** Number of samples n. */
    public int n() {
        return labels.length;
    }

    /**
     * {@code t_a = tr(C_a°)/√p}, as the reference code forms it from the data τ0 (docs/theory.md §4.2):
     * {@code t_a = (tr(C_a)/p − τ0²)·√p}.
     */
    public double[] t() {
        double[] t = new double[numClasses];
        for (int a = 0; a < numClasses; a++) {
            t[a] = (traceOverP[a] - tau0 * tau0) * Math.sqrt(p);
        }
        return t;
    }

    /**
     * The vector v of the rank-one term {@code α2 v vᵀ} of the equivalent (docs/theory.md §1.1 identity):
     * <ul>
     *   <li>{@link Form#PSI_T}: {@code v = J t/√p + ψ}, i.e. {@code v_i = t_{a(i)}/√p + ψ_i} (paper
     *       Eq. (8) and the reference code);</li>
     *   <li>{@link Form#V}: {@code v_i = ‖x_i‖² − τ0²} (recommended, docs/theory.md §1.2: does not absorb
     *       {@code ‖μ‖²/p} into τ0).</li>
     * </ul>
     */
    public double[] v(Form form) {
        int n = n();
        double[] v = new double[n];
        if (form == Form.V) {
            for (int i = 0; i < n; i++) {
                v[i] = squaredNorms[i] - tau0 * tau0;
            }
        } else {
            double[] t = t();
            for (int i = 0; i < n; i++) {
                v[i] = t[labels[i]] / Math.sqrt(p) + psi[i];
            }
        }
        return v;
    }

    /**
     * Statistics estimated from the data alone (MNIST, a user's CSV; docs/theory.md §1.3 item 6): class
     * means {@code μ̂_a}, {@code Ω_i = x_i − μ̂_a}, {@code tr(C_a)/p ≈ mean_{i∈a} ‖Ω_i‖²},
     * {@code ψ_i = ‖Ω_i‖² − tr(C_a)/p}, and {@code T_ab = p·tr(Ĉ_a Ĉ_b)} with the U-statistic
     * {@code tr(Ĉ_a Ĉ_b) ≈ mean_{i∈a, j∈b, i≠j} (Ω_i·Ω_j)²} (leaving out i = j removes the
     * {@code p/n_a} bias of the plug-in estimate of {@code tr(C_a²)}).
     *
     * @param x          n×p, one sample per row (not modified)
     * @param labels     classes in {@code 0..numClasses−1}
     * @param numClasses K
     */
    public static DataStatistics estimate(Matrix x, int[] labels, int numClasses) {
        int n = x.rows();
        int p = x.cols();
        double[][] mean = new double[numClasses][p];
        int[] count = new int[numClasses];
        for (int i = 0; i < n; i++) {
            count[labels[i]]++;
            for (int c = 0; c < p; c++) {
                mean[labels[i]][c] += x.get(i, c);
            }
        }
        for (int a = 0; a < numClasses; a++) {
            if (count[a] < 2) {
                throw new IllegalArgumentException("class " + a + " has " + count[a] + " samples; need at least 2");
            }
            for (int c = 0; c < p; c++) {
                mean[a][c] /= count[a];
            }
        }
        Matrix omega = Matrix.zeros(n, p);
        double[] norms = new double[n];
        double[] omegaNorms = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < p; c++) {
                double xv = x.get(i, c);
                omega.set(i, c, xv - mean[labels[i]][c]);
                norms[i] += xv * xv;
                omegaNorms[i] += (xv - mean[labels[i]][c]) * (xv - mean[labels[i]][c]);
            }
            total += norms[i];
        }
        double[] traceOverP = new double[numClasses];
        for (int i = 0; i < n; i++) {
            traceOverP[labels[i]] += omegaNorms[i] / count[labels[i]];
        }
        double[] psi = new double[n];
        for (int i = 0; i < n; i++) {
            psi[i] = omegaNorms[i] - traceOverP[labels[i]];
        }
        Matrix g = ntklc.linalg.Products.gram(omega);
        double[][] t2 = new double[numClasses][numClasses];
        double[][] pairs = new double[numClasses][numClasses];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    double gij = g.get(i, j);
                    t2[labels[i]][labels[j]] += gij * gij;
                    pairs[labels[i]][labels[j]]++;
                }
            }
        }
        for (int a = 0; a < numClasses; a++) {
            for (int b = 0; b < numClasses; b++) {
                t2[a][b] = p * t2[a][b] / pairs[a][b];
            }
        }
        return new DataStatistics(Math.sqrt(total / n), labels.clone(), numClasses, p, traceOverP, t2, psi, norms);
    }

    /** τ0 = √((1/n) Σ_i ‖x_i‖²) (docs/theory.md §1.2). */
    public static double tau0(double[] squaredNorms) {
        double s = 0;
        for (double v : squaredNorms) {
            s += v;
        }
        return Math.sqrt(s / squaredNorms.length);
    }

    /** {@code ‖x_i‖²} of every row of {@code x} (n×p). */
    public static double[] squaredNorms(Matrix x) {
        double[] out = new double[x.rows()];
        for (int i = 0; i < out.length; i++) {
            for (int c = 0; c < x.cols(); c++) {
                out[i] += x.get(i, c) * x.get(i, c);
            }
        }
        return out;
    }

    /** How the rank-one part of the equivalent is built (option {@code --form}). */
    public enum Form {
        /** {@code v = J t/√p + ψ} (paper, reference code). */
        PSI_T("psi-t"),
        /** {@code v_i = ‖x_i‖² − τ0²} (recommended, docs/theory.md §1.1, §1.2). */
        V("v");

        private final String cliName;

        Form(String cliName) {
            this.cliName = cliName;
        }

        public String cliName() {
            return cliName;
        }

        /** The form spelled {@code name} on the command line. */
        public static Form of(String name) {
            for (Form f : values()) {
                if (f.cliName.equals(name)) {
                    return f;
                }
            }
            throw new IllegalArgumentException("unknown form '" + name + "' (expected v or psi-t)");
        }
    }
}
