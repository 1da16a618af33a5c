package ntklc.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

import ntklc.tensor.Tensor;

/**
 * The VGG19 feature file of the CIFAR-10 compression experiment (docs/theory.md §1.4, §8.3): the flattened
 * output of the 16th convolutional layer for the training and the test images, each split
 * normalised (centred, {@code (1/n)Σ||f_i||² = 1}), with the labels. Written by the
 * {@code features} command, read by {@code compress --data=cifar10-features --features=PATH}.
 *
 * <p>Format, version 1, every number <b>little-endian</b> (so {@code numpy.fromfile} reads it with
 * {@code '<i4'} / {@code '<f4'}):
 * <pre>
 *   bytes 0–7        magic "NTKLCFEA" (ASCII)
 *   int32            version = 1
 *   int32            dim       feature dimension p (512 for VGG19, 512/q with width divisor q)
 *   int32            classes   number of classes K (10)
 *   int32            nTrain
 *   int32            nTest
 *   nTrain × int32   training labels in [0, K)
 *   nTrain × dim     float32 training features, row-major (sample i is floats i·dim … i·dim+dim−1)
 *   nTest × int32    test labels
 *   nTest × dim      float32 test features
 * </pre>
 * Total size {@code 28 + 4·(nTrain + nTest)·(1 + dim)} bytes; anything else is refused.
 */
public final class FeatureFile {
    private static final byte[] MAGIC = "NTKLCFEA".getBytes(StandardCharsets.US_ASCII);
    /** The version this class writes and reads. */
    public static final int VERSION = 1;
    private static final int HEADER_BYTES = 28;
    private static final int CHUNK = 1 << 20;

    private FeatureFile() {
    }

    /** Writes both splits (same dimension and class count) in the format above; {@code out} is not closed. */
    public static void write(OutputStream out, TrainTest data) throws IOException {
        Dataset train = data.train();
        Dataset test = data.test();
        if (train.p() != test.p() || train.numClasses() != test.numClasses()) {
            throw new IllegalArgumentException("feature splits differ: p " + train.p() + " vs " + test.p()
                    + ", K " + train.numClasses() + " vs " + test.numClasses());
        }
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        header.put(MAGIC).putInt(VERSION).putInt(train.p()).putInt(train.numClasses()).putInt(train.n())
                .putInt(test.n());
        out.write(header.array());
        for (Dataset split : new Dataset[] {train, test}) {
            ByteBuffer labels = ByteBuffer.allocate(4 * split.n()).order(ByteOrder.LITTLE_ENDIAN);
            labels.asIntBuffer().put(split.labels());
            out.write(labels.array());
            float[] x = split.x().data();
            ByteBuffer buf = ByteBuffer.allocate(4 * CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            for (int from = 0; from < x.length; from += CHUNK) {
                int len = Math.min(CHUNK, x.length - from);
                buf.clear();
                buf.asFloatBuffer().put(x, from, len);
                out.write(buf.array(), 0, 4 * len);
            }
        }
        out.flush();
    }

    /**
     * Reads a feature file.
     *
     * @return training and test features, {@code x: n×dim}, with their labels and class count
     * @throws DataException when the file is missing, not a version-1 feature file, of the wrong length,
     *                   or holds a label outside {@code [0, K)} or a non-finite feature
     */
    public static TrainTest read(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            ByteBuffer header = ByteBuffer.wrap(in.readNBytes(HEADER_BYTES)).order(ByteOrder.LITTLE_ENDIAN);
            if (header.remaining() < HEADER_BYTES) {
                throw new DataException("feature file " + path + " is truncated (no complete header)");
            }
            byte[] magic = new byte[MAGIC.length];
            header.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new DataException(path + " is not a feature file (written by the features command)");
            }
            int version = header.getInt();
            if (version != VERSION) {
                throw new DataException("feature file " + path + " has version " + version + ", this code reads " + VERSION);
            }
            int dim = header.getInt();
            int classes = header.getInt();
            int nTrain = header.getInt();
            int nTest = header.getInt();
            if (dim < 1 || classes < 2 || nTrain < 1 || nTest < 1) {
                throw new DataException("feature file " + path + ": bad header (dim " + dim + ", classes " + classes
                        + ", nTrain " + nTrain + ", nTest " + nTest + ")");
            }
            long expected = HEADER_BYTES + 4L * ((long) nTrain + nTest) * (1L + dim);
            long actual = Files.size(path);
            if (actual != expected) {
                throw new DataException("feature file " + path + " has " + actual + " bytes, its header implies " + expected);
            }
            Dataset train = readSplit(in, nTrain, dim, classes, path);
            Dataset test = readSplit(in, nTest, dim, classes, path);
            return new TrainTest(train, test);
        } catch (NoSuchFileException e) {
            throw new DataException("feature file not found: " + path + " (write one with the features command)");
        } catch (IOException e) {
            throw new DataException("cannot read feature file " + path + ": " + e.getMessage());
        }
    }

    private static Dataset readSplit(InputStream in, int n, int dim, int classes, Path path) throws IOException {
        int[] labels = new int[n];
        ByteBuffer.wrap(in.readNBytes(4 * n)).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(labels);
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new DataException("feature file " + path + ": label " + labels[i] + " of sample " + i
                        + " is outside 0.." + (classes - 1));
            }
        }
        Tensor x = Tensor.zeros(n, dim);
        float[] v = x.data();
        for (int from = 0; from < v.length; from += CHUNK) {
            int len = Math.min(CHUNK, v.length - from);
            ByteBuffer.wrap(in.readNBytes(4 * len)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v, from, len);
        }
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new DataException("feature file " + path + ": non-finite feature at sample " + i / dim);
            }
        }
        return new Dataset(x, labels, classes);
    }
}
