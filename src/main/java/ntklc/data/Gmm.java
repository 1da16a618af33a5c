package ntklc.data;

import java.util.SplittableRandom;

import ntklc.tensor.Parallel;
import ntklc.tensor.Tensor;

/**
 * Seeded generator of the Gaussian-mixture data of docs/theory.md §1.1 (reference code {@code gen_data}):
 * for each class a in order, {@code n_a = ⌊c_a·n⌋} samples {@code x_i = (μ_a + z_i)/√p} with
 * {@code z_i = √s_a·g_i}, {@code g_i ~ N(0, I_p)} (covariances are isotropic, so no Cholesky);
 * labels are contiguous blocks 0…0, 1…1, …. Along with x it returns
 * {@code ψ_i = ||z_i||²/p − s_a}, computed in double from z before x is rounded to float.
 */
public final class Gmm {
    private Gmm() {
    }

    /**
     * Draws n samples (fewer when the c_a·n are not integers, see {@link GmmSpec#classSizes}).
     *
     * @param rng consumed; each sample gets its own generator split from it in order, so the
     *            result does not depend on the number of threads
     */
    public static GmmSample sample(GmmSpec spec, int n, SplittableRandom rng) {
        if (n < 1) {
            throw new DataException(spec.testcase().cliName() + ": need at least one sample, asked for " + n);
        }
        int p = spec.p();
        int[] sizes = spec.classSizes(n);
        int total = 0;
        for (int size : sizes) {
            total += size;
        }
        if (total == 0) {
            throw new DataException(spec.testcase().cliName() + ": " + n + " samples give every class zero samples");
        }
        int[] labels = new int[total];
        SplittableRandom[] rowRng = new SplittableRandom[total];
        for (int a = 0, i = 0; a < sizes.length; a++) {
            for (int k = 0; k < sizes[a]; k++, i++) {
                labels[i] = a;
                rowRng[i] = rng.split();
            }
        }
        float[] x = new float[Math.multiplyExact(total, p)];
        double[] psi = new double[total];
        double[][] mu = new double[spec.numClasses()][];
        for (int a = 0; a < mu.length; a++) {
            mu[a] = spec.mean(a);
        }
        double invSqrtP = 1 / Math.sqrt(p);
        Parallel.forRange(total, 16, (from, to) -> {
            for (int i = from; i < to; i++) {
                int a = labels[i];
                double scale = spec.covarianceScale(a);
                double sd = Math.sqrt(scale);
                double[] mean = mu[a];
                SplittableRandom r = rowRng[i];
                double norm2 = 0;
                int row = i * p;
                for (int j = 0; j < p; j++) {
                    double z = sd * r.nextGaussian();
                    norm2 += z * z;
                    x[row + j] = (float) ((mean[j] + z) * invSqrtP);
                }
                psi[i] = norm2 / p - scale;
            }
        });
        return new GmmSample(new Dataset(Tensor.wrap(x, total, p), labels, spec.numClasses()), psi);
    }

    /** Independent training and test draws; the training draw does not depend on nTest. */
    public static GmmDraw trainTest(GmmSpec spec, int nTrain, int nTest, SplittableRandom rng) {
        SplittableRandom trainRng = rng.split();
        SplittableRandom testRng = rng.split();
        return new GmmDraw(spec, sample(spec, nTrain, trainRng), sample(spec, nTest, testRng));
    }
}
