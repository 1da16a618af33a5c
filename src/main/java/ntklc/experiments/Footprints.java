package ntklc.experiments;

import java.nio.file.Path;

import ntklc.compression.Readout;
import ntklc.cli.Footprint;
import ntklc.cli.ParsedOptions;
import ntklc.data.Cifar10;
import ntklc.data.DataSource;
import ntklc.nn.vgg.Vgg;

/**
 * The memory estimates ({@link Footprint}) that several commands share: the data they load and the
 * random-feature networks of {@code compress} and {@code activations}. Each method states the
 * arrays it counts; every count is an upper bound of what is live at once.
 */
final class Footprints {
    /** MNIST and Fashion-MNIST: 60 000 + 10 000 images of 28×28 = 784 pixels. */
    static final long IDX_IMAGES = 70_000;
    static final int IDX_P = 784;
    /** CIFAR-10: 50 000 + 10 000 images of 3·32·32 = 3072 values. */
    static final long CIFAR_IMAGES = 60_000;

    private Footprints() {
    }

    /**
     * The data of one load: a Gaussian mixture holds its two splits, {@code (nTrain + nTest)·p}
     * floats; real data hold every image of the files plus the selected copy of each split, at most
     * twice the files ({@code 2·70 000·784} floats for MNIST, {@code 2·60 000·3072} for CIFAR-10).
     * CSV files: at most one value per two bytes of text (a digit and a comma), three times over (the
     * parser's growing buffer, its final copy and the split).
     */
    static Footprint data(DataSource source, long nTrain, long nTest, long p) {
        Footprint f = Footprint.none();
        if (source instanceof DataSource.Mixture) {
            f.floats("the Gaussian-mixture samples (n×p)", 1, Footprint.plus(nTrain, nTest), p, "a smaller --n or --p");
        } else if (source instanceof DataSource.Idx) {
            // the files' bytes, and floats for the selected images only (Preprocessing reads rows from the bytes)
            long selected = nTrain > 0 && nTest > 0 ? Math.min(IDX_IMAGES, Footprint.plus(nTrain, nTest)) : IDX_IMAGES;
            f.add("the image files (70 000×784 bytes)", 1, IDX_IMAGES * IDX_P, 1, "-Xmx");
            f.floats("the selected images (n×784)", 1, selected, IDX_P, "fewer --train-per-class or --test-per-class");
        } else if (source instanceof DataSource.Cifar) {
            f.floats("the CIFAR-10 images (n×3072)", 2, CIFAR_IMAGES, Cifar10.P, "-Xmx");
        } else if (source instanceof DataSource.Csv csv) {
            long bytes = fileSize(csv.train()) + (csv.test() == null ? 0 : fileSize(csv.test()));
            f.floats("the CSV samples", 3, bytes / 2, 1, "a smaller CSV file");
        }
        return f;
    }

    /** The input dimension p of {@code source} where it is known without reading data; 0 for a CSV file. */
    static long dimension(DataSource source, long gmmP) {
        if (source instanceof DataSource.Mixture) {
            return gmmP;
        }
        if (source instanceof DataSource.Idx) {
            return IDX_P;
        }
        if (source instanceof DataSource.Cifar) {
            return Cifar10.P;
        }
        return 0;
    }

    /** Classes assumed for a CSV file without {@code --classes}: the largest label it may hold, plus one. */
    static final int CSV_CLASSES = 10_000;

    /**
     * The number of classes K of {@code source} when the user did not list them: the number of
     * proportions (or 2) for a mixture, 10 for the image sets, {@link #CSV_CLASSES} for a CSV file.
     */
    static long classes(DataSource source, int proportions) {
        if (source instanceof DataSource.Mixture) {
            return proportions > 0 ? proportions : 2;
        }
        return source instanceof DataSource.Csv ? CSV_CLASSES : 10;
    }

