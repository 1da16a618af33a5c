package ntklc.autograd;

import ntklc.tensor.Tensor;

/**
 * Mean cross-entropy of a softmax classifier, fused into one primitive:
 * {@code L = −(1/n) Σ_i log softmax(z_i)[y_i]} with {@code log softmax(z)_k = z_k − m − log Σ_j e^{z_j − m}},
 * {@code m = max_j z_j}. Logits {@code Z: n×K}, labels {@code y_i ∈ {0, …, K−1}}; the output is a
 * rank-0 scalar.
 *
 * <p>Why fused. (1) Stability: subtracting the row maximum before exponentiating keeps every
 * {@code e^{z−m} ≤ 1}, and the loss uses the log-sum-exp directly, so large logits neither overflow
 * nor produce {@code log 0}; a separate softmax followed by a log would. (2) A cheap exact
 * gradient: composed from softmax and log the chain rule would build a {@code K×K} Jacobian per
 * row, whereas the fused rule is simply {@code ∂L/∂Z = (softmax(Z) − onehot(y)) / n}.
 *
 * <p>The softmax probabilities are kept for backward. Computed in double per row.
 */
public final class SoftmaxCrossEntropy extends Primitive {
    private final Variable logits;
    private final int[] labels;
    private final Tensor probabilities;

    private SoftmaxCrossEntropy(Variable logits, int[] labels, Tensor probabilities) {
        super(logits);
        this.logits = logits;
        this.labels = labels;
        this.probabilities = probabilities;
    }

    /**
     * @param logits {@code n×K}, {@code n ≥ 1}
     * @param labels {@code n} class indices in {@code [0, K)} (Not modified; kept by reference)
     */
    public static Variable apply(Variable logits, int[] labels) {
        Tensor z = logits.value();
        int n = z.rows();
        int k = z.cols();
        if (labels.length != n) {
            throw new IllegalArgumentException("cross-entropy: " + n + " rows of logits but " + labels.length + " labels");
        }
        if (n == 0) {
            throw new IllegalArgumentException("cross-entropy of an empty batch");
        }
        Tensor p = Tensor.zeros(n, k);
        float[] zs = z.data();
        float[] ps = p.data();
        double loss = 0;
        for (int i = 0; i < n; i++) {
            int base = i * k;
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalArgumentException("label " + labels[i] + " outside 0.." + (k - 1));
            }
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                m = Math.max(m, zs[base + j]);
            }
            double s = 0;
            for (int j = 0; j < k; j++) {
                s += Math.exp(zs[base + j] - m);
            }
            double logSum = Math.log(s);
            for (int j = 0; j < k; j++) {
                ps[base + j] = (float) Math.exp(zs[base + j] - m - logSum);
            }
            loss -= zs[base + labels[i]] - m - logSum;
        }
        return new SoftmaxCrossEntropy(logits, labels, p).output(Tensor.full((float) (loss / n)));
    }

    /** The softmax probabilities of the forward pass, {@code n×K} (callers must not modify it). */
    public Tensor probabilities() {
        return probabilities;
    }

    @Override
    protected void backward(Tensor g) {
        int n = probabilities.rows();
        int k = probabilities.cols();
        float scale = g.data()[0] / n;
        Tensor dz = Tensor.zeros(n, k);
        float[] ps = probabilities.data();
        float[] d = dz.data();
        for (int i = 0; i < n * k; i++) {
            d[i] = ps[i] * scale;
        }
        for (int i = 0; i < n; i++) {
            d[i * k + labels[i]] -= scale;
        }
        logits.accumulate(dz);
    }
}
