package ntklc.compression;

import java.util.Arrays;
import java.util.SplittableRandom;

import ntklc.autograd.SoftmaxCrossEntropy;
import ntklc.autograd.Variable;
import ntklc.nn.Adam;
import ntklc.nn.DivergedLossException;
import ntklc.nn.Linear;
import ntklc.nn.LossGuard;
import ntklc.nn.Trainer;
import ntklc.tensor.Tensor;
import ntklc.tensor.TensorOps;

/**
 * Softmax regression {@code p(c | φ) = softmax(Wφ + b)_c} trained with Adam on the
 * cross-entropy, the readout of the reference code (docs/theory.md §8.2: Linear(d_L, K) + Adam lr 1e−3,
 * batch 128). Differences, on purpose: the loss is the ordinary cross-entropy of the logits (the
 * code applies it to softmax outputs, docs/theory.md §9 item 10), the training set is reshuffled each epoch
 * with the seeded generator, and there is no early stopping on the test set (item 11): a fixed
 * number of epochs is run.
 *
 * <p>Built from the shared parts: the layer is an {@link ntklc.nn.Linear} ({@code W: K×d},
 * {@code b: K}, both starting at 0), the loss {@link SoftmaxCrossEntropy} (gradient
 * {@code (P − Y)/B} of the mean batch loss), the optimiser {@link ntklc.nn.Adam} with its defaults
 * β1 = 0.9, β2 = 0.999, ε = 1e−8 (Kingma &amp; Ba, ICLR 2015, Algorithm 1). The sample order is
 * one permutation reshuffled in place at the start of every epoch ({@link Trainer#shuffle}).
 */
public final class SoftmaxReadout implements Readout {
    private final Linear layer;
    private final double finalLoss;

    private SoftmaxReadout(Linear layer, double finalLoss) {
        this.layer = layer;
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
     * @throws DivergedLossException if a batch loss is not finite or exceeds {@link LossGuard#FACTOR} times the first
     */
    public static SoftmaxReadout fit(Tensor features, int[] labels, int numClasses, int epochs, double learningRate,
                                     int batch, SplittableRandom rng) {
        return fit(FeatureRows.of(features), labels, numClasses, epochs, learningRate, batch, rng);
    }

    /**
     * As {@link #fit(Tensor, int[], int, int, double, int, SplittableRandom)}, the features read a
     * mini-batch at a time (e.g. unpacked from bits).
     */
    public static SoftmaxReadout fit(FeatureRows features, int[] labels, int numClasses, int epochs, double learningRate,
                                     int batch, SplittableRandom rng) {
        int n = features.rows();
        Linear layer = new Linear(Tensor.zeros(numClasses, features.cols()), Tensor.zeros(numClasses));
        Adam adam = new Adam(layer.parameters(), learningRate);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double epochLoss = Double.NaN;
        LossGuard guard = new LossGuard();
        for (int epoch = 0; epoch < epochs; epoch++) {
            Trainer.shuffle(order, rng);
            double lossSum = 0;
            for (int start = 0; start < n; start += batch) {
                int[] rows = Arrays.copyOfRange(order, start, Math.min(n, start + batch));
                int[] y = new int[rows.length];
                for (int r = 0; r < rows.length; r++) {
                    y[r] = labels[rows[r]];
                }
                Variable logits = layer.forward(Variable.constant(features.gather(rows)), true);
                Variable loss = SoftmaxCrossEntropy.apply(logits, y);
                double value = loss.value().data()[0];
                guard.check(epoch + 1, start / batch + 1, value);
                adam.zeroGrad();
                loss.backward();
                adam.step();
                lossSum += value * (double) rows.length;
            }
            epochLoss = lossSum / n;
        }
        return new SoftmaxReadout(layer, epochLoss);
    }

    /**
     * A trained readout from its parameters (e.g. read back from a model file).
     *
     * @param weight {@code K×d} (Not copied)
     * @param bias   K (Not copied)
     */
    public static SoftmaxReadout of(Tensor weight, Tensor bias) {
        return new SoftmaxReadout(new Linear(weight, bias), Double.NaN);
    }

    /** W, {@code K×d} (the parameter itself: Not to be modified). */
    public Tensor weight() {
        return layer.weight().value();
    }

    /** b, K entries (the parameter itself: Not to be modified). */
    public Tensor bias() {
        return layer.bias().value();
    }

    /** Mean training cross-entropy of the last epoch (NaN for a readout read back from a file). */
    public double finalLoss() {
        return finalLoss;
    }

    @Override
    public int[] predict(Tensor features) {
        return TensorOps.argmaxRows(layer.forward(Variable.constant(features), false).value());
    }
}
