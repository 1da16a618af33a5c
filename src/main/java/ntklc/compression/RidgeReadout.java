package ntklc.compression;

import ntklc.linalg.Cholesky;
import ntklc.linalg.Matrix;
import ntklc.tensor.MatMul;
import ntklc.tensor.Tensor;

/**
 * Ridge regression of one-hot labels on centred features, in closed form (the readout of docs/theory.md
 * §8.5 R6). With {@code Φ_c = Φ − 1μᵀ} ({@code n×d}), one-hot {@code Y} ({@code n×K}) and its
 * column means {@code ȳ}:
 *
 * <pre>
 *   B = (Φ_cᵀΦ_c + λI_d)⁻¹ Φ_cᵀ Y        (primal, d×d system, used when d ≤ n)
 *     = Φ_cᵀ (Φ_cΦ_cᵀ + λI_n)⁻¹ Y        (dual, n×n system, used when n &lt; d)
 *   score(φ) = (φ − μ)ᵀB + ȳ,   class = argmax score
 * </pre>
 * Default {@code λ = 1e−3·tr(G)/n} with {@code G = Φ_cΦ_cᵀ}, i.e. 1e−3 of the mean squared
 * feature norm (docs/theory.md §8.5 R6). {@code extraLambda} adds the identity shift of a stepwise NTK-LC
 * solution (docs/theory.md §6.6), used only when {@code λ + extraLambda > 0}.
 */
public final class RidgeReadout implements Readout {
    private final float[] mean;
    private final double[] coefficients;
    private final double[] intercept;
    private final int k;
    private final double lambda;

    private RidgeReadout(float[] mean, double[] coefficients, double[] intercept, int k, double lambda) {
        this.mean = mean;
        this.coefficients = coefficients;
        this.intercept = intercept;
        this.k = k;
        this.lambda = lambda;
    }

    /**
     * Fits the readout.
     *
     * @param features    {@code n×d} (Not modified)
     * @param labels      n class indices in 0..K−1
     * @param numClasses  K
     * @param lambda      λ; NaN for the default 1e−3·tr(G)/n
     * @param extraLambda added to λ when the sum stays positive (stepwise identity shift), else ignored
     */
    public static RidgeReadout fit(Tensor features, int[] labels, int numClasses, double lambda, double extraLambda) {
        int n = features.rows();
        int d = features.cols();
        float[] mu = new float[d];
        double[] sums = new double[d];
        float[] f = features.data();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                sums[j] += f[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mu[j] = (float) (sums[j] / n);
        }
        Tensor centred = Tensor.zeros(n, d);
        float[] c = centred.data();
        double trace = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                float v = f[i * d + j] - mu[j];
                c[i * d + j] = v;
                trace += (double) v * v;
            }
        }
        double lam = Double.isNaN(lambda) ? 1e-3 * trace / n : lambda;
        if (lam + extraLambda > 0) {
            lam += extraLambda;
        }
        if (!(lam > 0)) {
            throw new IllegalArgumentException("ridge λ must be positive, got " + lam);
        }
        int k = numClasses;
        double[] y = new double[n * k];
        double[] yMean = new double[k];
        for (int i = 0; i < n; i++) {
            y[i * k + labels[i]] = 1;
            yMean[labels[i]] += 1.0 / n;
        }
        double[] b;
        if (d <= n) {
            double[] g = toDouble(MatMul.matmulTransA(centred, centred));
            for (int j = 0; j < d; j++) {
                g[j * d + j] += lam;
            }
            b = new double[d * k];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    double v = c[i * d + j];
                    b[j * k + labels[i]] += v;
                }
            }
            b = Cholesky.factor(Matrix.wrap(g, d, d)).solve(Matrix.wrap(b, d, k)).data();
        } else {
            double[] g = toDouble(MatMul.matmulTransB(centred, centred));
            for (int i = 0; i < n; i++) {
                g[i * n + i] += lam;
            }
            double[] alpha = Cholesky.factor(Matrix.wrap(g, n, n)).solve(Matrix.wrap(y, n, k)).data();
            b = new double[d * k];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    double v = c[i * d + j];
                    for (int cl = 0; cl < k; cl++) {
                        b[j * k + cl] += v * alpha[i * k + cl];
                    }
                }
            }
        }
        return new RidgeReadout(mu, b, yMean, k, lam);
    }

    /**
     * A fitted readout from its parts (e.g. read back from a model file).
     *
     * @param mean         μ, d entries (Not modified, not copied)
     * @param coefficients B, {@code d×K} row-major (Not modified, not copied)
     * @param intercept    ȳ, K entries (Not modified, not copied)
     */
    public static RidgeReadout of(float[] mean, double[] coefficients, double[] intercept, double lambda) {
        if (intercept.length == 0 || coefficients.length != mean.length * intercept.length) {
            throw new IllegalArgumentException("ridge readout: B has " + coefficients.length + " entries, expected "
                    + mean.length + "·" + intercept.length);
        }
        return new RidgeReadout(mean, coefficients, intercept, intercept.length, lambda);
    }

    /** μ (the stored array: Not to be modified). */
    public float[] mean() {
        return mean;
    }

    /** B, {@code d×K} row-major (the stored array: Not to be modified). */
    public double[] coefficients() {
        return coefficients;
    }

    /** ȳ (the stored array: Not to be modified). */
    public double[] intercept() {
        return intercept;
    }

    /** The λ actually used (after the default and the shift). */
    public double lambda() {
        return lambda;
    }

    /** Scores {@code (φ − μ)ᵀB + ȳ}, {@code n×K} row-major. */
    public double[] scores(Tensor features) {
        int n = features.rows();
        int d = features.cols();
        if (d != mean.length) {
            throw new IllegalArgumentException("readout expects " + mean.length + " features, got " + d);
        }
        float[] f = features.data();
        double[] s = new double[n * k];
        ntklc.tensor.Parallel.forRange(n, 64, (from, to) -> {
            for (int i = from; i < to; i++) {
                for (int c = 0; c < k; c++) {
                    s[i * k + c] = intercept[c];
                }
                for (int j = 0; j < d; j++) {
                    double v = f[i * d + j] - mean[j];
                    for (int c = 0; c < k; c++) {
                        s[i * k + c] += v * coefficients[j * k + c];
                    }
                }
            }
        });
        return s;
    }

    @Override
    public int[] predict(Tensor features) {
        double[] s = scores(features);
        int[] out = new int[features.rows()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Readout.argmaxRow(s, i, k);
        }
        return out;
    }

    /**
     * A square float Gram matrix in double, symmetrised as {@code (G + Gᵀ)/2}: the float product
     * may differ from its transpose in the last bit, and {@link Cholesky} refuses asymmetry.
     */
    private static double[] toDouble(Tensor t) {
        int n = t.rows();
        float[] src = t.data();
        double[] out = new double[src.length];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                out[i * n + j] = 0.5 * ((double) src[i * n + j] + src[j * n + i]);
            }
        }
        return out;
    }
}
