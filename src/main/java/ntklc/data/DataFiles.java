package ntklc.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Locating and reading the binary data files. A file {@code NAME} may also be stored gzipped as
 * {@code NAME.gz} (Debian ships Fashion-MNIST that way); both are read whole into memory in one
 * bulk read. Every failure becomes a one-line {@link DataException} naming the file.
 */
final class DataFiles {
    /** Fixed byte → float table {@code b/255}, so conversion loops do one array load per pixel. */
    static final float[] PIXEL = new float[256];

    static {
        for (int b = 0; b < 256; b++) {
            PIXEL[b] = b / 255f;
        }
    }

    private DataFiles() {
    }

    /**
     * The path of {@code name} in {@code dir}: {@code dir/name} if it exists, else
     * {@code dir/name.gz} if that exists.
     *
     * @param hint what the user can do about a missing file (e.g. "run data/fetch.sh --only=mnist")
     * @throws DataException if neither exists
     */
    static Path locate(Path dir, String name, String hint) {
        Path plain = dir.resolve(name);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        Path gz = dir.resolve(name + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        throw new DataException("file not found: " + plain + " (nor " + gz.getFileName() + "); " + hint);
    }

    /** All bytes of {@code file}, gunzipped when its name ends in {@code .gz}. */
    static byte[] readAll(Path file) {
        try {
            if (!file.getFileName().toString().endsWith(".gz")) {
                return Files.readAllBytes(file);
            }
            try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
                return in.readAllBytes();
            }
        } catch (EOFException e) {
            throw new DataException(file + ": truncated gzip data");
        } catch (ZipException e) {
            throw new DataException(file + ": corrupt gzip data (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new DataException(file + ": cannot read (" + e.getMessage() + ")");
        } catch (OutOfMemoryError e) {
            throw new DataException(file + ": too large for the Java heap (raise -Xmx)");
        }
    }

    /** Size of {@code file} in bytes. */
    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new DataException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** Big-endian unsigned 32-bit integer at {@code offset} (IDX headers are big-endian). */
    static long uint32(byte[] b, int offset) {
        return ((b[offset] & 0xFFL) << 24) | ((b[offset + 1] & 0xFFL) << 16)
                | ((b[offset + 2] & 0xFFL) << 8) | (b[offset + 3] & 0xFFL);
    }
}
