package ntklc.data;

import java.nio.file.Path;

import ntklc.tensor.Parallel;
import ntklc.tensor.Tensor;

/**
 * CIFAR-10, binary version (paper §4: raw pixels, docs/theory.md §1.3; VGG19 features, docs/theory.md §1.4).
 *
 * <p>Files: {@code dataDir/cifar-10-batches-bin/data_batch_1.bin … data_batch_5.bin} (training,
 * 5 × 10 000 images) and {@code test_batch.bin} (10 000 images); each may also be gzipped as
 * {@code NAME.gz}. Every file is a sequence of 3 073-byte records: byte 0 is the label (0..9),
 * bytes 1..1024 the red plane, 1025..2048 green, 2049..3072 blue, each plane 32×32 row-major.
 *
 * <p>Result: {@code x} is {@code n×3072} in the file's CHW order — pixel {@code (c, h, w)} is
 * column {@code 1024c + 32h + w} — with values {@code byte/255 ∈ [0, 1]}, so a row reshaped to
 * {@code 3×32×32} is the image. The whole training set is 50 000 × 3 072 floats (≈ 614 MB);
 * {@link #load(Path, int, int)} reads only the first images.
 */
public final class Cifar10 {
    /** Bytes per record: one label byte and 3·32·32 pixel bytes. */
    public static final int RECORD_BYTES = 3073;
    /** Input dimension p = 3·32·32. */
    public static final int P = 3072;
    /** Records in each official file. */
    public static final int RECORDS_PER_FILE = 10_000;
    /** The training files, in order. */
    public static final String[] TRAIN_FILES = {
        "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"};
    /** The test file. */
    public static final String TEST_FILE = "test_batch.bin";
    /** Folder under the data dir. */
    public static final String FOLDER = "cifar-10-batches-bin";
    static final int NUM_CLASSES = 10;
    private static final String HINT = "run data/fetch.sh --only=cifar10 (see data/README.md)";

    private Cifar10() {
    }

    /** Loads all 50 000 training and 10 000 test images. */
    public static TrainTest load(Path dataDir) {
        return load(dataDir, TRAIN_FILES.length * RECORDS_PER_FILE, RECORDS_PER_FILE);
    }

    /**
     * Loads the first {@code maxTrain} training images (in file order, data_batch_1 first) and the
     * first {@code maxTest} test images; files past the last one needed are not read.
     *
     * @throws DataException if a needed file is missing, has the wrong length or holds a label outside 0..9
     */
    public static TrainTest load(Path dataDir, int maxTrain, int maxTest) {
        return load(dataDir, maxTrain, maxTest, RECORDS_PER_FILE);
    }

    /** {@link #load(Path, int, int)} with a different file size (tests use small synthetic files). */
    static TrainTest load(Path dataDir, int maxTrain, int maxTest, int recordsPerFile) {
        if (maxTrain < 1 || maxTest < 1) {
            throw new DataException("cifar10: need at least one training and one test image (asked for "
                    + maxTrain + " and " + maxTest + ")");
        }
        Path dir = dataDir.resolve(FOLDER);
        int trainCount = Math.min(maxTrain, TRAIN_FILES.length * recordsPerFile);
        Dataset train = read(dir, TRAIN_FILES, trainCount, recordsPerFile);
        Dataset test = read(dir, new String[] {TEST_FILE}, Math.min(maxTest, recordsPerFile), recordsPerFile);
        return new TrainTest(train, test);
    }

    /** Reads the first {@code count} records spread over {@code files} (each of {@code recordsPerFile} records). */
    private static Dataset read(Path dir, String[] files, int count, int recordsPerFile) {
        int needed = (count + recordsPerFile - 1) / recordsPerFile;
        Path[] paths = new Path[needed];
        long expected = (long) recordsPerFile * RECORD_BYTES;
        for (int f = 0; f < needed; f++) {
            // check what can be checked before allocating the (up to 614 MB) result
            paths[f] = DataFiles.locate(dir, files[f], HINT);
            if (!paths[f].getFileName().toString().endsWith(".gz")) {
                requireLength(paths[f], DataFiles.size(paths[f]), expected, recordsPerFile);
            }
        }
        float[] x = new float[Math.multiplyExact(count, P)];
        int[] labels = new int[count];
        for (int f = 0; f < needed; f++) {
            Path file = paths[f];
            byte[] b = DataFiles.readAll(file);
            requireLength(file, b.length, expected, recordsPerFile);
            int first = f * recordsPerFile;
            int records = Math.min(recordsPerFile, count - first);
            for (int r = 0; r < records; r++) {
                int label = b[r * RECORD_BYTES] & 0xFF;
                if (label >= NUM_CLASSES) {
                    throw new DataException(file + ": label " + label + " of record " + r + " is outside 0.." + (NUM_CLASSES - 1));
                }
                labels[first + r] = label;
            }
            Parallel.forRange(records, 512, (from, to) -> {
                for (int r = from; r < to; r++) {
                    int src = r * RECORD_BYTES + 1;
                    int dst = (first + r) * P;
                    for (int k = 0; k < P; k++) {
                        x[dst + k] = DataFiles.PIXEL[b[src + k] & 0xFF];
                    }
                }
            });
        }
        return new Dataset(Tensor.wrap(x, count, P), labels, NUM_CLASSES);
    }

    private static void requireLength(Path file, long length, long expected, int recordsPerFile) {
        if (length != expected) {
            throw new DataException(file + ": " + length + " bytes, expected " + expected + " (" + recordsPerFile
                    + " records of " + RECORD_BYTES + " bytes)" + (length < expected ? "; truncated" : ""));
        }
    }
}
