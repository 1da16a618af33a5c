package ntklc.data;

import java.nio.file.Path;


/**
 * MNIST and Fashion-MNIST in the IDX format of LeCun et al. (paper §4 uses MNIST and
 * Fashion-MNIST as raw-pixel data sets, docs/theory.md §1.3).
 *
 * <p>Files (each may also be gzipped as {@code NAME.gz}):
 * {@code dataDir/<variant>/train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}, with {@code <variant>} =
 * {@code mnist} or {@code fashion-mnist}; {@code data/fetch.sh} puts them there.
 *
 * <p>IDX layout (big-endian): images start with magic {@code 0x00000803} (unsigned bytes, 3
 * dimensions), then n, rows, cols, then n·rows·cols pixel bytes, image after image, row-major;
 * labels start with magic {@code 0x00000801}, then n, then n label bytes.
 *
 * <p>Result: {@code x} is {@code n×784} (p = 28·28 = 784, pixel {@code (r, c)} in column
 * {@code 28r + c}) with values {@code pixel/255 ∈ [0, 1]}; labels 0..9.
 */
public final class Mnist {
    /** Magic number of an IDX file of unsigned bytes with 3 dimensions (images). */
    static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an IDX file of unsigned bytes with 1 dimension (labels). */
    static final int LABELS_MAGIC = 0x00000801;
    /** Both variants have 10 classes. */
    static final int NUM_CLASSES = 10;

    /** The two data sets in this format and the folder each lives in under the data dir. */
    public enum Variant {
        MNIST("mnist"), FASHION_MNIST("fashion-mnist");

        private final String folder;

        Variant(String folder) {
            this.folder = folder;
        }

        /** Folder under the data dir, also the name used on the command line. */
        public String folder() {
            return folder;
        }

        /** The variant called {@code name} ({@code mnist} or {@code fashion-mnist}). */
        public static Variant of(String name) {
            for (Variant v : values()) {
                if (v.folder.equals(name)) {
                    return v;
                }
            }
            throw new DataException("unknown IDX data set '" + name + "' (expected mnist or fashion-mnist)");
        }
    }

    private Mnist() {
    }

    /**
     * Loads both splits: train (60 000 images) and test (10 000 images).
     *
     * @param dataDir the data folder (commands: {@code --data-dir}, default {@code data/})
     * @param which   {@code "mnist"} or {@code "fashion-mnist"}
     * @throws DataException if a file is missing, truncated or corrupt
     */
    public static TrainTest load(Path dataDir, String which) {
        return load(dataDir, Variant.of(which));
    }

    /** {@link #load(Path, String)} for a typed variant. */
    public static TrainTest load(Path dataDir, Variant variant) {
        Images[] both = loadImages(dataDir, variant);
        return new TrainTest(both[0].toDataset(), both[1].toDataset());
    }

    /** Both splits as 8-bit images, {train, test}, checked as by {@link #load(Path, String)}. */
    public static Images[] loadImages(Path dataDir, Variant variant) {
        Path dir = dataDir.resolve(variant.folder());
        String hint = "run data/fetch.sh --only=" + variant.folder() + " (see data/README.md)";
        Images train = readImages(DataFiles.locate(dir, "train-images-idx3-ubyte", hint),
                DataFiles.locate(dir, "train-labels-idx1-ubyte", hint));
        Images test = readImages(DataFiles.locate(dir, "t10k-images-idx3-ubyte", hint),
                DataFiles.locate(dir, "t10k-labels-idx1-ubyte", hint));
        if (train.p() != test.p()) {
            throw new DataException(dir + ": training images have " + train.p() + " pixels, test images " + test.p());
        }
        return new Images[] {train, test};
    }

    /**
     * Reads one split from an images file and a labels file (each plain or gzipped).
     *
     * @return {@code x} of shape {@code n×(rows·cols)} with values in [0, 1], labels 0..9
     * @throws DataException on a bad magic number, a length that disagrees with the header, differing
     *                   counts in the two files, or a label outside 0..9
     */
    public static Dataset read(Path imagesFile, Path labelsFile) {
        return readImages(imagesFile, labelsFile).toDataset();
    }

    /** {@link #read} without converting the pixels to floats. */
    public static Images readImages(Path imagesFile, Path labelsFile) {
        byte[] img = DataFiles.readAll(imagesFile);
        requireHeader(imagesFile, img, IMAGES_MAGIC, 16, "images");
        long n = DataFiles.uint32(img, 4);
        long rows = DataFiles.uint32(img, 8);
        long cols = DataFiles.uint32(img, 12);
        if (rows == 0 || cols == 0 || rows > 4096 || cols > 4096) {
            throw new DataException(imagesFile + ": implausible image size " + rows + "×" + cols + " in the IDX header");
        }
        long expected = 16 + n * rows * cols;
        if (img.length != expected) {
            throw new DataException(imagesFile + ": " + img.length + " bytes, but its header (" + n + " images of "
                    + rows + "×" + cols + ") needs " + expected + (img.length < expected ? " (truncated)" : ""));
        }
        byte[] lab = DataFiles.readAll(labelsFile);
        requireHeader(labelsFile, lab, LABELS_MAGIC, 8, "labels");
        long m = DataFiles.uint32(lab, 4);
        if (lab.length != 8 + m) {
            throw new DataException(labelsFile + ": " + lab.length + " bytes, but its header (" + m + " labels) needs "
                    + (8 + m) + (lab.length < 8 + m ? " (truncated)" : ""));
        }
        if (m != n) {
            throw new DataException(labelsFile + ": " + m + " labels but " + imagesFile.getFileName() + " has " + n + " images");
        }
        int count = (int) n;
        int p = (int) (rows * cols);
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = lab[8 + i] & 0xFF;
            if (labels[i] >= NUM_CLASSES) {
                throw new DataException(labelsFile + ": label " + labels[i] + " of item " + i + " is outside 0.."
                        + (NUM_CLASSES - 1));
            }
        }
        return new Images(img, 16, count, p, labels, NUM_CLASSES);
    }

    private static void requireHeader(Path file, byte[] b, int magic, int headerBytes, String what) {
        if (b.length >= 4 && DataFiles.uint32(b, 0) != magic) {
            throw new DataException(file + ": bad magic number 0x" + String.format("%08x", DataFiles.uint32(b, 0))
                    + ", expected 0x" + String.format("%08x", magic) + " (IDX " + what + " file)");
        }
        if (b.length < headerBytes) {
            throw new DataException(file + ": " + b.length + " bytes, shorter than the " + headerBytes
                    + "-byte IDX header (truncated)");
        }
    }
}