    /**
     * One NTK-LC network on the packed ternary engine ({@code ntklc.compression.packed}) and its
     * readout, for {@code nTrain} training and {@code nTest} test samples of dimension {@code p = d_0}:
     * <ul>
     *   <li>weights: at most two bit planes per layer, {@code Σ_ℓ 2·d_ℓ·⌈d_{ℓ−1}/64⌉} longs (the
     *       engine keeps whichever form is smallest), plus the float rows sampled at a time,
     *       {@code 1024·max_ℓ d_{ℓ−1}} floats;</li>
     *   <li>features: {@code ⌈log2 K⌉} code planes for the K levels of the last activation (3 for
     *       σ_Q, 4 to 16 for the staircases), {@code (nTrain + nTest)·⌈log2 K⌉·⌈d_L/64⌉} longs;</li>
     *   <li>forward batches: two {@code b×max(d_0, …, d_L)} floats (the first layer's real-valued sums);</li>
     *   <li>readout: ridge unpacks the training features ({@code nTrain·d_L} floats and the centred
     *       copy) and builds the {@code m×m} Gram of {@link #randomFeatures}; softmax reads
     *       {@link Readout#CHUNK} rows of {@code d_L} floats at a time.</li>
     * </ul>
     */
    static Footprint packedRandomFeatures(long nTrain, long nTest, long p, int[] widths, long batch, boolean ridge,
                                          int lastLevels) {
        long planeWords = 0;
        long widestInput = p;
        long widest = p;
        long in = p;
        for (int d : widths) {
            planeWords = Footprint.plus(planeWords, Footprint.times(2L * d, (in + 63) / 64));
            widestInput = Math.max(widestInput, in);
            widest = Math.max(widest, d);
            in = d;
        }
        long dL = widths[widths.length - 1];
        String widthHint = "smaller --widths";
        Footprint f = Footprint.none();
        f.add("the packed weights (two bit planes per layer at most)", 1, planeWords, Long.BYTES, widthHint);
        f.floats("the weight rows sampled at a time (1024×d_ℓ−1)", 1, 1024, widestInput, widthHint);
        int codeBits = 32 - Integer.numberOfLeadingZeros(Math.max(1, lastLevels - 1));
        f.add("the features as level codes (n×" + codeBits + "⌈d_L/64⌉ words)", 1,
                Footprint.times(Footprint.plus(nTrain, nTest), codeBits * ((dL + 63) / 64)), Long.BYTES,
                "fewer samples or a smaller last width");
        f.floats("a forward batch (batch×max width)", 2, batch, widest, "a smaller --forward-batch or smaller --widths");
        f.doubles("a staircase layer's sums or decoded levels (batch×max width)", 2, batch, widest,
                "a smaller --forward-batch or smaller --widths");
        if (ridge) {
            long m = Math.min(nTrain, dL);
            f.floats("the unpacked training features for the ridge readout (n×d_L)", 2, nTrain, dL,
                    "fewer training samples, a smaller last width or --readout=softmax");
            f.floats("the readout Gram matrix (min(n, d_L)² floats)", 1, m, m, "a smaller last width");
            f.doubles("the readout Gram matrix in double and its Cholesky factor", 2, m, m, "a smaller last width");
        } else {
            f.floats("a chunk of unpacked feature rows for the readout", 1, Readout.CHUNK, dL, "a smaller last width");
        }
        return f;
    }

