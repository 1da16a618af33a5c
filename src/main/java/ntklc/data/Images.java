package ntklc.data;

import ntklc.tensor.Parallel;
import ntklc.tensor.Tensor;

/**
 * One split of 8-bit images as read from disk: n images of p bytes each, image after image, from
 * {@code offset} in {@code pixels}; a row reads as {@code byte/255} ({@link DataFiles#PIXEL}), the
 * values {@link #toDataset} would hold. A quarter of the float copy's size: 47 MB against 188 MB
 * for MNIST's training split, so selecting a few classes converts only their rows.
 *
 * @param pixels     the file's bytes (Not modified)
 * @param offset     index of the first pixel
 * @param n          number of images
 * @param p          pixels per image
 * @param labels     one per image, 0..numClasses − 1
 * @param numClasses number of classes
 */
public record Images(byte[] pixels, int offset, int n, int p, int[] labels, int numClasses) implements Samples {
    public Images {
        if (n < 0 || p < 1 || offset < 0 || (long) offset + (long) n * p > pixels.length || labels.length != n) {
            throw new IllegalArgumentException(n + " images of " + p + " pixels from " + offset + " do not fit "
                    + pixels.length + " bytes and " + labels.length + " labels");
        }
    }

    @Override
    public void row(int i, float[] dst) {
        int from = offset + i * p;
        for (int j = 0; j < p; j++) {
            dst[j] = DataFiles.PIXEL[pixels[from + j] & 0xFF];
        }
    }

    /** Every image converted: {@code n×p} floats in [0, 1]. */
    public Dataset toDataset() {
        float[] x = new float[Math.multiplyExact(n, p)];
        Parallel.forRange(x.length, 1 << 16, (from, to) -> {
            for (int k = from; k < to; k++) {
                x[k] = DataFiles.PIXEL[pixels[offset + k] & 0xFF];
            }
        });
        return new Dataset(Tensor.wrap(x, n, p), labels, numClasses);
    }
}
