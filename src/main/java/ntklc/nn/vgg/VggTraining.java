package ntklc.nn.vgg;

import java.util.Arrays;
import java.util.SplittableRandom;

import ntklc.autograd.SoftmaxCrossEntropy;
import ntklc.autograd.Variable;
import ntklc.backend.Backend;
import ntklc.data.Dataset;
import ntklc.nn.DivergedLossException;
import ntklc.nn.Sgd;
import ntklc.nn.Trainer;
import ntklc.tensor.Tensor;

/**
 * One training epoch, the evaluation and the feature extraction of a {@link Vgg} (docs/theory.md §1.4):
 * mini-batch SGD on the softmax cross-entropy over augmented, normalised images.
 *
 * <p>Randomness. Everything random in epoch {@code e} — the order of the training images, the crops
 * and flips, the dropout masks — comes from {@link #epochGenerator(long, int)}, a function of the
 * run's seed and {@code e} only. A run resumed at epoch {@code e} therefore draws exactly what an
 * uninterrupted one would, and a checkpoint's "generator state" is just the seed and the epoch.
 */
public final class VggTraining {
    private VggTraining() {
    }

    /** Progress of an epoch or a pass over a data set. */
    @FunctionalInterface
    public interface Listener {
        /** Called after batch {@code batch} (1-based) of {@code total}; {@code loss} is that batch's mean loss (NaN when not training). */
        void onBatch(int batch, int total, double loss);
    }

    /** Mean training loss and accuracy over the epoch's batches, as the network was while it trained on them. */
    public record EpochResult(double trainLoss, double trainAccuracy, int samples, double seconds) {
    }

    /** Mean loss and accuracy of a data set in evaluation mode. */
    public record Evaluation(double loss, double accuracy) {
    }

    /**
     * The generator of every random choice of epoch {@code epoch} (1-based):
     * {@code new SplittableRandom(seed ^ (0x9E3779B97F4A7C15·epoch)).split()} — the split mixes
     * neighbouring seeds into unrelated streams.
     */
    public static SplittableRandom epochGenerator(long seed, int epoch) {
        return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * epoch)).split();
    }

    /**
     * One pass over (at most {@code maxBatches} batches of) the training set, in the order of a
     * Fisher–Yates shuffle drawn from {@code rng}; crops and flips from {@code rng.split()}, dropout
     * from a second {@code rng.split()}. A trailing batch of a single image is skipped (batch norm
     * needs two values per channel, and a 1×1 output has only one per image).
     *
     * @param model     trained in place (parameters and running statistics Modified)
     * @param optimizer steps after each batch (its learning rate is the caller's business)
     * @param rng       the epoch's generator (Modified)
     * @param resident  run each step with every tensor resident on {@code backend} ({@link ResidentTraining};
     *                  model and optimizer are brought up to date at the end of the epoch), or through the
     *                  host autograd graph (each primitive uploads its operands and downloads its result);
     *                  both draw the same shuffles, crops, flips and dropout masks
     * @throws DivergedLossException when a batch's loss is NaN or infinite (before its update is applied)
     */
    public static EpochResult epoch(Vgg model, Sgd optimizer, Dataset train, ImageTransform transform,
                                    int batchSize, int maxBatches, int epoch, SplittableRandom rng, Backend backend,
                                    boolean resident, Listener listener) {
        long start = System.nanoTime();
        int n = train.n();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        SplittableRandom augment = rng.split();
        SplittableRandom dropout = rng.split();
        int batches = Math.min(maxBatches, n / batchSize + (n % batchSize >= 2 ? 1 : 0));
        double lossSum = 0;
        long correct = 0;
        int seen = 0;
        try (ResidentTraining device = resident ? new ResidentTraining(model, optimizer, backend) : null) {
            for (int b = 0; b < batches; b++) {
                int from = b * batchSize;
                int to = Math.min(n, from + batchSize);
                int[] rows = Arrays.copyOfRange(order, from, to);
                int[] labels = labels(train, rows);
                Tensor x = transform.batch(train, rows, augment);
                double l;
                Tensor logits;
                if (device != null) {
                    ResidentTraining.Step step = device.step(x, labels, dropout);
                    l = step.loss();
                    logits = step.logits();
                } else {
                    Variable z = model.logits(Variable.constant(x), backend, dropout);
                    Variable loss = SoftmaxCrossEntropy.apply(z, labels);
                    l = loss.value().data()[0];
                    logits = z.value();
                    if (Double.isFinite(l)) {
                        optimizer.zeroGrad();
                        loss.backward();
                        optimizer.step();
                    }
                }
                if (!Double.isFinite(l)) {
                    throw DivergedLossException.nonFinite(epoch, b + 1, l);
                }
                lossSum += l * rows.length;
                correct += Trainer.countCorrect(logits, labels);
                seen += rows.length;
                listener.onBatch(b + 1, batches, l);
            }
            if (device != null) {
                device.download();
            }
        }
        return new EpochResult(lossSum / seen, (double) correct / seen, seen, (System.nanoTime() - start) / 1e9);
    }

    /** Mean cross-entropy and accuracy over {@code data}, evaluation mode, no augmentation. */
    public static Evaluation evaluate(Vgg model, Dataset data, ImageTransform transform, int batchSize,
                                      Backend backend, Listener listener) {
        double lossSum = 0;
        long correct = 0;
        int total = (data.n() + batchSize - 1) / batchSize;
        for (int b = 0; b < total; b++) {
            int[] rows = range(b * batchSize, Math.min(data.n(), (b + 1) * batchSize));
            int[] labels = labels(data, rows);
            Tensor x = transform.batch(data, rows, null);
            Variable logits = model.logits(Variable.constant(x), backend, null);
            lossSum += SoftmaxCrossEntropy.apply(Variable.constant(logits.value()), labels).value().data()[0]
                    * rows.length;
            correct += Trainer.countCorrect(logits.value(), labels);
            listener.onBatch(b + 1, total, Double.NaN);
        }
        return new Evaluation(lossSum / data.n(), (double) correct / data.n());
    }

    /**
     * The features {@link Vgg#features} of every image of {@code data}, in order: {@code n×featureDim}.
     *
     * @param augment draws crops and flips image by image (Modified), or {@code null} for none
     */
    public static Tensor features(Vgg model, Dataset data, ImageTransform transform, SplittableRandom augment,
                                  int batchSize, Backend backend, Listener listener) {
        int dim = model.architecture().featureDim();
        Tensor out = Tensor.zeros(data.n(), dim);
        int total = (data.n() + batchSize - 1) / batchSize;
        for (int b = 0; b < total; b++) {
            int from = b * batchSize;
            int[] rows = range(from, Math.min(data.n(), from + batchSize));
            Tensor f = model.features(Variable.constant(transform.batch(data, rows, augment)), backend).value();
            System.arraycopy(f.data(), 0, out.data(), from * dim, f.size());
            listener.onBatch(b + 1, total, Double.NaN);
        }
        return out;
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    private static int[] labels(Dataset data, int[] rows) {
        int[] y = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            y[i] = data.labels()[rows[i]];
        }
        return y;
    }
}
