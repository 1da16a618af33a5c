package ntklc.data;

/**
 * One draw of a Gaussian mixture: the data set (classes in contiguous blocks, class 0 first) and
 * the per-sample squared-norm fluctuation of the noise (docs/theory.md §1.1)
 * {@code ψ_i = ||z_i||²/p − tr(C_a)/p}, a = class of sample i, which the generator knows exactly.
 *
 * @param dataset x is n×p with rows {@code x_i = (μ_a + z_i)/√p}
 * @param psi     ψ ∈ R^n
 */
public record GmmSample(Dataset dataset, double[] psi) {
    public GmmSample {
        if (psi.length != dataset.n()) {
            throw new IllegalArgumentException(dataset.n() + " samples but " + psi.length + " values of ψ");
        }
    }
}
