package ntklc.nn;

import java.util.SplittableRandom;

import ntklc.autograd.SoftmaxCrossEntropy;
import ntklc.autograd.Variable;
import ntklc.data.Dataset;
import ntklc.tensor.Tensor;
import ntklc.tensor.TensorOps;

/**
 * Mini-batch training of a classifier with the softmax cross-entropy loss
 * ({@link SoftmaxCrossEntropy}): each epoch shuffles the training set with the given generator,
 * cuts it into batches of {@code batchSize} rows (the last one smaller), and for each batch runs
 * forward, backward and one optimizer step. Progress goes to a {@link Listener}; the trainer
 * itself prints nothing.
 */
public final class Trainer {
    /** Receives progress; every method has an empty default. */
    public interface Listener {
        /** After each batch: 1-based epoch, 0-based batch index, batches in this epoch, batch loss. */
        default void onBatch(int epoch, int batch, int batches, double loss) {
        }
    }

    /**
     * Summary of one training epoch.
     *
     * @param epoch         1-based
     * @param trainLoss     mean of the batch losses, weighted by batch size
     * @param trainAccuracy fraction of training samples classified correctly by the logits of their
     *                      own batch's forward pass (before that batch's update, with dropout active):
     *                      a free running estimate, not a separate evaluation pass
     * @param samples       number of samples seen
     * @param seconds       wall-clock time of the epoch
     */
    public record EpochResult(int epoch, double trainLoss, double trainAccuracy, int samples, double seconds) {
    }

    private final Module model;
    private final Optimizer optimizer;
    private final int batchSize;
    /** Divergence check over all epochs of this trainer. */
    private final LossGuard guard = new LossGuard();

    public Trainer(Module model, Optimizer optimizer, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be ≥ 1, got " + batchSize);
        }
        this.model = model;
        this.optimizer = optimizer;
        this.batchSize = batchSize;
    }

    /**
     * Trains for one epoch.
     *
     * @param epoch      1-based number, for reporting
     * @param train      training set ({@code x: n×p}), Not modified
     * @param maxBatches stop after this many batches ({@code Integer.MAX_VALUE}: the whole set)
     * @param rng        shuffles the sample order (Modified)
     * @throws DivergedLossException if a batch loss is NaN or infinite, or exceeds {@link LossGuard#FACTOR}
     *         times the first batch loss of this trainer (that batch's update is not applied)
     */
    public EpochResult epoch(int epoch, Dataset train, int maxBatches, SplittableRandom rng, Listener listener) {
        long start = System.nanoTime();
        int n = train.n();
        int[] order = permutation(n, rng);
        int batches = Math.min(maxBatches, (n + batchSize - 1) / batchSize);
        double lossSum = 0;
        int correct = 0;
        int seen = 0;
        for (int b = 0; b < batches; b++) {
            int from = b * batchSize;
            int to = Math.min(n, from + batchSize);
            int[] rows = java.util.Arrays.copyOfRange(order, from, to);
            int[] labels = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                labels[i] = train.labels()[rows[i]];
            }
            Variable x = Variable.constant(TensorOps.gatherRows(train.x(), rows));
            Variable logits = model.forward(x, true);
            Variable loss = SoftmaxCrossEntropy.apply(logits, labels);
            double value = loss.value().data()[0];
            guard.check(epoch, b, value);
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
            lossSum += value * rows.length;
            correct += countCorrect(logits.value(), labels);
            seen += rows.length;
            listener.onBatch(epoch, b, batches, value);
        }
        return new EpochResult(epoch, lossSum / seen, (double) correct / seen, seen,
                (System.nanoTime() - start) / 1e9);
    }

    /** A uniformly random permutation of {@code 0..n−1} (Fisher–Yates). */
    static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p, rng);
        return p;
    }

    /**
     * Permutes {@code a} uniformly at random in place (Fisher–Yates: for {@code i = n−1 … 1} swap
     * {@code a[i]} with {@code a[j]}, {@code j = rng.nextInt(i + 1)}). {@code a} and {@code rng} are Modified.
     */
    public static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** How many rows of {@code logits} ({@code N×classes}) have their arg-max at {@code labels} (length N). */
    public static int countCorrect(Tensor logits, int[] labels) {
        int[] predicted = TensorOps.argmaxRows(logits);
        int c = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted[i] == labels[i]) {
                c++;
            }
        }
        return c;
    }

    /**
     * Fraction of {@code data} that {@code model} classifies correctly (arg-max of the logits),
     * evaluated in batches of {@code batchSize} with dropout off; no graph is kept for backward.
     */
    public static double accuracy(Module model, Dataset data, int batchSize) {
        int n = data.n();
        if (n == 0) {
            throw new IllegalArgumentException("accuracy of an empty data set");
        }
        int correct = 0;
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            int[] rows = new int[to - from];
            int[] labels = new int[to - from];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = from + i;
                labels[i] = data.labels()[from + i];
            }
            Tensor logits = model.forward(Variable.constant(TensorOps.gatherRows(data.x(), rows)), false).value();
            correct += countCorrect(logits, labels);
        }
        return (double) correct / n;
    }
}