    /**
     * One random-feature network (paper Eqs. (2)–(3)) and its ridge readout, for {@code nTrain}
     * training and {@code nTest} test samples of dimension {@code p = d_0}:
     * <ul>
     *   <li>weights: every layer's transposed {@code d_{ℓ−1}×d_ℓ} floats, plus two more copies of the
     *       largest layer while it is sampled and transposed (or sorted by magnitude pruning):
     *       {@code Σ_ℓ d_ℓ·d_{ℓ−1} + 2·max_ℓ d_ℓ·d_{ℓ−1}} floats;</li>
     *   <li>features: {@code (nTrain + nTest)·d_L} floats, and the centred training copy
     *       {@code nTrain·d_L};</li>
     *   <li>forward batches: two {@code b×max(d_0, …, d_L)} floats (input slice and layer output);</li>
     *   <li>ridge readout with {@code m = min(nTrain, d_L)}: the float Gram {@code m×m}, its double
     *       copy and the Cholesky factor, {@code m²·(4 + 8 + 8)} bytes.</li>
     * </ul>
     */
    static Footprint randomFeatures(long nTrain, long nTest, long p, int[] widths, long batch) {
        long sum = 0;
        long largest = 0;
        long widest = p;
        long in = p;
        for (int d : widths) {
            long layer = Footprint.times(in, d);
            sum = Footprint.plus(sum, layer);
            largest = Math.max(largest, layer);
            widest = Math.max(widest, d);
            in = d;
        }
        long dL = widths[widths.length - 1];
        long m = Math.min(nTrain, dL);
        String widthHint = "smaller --widths";
        Footprint f = Footprint.none();
        f.add("the largest weight matrix (d_ℓ×d_ℓ−1 floats)", 3, largest, Float.BYTES, widthHint);
        f.several("the other weight matrices", Footprint.times(sum - largest, Float.BYTES), widthHint);
        f.floats("the training features (n×d_L)", 2, nTrain, dL, "fewer training samples or a smaller last width");
        f.floats("the test features (n×d_L)", 1, nTest, dL, "fewer test samples or a smaller last width");
        f.floats("a forward batch (batch×max width)", 2, batch, widest, "a smaller --forward-batch or smaller --widths");
        f.floats("the readout Gram matrix (min(n, d_L)² floats)", 1, m, m, "a smaller last width");
        f.doubles("the readout Gram matrix in double and its Cholesky factor", 2, m, m, "a smaller last width");
        return f;
    }

    /**
     * A VGG network ({@code Vgg.Architecture}) on batches of {@code batch} images:
     * <ul>
     *   <li>parameters {@code Σ 9·C_in·C_out + C_last·s²·c + c² + c·K} (c the classifier width, s the
     *       body's output side), {@code copies} times (parameters, gradients, SGD velocities and their
     *       device-resident twins);</li>
     *   <li>per image and convolution unit {@code C_out·H·W} of the body, {@code perUnit} floats of the
     *       batch (forward: convolution, batch-norm and ReLU outputs, the pooling; backward: a gradient
     *       of each), the largest layer as one array of {@code batch·C_out·H·W} floats;</li>
     *   <li>the CIFAR-10 images loaded, {@code images·3072} floats.</li>
     * </ul>
     */
    static Footprint vgg(Vgg.Architecture a, long batch, long images, int copies, int perUnit) {
        long params = 0;
        long units = 0;
        long largest = 0;
        int channels = a.inChannels();
        int size = a.imageSize();
        for (int v : a.plan()) {
            if (v == Vgg.POOL) {
                size /= 2;
                continue;
            }
            params += 9L * channels * v;
            long layer = (long) v * size * size;
            units += layer;
            largest = Math.max(largest, layer);
            channels = v;
        }
        long s = a.outputSize();
        long c = a.classifierWidth();
        params += channels * s * s * c + c * c + c * a.classes();
        String batchHint = "a smaller --batch";
        return Footprint.none()
                .add("the network parameters and their gradient and optimizer copies", copies, params, Float.BYTES,
                        "a larger --width-divisor")
                .add("the largest convolution output of a batch (batch×C×H×W)", 1, Footprint.times(batch, largest),
                        Float.BYTES, batchHint)
                .several("the activations and gradients of a batch", Footprint.times(Footprint.times(batch, units),
                        (long) perUnit * Float.BYTES), batchHint)
                .floats("the CIFAR-10 images (n×3072)", 1, images, Cifar10.P, "a smaller --train-limit");
    }

    /** {@code --name} as a list of widths, each refused unless 1 ≤ d. */
    static int[] positiveWidths(ParsedOptions o, String name) {
        int[] widths = o.getIntList(name);
        for (int d : widths) {
            if (d < 1) {
                throw o.bad(name, o.getString(name), "a list of positive widths");
            }
        }
        return widths;
    }

    private static long fileSize(Path file) {
        try {
            return java.nio.file.Files.size(file);
        } catch (java.io.IOException e) {
            return 0; // the load reports the missing file
        }
    }
}
