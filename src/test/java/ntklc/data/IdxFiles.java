package ntklc.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for the reader tests (format: see {@link Mnist}). */
final class IdxFiles {
    private IdxFiles() {
    }

    /** Images file: magic 0x803, n, rows, cols, then the pixel bytes. */
    static byte[] images(int n, int rows, int cols, byte[] pixels) {
        ByteBuffer b = ByteBuffer.allocate(16 + pixels.length);
        b.putInt(0x00000803).putInt(n).putInt(rows).putInt(cols).put(pixels);
        return b.array();
    }

    /** Labels file: magic 0x801, n, then the label bytes. */
    static byte[] labels(byte[] labels) {
        ByteBuffer b = ByteBuffer.allocate(8 + labels.length);
        b.putInt(0x00000801).putInt(labels.length).put(labels);
        return b.array();
    }

    static Path write(Path file, byte[] content, boolean gzip) throws IOException {
        Files.createDirectories(file.getParent());
        if (!gzip) {
            return Files.write(file, content);
        }
        Path gz = file.resolveSibling(file.getFileName() + ".gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(content);
        }
        return gz;
    }

    /**
     * A complete variant folder {@code dir/<variant>/} with a train split of {@code nTrain}
     * 28×28 images and a test split of {@code nTest}; pixel k of image i is {@code (7i + k) mod 256},
     * label of image i is {@code i mod 10}.
     */
    static void writeVariant(Path dir, String variant, int nTrain, int nTest, boolean gzip) throws IOException {
        Path v = dir.resolve(variant);
        write(v.resolve("train-images-idx3-ubyte"), images(nTrain, 28, 28, pixels(nTrain, 784)), gzip);
        write(v.resolve("train-labels-idx1-ubyte"), labels(labelBytes(nTrain)), gzip);
        write(v.resolve("t10k-images-idx3-ubyte"), images(nTest, 28, 28, pixels(nTest, 784)), gzip);
        write(v.resolve("t10k-labels-idx1-ubyte"), labels(labelBytes(nTest)), gzip);
    }

    static byte[] pixels(int n, int p) {
        byte[] b = new byte[n * p];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < p; k++) {
                b[i * p + k] = (byte) pixel(i, k);
            }
        }
        return b;
    }

    static int pixel(int i, int k) {
        return (7 * i + k) % 256;
    }

    static byte[] labelBytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i % 10);
        }
        return b;
    }
}
