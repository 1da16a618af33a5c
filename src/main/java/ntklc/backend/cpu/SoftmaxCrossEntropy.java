package ntklc.backend.cpu;

import ntklc.tensor.Tensor;

/**
 * Softmax followed by cross-entropy, fused (the loss of VGG training, docs/theory.md §1.4): the CPU
 * reference for {@code kernels/softmax_cross_entropy.cl}. Fused because the gradient of the composition is
 * simply {@code softmax − onehot}, which is cheaper and numerically safer than chaining the two
 * Jacobians, and the log-sum-exp is computed with the row maximum subtracted.
 *
 * <p>Shapes: {@code logits z: N×K}, {@code labels: N} class indices in {@code [0, K)}.
 * <pre>
 *   ℓ_n = log Σ_k e^{z_nk} − z_{n,y_n},   loss = (1/N) Σ_n ℓ_n
 *   ∂loss/∂z_nk = (softmax(z_n)_k − 1[k = y_n]) / N
 * </pre>
 */
public final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() {
    }

    /** Loss and gradient with respect to the logits. */
    public record Result(double loss, Tensor dLogits) {
    }

    /** Loss and gradient; inputs not modified. */
    public static Result compute(Tensor logits, int[] labels) {
        int n = logits.rows();
        int k = logits.cols();
        if (labels.length != n) {
            throw new IllegalArgumentException("softmax cross-entropy: " + labels.length + " labels for " + n + " rows");
        }
        Tensor grad = Tensor.zeros(n, k);
        float[] z = logits.data();
        float[] g = grad.data();
        double total = 0;
        for (int i = 0; i < n; i++) {
            int y = labels[i];
            if (y < 0 || y >= k) {
                throw new IllegalArgumentException("label " + y + " outside [0, " + k + ")");
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, z[i * k + j]);
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                sum += Math.exp(z[i * k + j] - max);
            }
            total += Math.log(sum) + max - z[i * k + y];
            for (int j = 0; j < k; j++) {
                double p = Math.exp(z[i * k + j] - max) / sum;
                g[i * k + j] = (float) ((p - (j == y ? 1 : 0)) / n);
            }
        }
        return new Result(total / n, grad);
    }
}
