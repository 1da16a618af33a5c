package ntklc.data;

/**
 * The Gaussian-mixture test cases of docs/theory.md §1.1 (the reference code's {@code iid}, {@code means},
 * {@code var}, {@code mixed}); class {@code a ∈ {0, …, K−1}} (0-based, the paper's a+1), {@code e_j}
 * the j-th unit vector of R^p:
 *
 * <pre>
 *   case        mean μ_a      covariance C_a           paper
 *   gmm-iid     0             I_p                      no class information
 *   gmm-means   4·e_a         I_p                      mean-only
 *   gmm-var     0             (1 + 8a/√p)·I_p          Table 2 GMM (covariance-trace only)
 *   gmm-mixed   8·e_{8a}      (1 + 8a/√p)·I_p          Fig. 2 (left)
 * </pre>
 *
 * Means and covariances are before the 1/√p scaling: {@code x_i = (μ_a + z_i)/√p}, {@code z_i ~ N(0, C_a)}.
 */
public enum GmmCase {
    IID("gmm-iid", 0, false),
    MEANS("gmm-means", 4, false),
    VAR("gmm-var", 0, true),
    MIXED("gmm-mixed", 8, true);

    private final String cliName;
    private final double meanNorm;
    private final boolean classCovariance;

    GmmCase(String cliName, double meanNorm, boolean classCovariance) {
        this.cliName = cliName;
        this.meanNorm = meanNorm;
        this.classCovariance = classCovariance;
    }

    /** The name on the command line, e.g. {@code gmm-mixed}. */
    public String cliName() {
        return cliName;
    }

    /** ||μ_a|| (the same for every class): 0, 4 or 8. */
    public double meanNorm() {
        return meanNorm;
    }

    /**
     * The coordinate j where μ_a = meanNorm·e_j is non-zero: a for {@code gmm-means}, 8a for
     * {@code gmm-mixed}; −1 when μ_a = 0.
     */
    public int meanCoordinate(int a) {
        return switch (this) {
            case IID, VAR -> -1;
            case MEANS -> a;
            case MIXED -> 8 * a;
        };
    }

    /** The scale s_a of C_a = s_a·I_p: {@code 1 + 8a/√p} for var/mixed, 1 otherwise. */
    public double covarianceScale(int a, int p) {
        return classCovariance ? 1 + 8.0 * a / Math.sqrt(p) : 1;
    }

    /** The case called {@code name} on the command line. */
    public static GmmCase of(String name) {
        for (GmmCase c : values()) {
            if (c.cliName.equals(name)) {
                return c;
            }
        }
        throw new DataException("unknown Gaussian-mixture case '" + name + "' (expected gmm-iid, gmm-means, gmm-var or gmm-mixed)");
    }
}
