package ntklc.data;

/**
 * Per-sample norm statistics of docs/theory.md §1.1 and §1.2, for any data set (x is n×p, one sample per row).
 */
public final class SampleStatistics {
    private SampleStatistics() {
    }

    /**
     * The data estimate of τ0 used by Algorithm 1 of the paper and the code (docs/theory.md §1.2):
     * {@code τ0 = √((1/n)Σ_i ||x_i||²)}, computed on the training data. For a Gaussian mixture it
     * includes {@code ||μ_a||²/p}, which the population τ0 = √(tr C°/p) does not.
     */
    public static double tau0(Dataset d) {
        double[] sq = squaredNorms(d);
        double s = 0;
        for (double v : sq) {
            s += v;
        }
        return Math.sqrt(s / sq.length);
    }

    /** ||x_i||² for every row, accumulated in double. */
    public static double[] squaredNorms(Dataset d) {
        int n = d.n();
        int p = d.p();
        float[] x = d.x().data();
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < p; j++) {
                double v = x[i * p + j];
                s += v * v;
            }
            out[i] = s;
        }
        return out;
    }

    /**
     * The squared-norm fluctuation {@code v_i = ||x_i||² − τ0²} (docs/theory.md §1.1 and §4.2, recommended
     * way to build the rank-one part of the kernel equivalents). For a mixture with zero means and
     * the population τ0 this equals {@code ψ_i + t_a/√p} exactly.
     */
    public static double[] squaredNormFluctuation(Dataset d, double tau0) {
        double[] v = squaredNorms(d);
        double t2 = tau0 * tau0;
        for (int i = 0; i < v.length; i++) {
            v[i] -= t2;
        }
        return v;
    }

    /** n_a for a = 0..K−1. */
    public static int[] classCounts(Dataset d) {
        int[] counts = new int[d.numClasses()];
        for (int label : d.labels()) {
            counts[label]++;
        }
        return counts;
    }
}
