package ntklc.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ntklc.tensor.Tensor;

/** The feature file format: round trip, the documented byte layout, and refusal of bad files. */
class FeatureFileTest {
    private static TrainTest sample() {
        Tensor train = Tensor.wrap(new float[] {1.5f, -2f, 0.25f, 3f, 0f, -1f}, 2, 3);
        Tensor test = Tensor.wrap(new float[] {7f, 8f, -9f}, 1, 3);
        return new TrainTest(new Dataset(train, new int[] {4, 9}, 10), new Dataset(test, new int[] {0}, 10));
    }

    private static byte[] bytes(TrainTest t) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FeatureFile.write(out, t);
        return out.toByteArray();
    }

    @Test
    void roundTrip(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("f.bin");
        Files.write(f, bytes(sample()));
        TrainTest back = FeatureFile.read(f);
        assertArrayEquals(sample().train().x().data(), back.train().x().data());
        assertArrayEquals(new int[] {2, 3}, back.train().x().shape());
        assertArrayEquals(new int[] {4, 9}, back.train().labels());
        assertArrayEquals(new float[] {7f, 8f, -9f}, back.test().x().data());
        assertEquals(10, back.test().numClasses());
    }

    @Test
    void layoutIsTheDocumentedLittleEndianOne() throws IOException {
        // Decoded by hand from the format in the class comment, independently of the reader.
        ByteBuffer b = ByteBuffer.wrap(bytes(sample())).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(28 + 4 * 3 * (1 + 3), b.remaining());
        byte[] magic = new byte[8];
        b.get(magic);
        assertEquals("NTKLCFEA", new String(magic, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(1, b.getInt());
        assertEquals(3, b.getInt());
        assertEquals(10, b.getInt());
        assertEquals(2, b.getInt());
        assertEquals(1, b.getInt());
        assertEquals(4, b.getInt());
        assertEquals(9, b.getInt());
        assertEquals(1.5f, b.getFloat());
        assertEquals(-2f, b.getFloat());
    }

    @Test
    void badFilesAreUserErrors(@TempDir Path dir) throws IOException {
        byte[] good = bytes(sample());
        Path f = dir.resolve("bad.bin");
        Files.write(f, Arrays.copyOf(good, good.length - 4));
        assertTrue(assertThrows(DataException.class, () -> FeatureFile.read(f)).getMessage().contains("bytes"));
        byte[] wrongMagic = good.clone();
        wrongMagic[0] = 'X';
        Files.write(f, wrongMagic);
        assertThrows(DataException.class, () -> FeatureFile.read(f));
        byte[] badLabel = good.clone();
        badLabel[28] = 10; // first training label → 10, outside 0..9
        Files.write(f, badLabel);
        assertThrows(DataException.class, () -> FeatureFile.read(f));
        assertThrows(DataException.class, () -> FeatureFile.read(dir.resolve("missing.bin")));
        try (OutputStream out = Files.newOutputStream(f)) {
            out.write(new byte[5]);
        }
        assertThrows(DataException.class, () -> FeatureFile.read(f));
    }
}
