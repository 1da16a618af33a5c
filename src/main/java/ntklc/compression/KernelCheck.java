package ntklc.compression;

import java.util.List;

import ntklc.activation.Activation;
import ntklc.linalg.Matrix;
import ntklc.linalg.Products;
import ntklc.linalg.SymmetricEigen;
import ntklc.spectral.ExactKernels;
import ntklc.tensor.Tensor;

/**
 * The kernel-level check of a compressed chain (docs/compression-results.md): the exact
 * (infinite-width) conjugate kernels of the original chain σ_1..σ_L and of the compressed chain
 * σ'_1..σ'_L on the same data (paper Eqs. (4)–(5), {@link ExactKernels}), compared by their
 * relative operator-norm error
 * <pre>
 *   e = ‖K'_CK,L − K_CK,L‖₂ / ‖K_CK,L‖₂,
 * </pre>
 * and by the same error after each kernel is scaled to unit trace,
 * {@code e_shape = ‖K'/tr K' − K/tr K‖₂ / ‖K/tr K‖₂}, which ignores a global scale (a ridge
 * readout with λ proportional to tr(G)/n is blind to it). Each chain is centred on its own
 * τ-recursion, as the finite network is. Both kernels are m×m for the m rows used.
 *
 * @param relativeError      e
 * @param shapeRelativeError e_shape
 * @param normOriginal       ‖K_CK,L‖₂
 * @param samples            n
 */
public record KernelCheck(double relativeError, double shapeRelativeError, double normOriginal, int samples) {
    /**
     * Computes the check on {@code min(maxSamples, n)} evenly spaced rows of {@code x} (row
     * {@code ⌊i·n/m⌋} for i = 0..m−1).
     *
     * @param x          {@code n×p}, one sample per row (Not modified)
     * @param tau0       τ0 of the data (the chains' first input scale)
     * @param original   σ_1..σ_L
     * @param compressed σ'_1..σ'_L (same length)
     * @param maxSamples at most this many rows are used (≥ 2); O(n³) for the operator norms
     */
    public static KernelCheck of(Tensor x, double tau0, List<Activation> original, List<Activation> compressed,
                                 int maxSamples) {
        if (original.size() != compressed.size()) {
            throw new IllegalArgumentException(original.size() + " original layers but " + compressed.size()
                    + " compressed ones");
        }
        if (maxSamples < 2) {
            throw new IllegalArgumentException("the kernel check needs at least 2 samples");
        }
        int n = Math.min(maxSamples, x.rows());
        int p = x.cols();
        double[] rows = new double[n * p];
        for (int i = 0; i < n; i++) {
            // evenly spaced rows, so that class-sorted data keep every class
            int source = (int) ((long) i * x.rows() / n);
            for (int j = 0; j < p; j++) {
                rows[i * p + j] = x.data()[source * p + j];
            }
        }
        Matrix gram = Products.gram(Matrix.wrap(rows, n, p));
        Matrix k = ExactKernels.ck(gram, tau0, original);
        Matrix kc = ExactKernels.ck(gram, tau0, compressed);
        double norm = SymmetricEigen.operatorNorm(k);
        double error = SymmetricEigen.operatorNorm(kc.minus(k)) / norm;
        Matrix kUnit = k.times(1 / trace(k));
        Matrix kcUnit = kc.times(1 / trace(kc));
        double shape = SymmetricEigen.operatorNorm(kcUnit.minus(kUnit)) / SymmetricEigen.operatorNorm(kUnit);
        return new KernelCheck(error, shape, norm, n);
    }

    private static double trace(Matrix a) {
        double t = 0;
        for (double d : a.diagonal()) {
            t += d;
        }
        return t;
    }
}
