package ntklc.data;

import java.util.Arrays;

/**
 * A Gaussian mixture of docs/theory.md §1.1 (paper Eq. (1)) and the population statistics that
 * Theorems 1–2 use. Class {@code a ∈ {0, …, K−1}} has proportion {@code c_a}, mean μ_a and
 * covariance C_a = s_a·I_p as given by {@link GmmCase}; a sample is {@code x = (μ_a + z)/√p},
 * {@code z ~ N(0, C_a)}.
 *
 * <p>Population statistics (docs/theory.md §1.1, with {@code C° = Σ_a c_a C_a}, {@code C_a° = C_a − C°}):
 * <pre>
 *   tr(C_a)/p = s_a
 *   τ0        = √(tr C°/p) = √(Σ_a c_a s_a)
 *   t_a       = tr(C_a°)/√p = √p·(s_a − Σ_b c_b s_b)
 *   T_ab      = tr(C_a C_b)/p = s_a·s_b
 * </pre>
 * The theory takes {@code c_a = n_a/n}; here c_a are the given proportions, equal to n_a/n when
 * every {@code c_a·n} is an integer (see {@link #classSizes(int)}).
 *
 * @param testcase    which test case
 * @param numClasses  K ≥ 1
 * @param p           input dimension, large enough to hold the means (mixed: 8(K−1) < p)
 * @param proportions c_a, positive, summing to 1 (length K); not copied, do not modify
 */
public record GmmSpec(GmmCase testcase, int numClasses, int p, double[] proportions) {
    public GmmSpec {
        if (numClasses < 1 || p < 1) {
            throw new DataException("gaussian mixture: need K ≥ 1 classes and p ≥ 1, got K = " + numClasses + ", p = " + p);
        }
        if (proportions.length != numClasses) {
            throw new DataException("gaussian mixture: " + proportions.length + " class proportions for " + numClasses + " classes");
        }
        double sum = 0;
        for (double c : proportions) {
            if (!(c > 0)) {
                throw new DataException("gaussian mixture: class proportions must be positive, got " + Arrays.toString(proportions));
            }
            sum += c;
        }
        if (Math.abs(sum - 1) > 1e-6) {
            throw new DataException("gaussian mixture: class proportions must sum to 1, got " + Arrays.toString(proportions));
        }
        int last = testcase.meanCoordinate(numClasses - 1);
        if (last >= p) {
            throw new DataException(testcase.cliName() + " with K = " + numClasses + " puts a mean on coordinate " + last
                    + ", so it needs p > " + last + " (got p = " + p + ")");
        }
    }

    /** K equal classes, c_a = 1/K. */
    public static GmmSpec balanced(GmmCase testcase, int numClasses, int p) {
        double[] c = new double[numClasses];
        Arrays.fill(c, 1.0 / numClasses);
        return new GmmSpec(testcase, numClasses, p, c);
    }

    /** μ_a ∈ R^p (before the 1/√p scaling). */
    public double[] mean(int a) {
        double[] mu = new double[p];
        int j = testcase.meanCoordinate(a);
        if (j >= 0) {
            mu[j] = testcase.meanNorm();
        }
        return mu;
    }

    /** ||μ_a||² (before the 1/√p scaling). */
    public double meanSquaredNorm(int a) {
        return testcase.meanCoordinate(a) >= 0 ? testcase.meanNorm() * testcase.meanNorm() : 0;
    }

    /** s_a with C_a = s_a·I_p; also tr(C_a)/p. */
    public double covarianceScale(int a) {
        return testcase.covarianceScale(a, p);
    }

    /** tr(C°)/p = Σ_a c_a s_a. */
    public double traceCCircOverP() {
        double s = 0;
        for (int a = 0; a < numClasses; a++) {
            s += proportions[a] * covarianceScale(a);
        }
        return s;
    }

    /** Population τ0 = √(tr C°/p) (Assumption 1.4). */
    public double tau0() {
        return Math.sqrt(traceCCircOverP());
    }

    /** t ∈ R^K, t_a = tr(C_a°)/√p = √p·(s_a − tr C°/p). */
    public double[] t() {
        double[] t = new double[numClasses];
        double circ = traceCCircOverP();
        for (int a = 0; a < numClasses; a++) {
            t[a] = Math.sqrt(p) * (covarianceScale(a) - circ);
        }
        return t;
    }

    /** T ∈ R^{K×K}, T_ab = tr(C_a C_b)/p = s_a·s_b. */
    public double[][] T() {
        double[][] m = new double[numClasses][numClasses];
        for (int a = 0; a < numClasses; a++) {
            for (int b = 0; b < numClasses; b++) {
                m[a][b] = covarianceScale(a) * covarianceScale(b);
            }
        }
        return m;
    }

    /**
     * Class sizes for n samples, {@code n_a = ⌊c_a·n⌋} as in the reference code (docs/theory.md §1.1), so the
     * total may fall a few samples short of n when the c_a·n are not integers.
     */
    public int[] classSizes(int n) {
        int[] sizes = new int[numClasses];
        for (int a = 0; a < numClasses; a++) {
            // NOTE: the tiny guard keeps 0.3·10 = 2.9999999999999996 from flooring to 2.
            sizes[a] = (int) Math.floor(proportions[a] * n + 1e-9);
        }
        return sizes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GmmSpec s && s.testcase == testcase && s.numClasses == numClasses && s.p == p
                && Arrays.equals(s.proportions, proportions);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * testcase.hashCode() + numClasses) + p) + Arrays.hashCode(proportions);
    }

    @Override
    public String toString() {
        return testcase.cliName() + "(K=" + numClasses + ", p=" + p + ", c=" + Arrays.toString(proportions) + ")";
    }
}
