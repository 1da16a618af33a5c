package ntklc.compression;

import java.util.SplittableRandom;

import ntklc.tensor.MatMul;
import ntklc.tensor.Tensor;

/**
 * Softmax regression {@code p(c | φ) = softmax(φᵀW + b)_c} trained with Adam on the
 * cross-entropy, the readout of the reference code (spec §9 E2: Linear(d_L, K) + Adam lr 1e−3,
 * batch 128). Differences, on purpose: the loss is the ordinary cross-entropy of the logits (the
 * code applies it to softmax outputs, spec §10 item 10), the training set is reshuffled each epoch
 * with the seeded generator, and there is no early stopping on the test set (item 11): a fixed
 * number of epochs is run.
 *
 * <p>Adam (Kingma &amp; Ba, ICLR 2015, Algorithm 1) with β1 = 0.9, β2 = 0.999, ε = 1e−8, written
 * out here for one linear layer. NOTE: to be replaced by the nn engineer's optimiser once it lands.
 * Gradients of the mean batch loss: {@code G = (P − Y)/B}, {@code ∂W = Φ_Bᵀ G}, {@code ∂b = 1ᵀG}.
 */
public final class SoftmaxReadout implements Readout {
    private final Tensor weights;
    private final float[] bias;
    private final double finalLoss;

    private SoftmaxReadout(Tensor weights, float[] bias, double finalLoss) {
        this.weights = weights;
        this.bias = bias;
        this.finalLoss = finalLoss;
    }

    /**
     * Trains from zero weights.
     *
     * @param features   {@code n×d} (Not modified)
     * @param labels     n classes in 0..K−1
     * @param numClasses K
     * @param epochs     passes over the data
     * @param learningRate Adam step size
     * @param batch      mini-batch size
     * @param rng        seeded generator for the shuffles (Modified)
     * @throws IllegalStateException if the loss becomes NaN
     */
    public static SoftmaxReadout fit(Tensor features, int[] labels, int numClasses, int epochs, double learningRate,
                                     int batch, SplittableRandom rng) {
        int n = features.rows();
        int d = features.cols();
        int k = numClasses;
        Tensor w = Tensor.zeros(d, k);
        float[] bias = new float[k];
        float[] mW = new float[d * k];
        float[] vW = new float[d * k];
        float[] mB = new float[k];
        float[] vB = new float[k];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double beta1 = 0.9;
        double beta2 = 0.999;
        long step = 0;
        double epochLoss = Double.NaN;
        float[] f = features.data();
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            double lossSum = 0;
            for (int start = 0; start < n; start += batch) {
                int b = Math.min(batch, n - start);
                Tensor xb = Tensor.zeros(b, d);
                for (int r = 0; r < b; r++) {
                    System.arraycopy(f, order[start + r] * d, xb.data(), r * d, d);
                }
                float[] logits = MatMul.matmul(xb, w).data();
                Tensor g = Tensor.zeros(b, k);
                float[] gd = g.data();
                for (int r = 0; r < b; r++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int c = 0; c < k; c++) {
                        logits[r * k + c] += bias[c];
                        max = Math.max(max, logits[r * k + c]);
                    }
                    double z = 0;
                    for (int c = 0; c < k; c++) {
                        z += Math.exp(logits[r * k + c] - max);
                    }
                    int y = labels[order[start + r]];
                    lossSum += -(logits[r * k + y] - max - Math.log(z));
                    for (int c = 0; c < k; c++) {
                        double pc = Math.exp(logits[r * k + c] - max) / z;
                        gd[r * k + c] = (float) ((pc - (c == y ? 1 : 0)) / b);
                    }
                }
                float[] gradW = MatMul.matmulTransA(xb, g).data();
                float[] gradB = new float[k];
                for (int r = 0; r < b; r++) {
                    for (int c = 0; c < k; c++) {
                        gradB[c] += gd[r * k + c];
                    }
                }
                step++;
                double c1 = 1 - Math.pow(beta1, step);
                double c2 = 1 - Math.pow(beta2, step);
                adam(w.data(), gradW, mW, vW, beta1, beta2, learningRate, c1, c2);
                adam(bias, gradB, mB, vB, beta1, beta2, learningRate, c1, c2);
            }
            epochLoss = lossSum / n;
            if (!Double.isFinite(epochLoss)) {
                throw new IllegalStateException("softmax readout: loss is " + epochLoss + " in epoch " + (epoch + 1));
            }
        }
        return new SoftmaxReadout(w, bias, epochLoss);
    }

    /** θ ← θ − lr·m̂/(√v̂ + 1e−8), m, v the biased moment estimates. Modified: theta, m, v. */
    private static void adam(float[] theta, float[] grad, float[] m, float[] v, double beta1, double beta2,
                             double lr, double c1, double c2) {
        for (int i = 0; i < theta.length; i++) {
            m[i] = (float) (beta1 * m[i] + (1 - beta1) * grad[i]);
            v[i] = (float) (beta2 * v[i] + (1 - beta2) * grad[i] * grad[i]);
            theta[i] -= (float) (lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + 1e-8));
        }
    }

    /** Mean training cross-entropy of the last epoch. */
    public double finalLoss() {
        return finalLoss;
    }

    @Override
    public int[] predict(Tensor features) {
        int k = bias.length;
        float[] logits = MatMul.matmul(features, weights).data();
        double[] s = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            s[i] = logits[i] + bias[i % k];
        }
        int[] out = new int[features.rows()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Readout.argmaxRow(s, i, k);
        }
        return out;
    }
}
