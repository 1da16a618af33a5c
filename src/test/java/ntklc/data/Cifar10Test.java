package ntklc.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10Test {
    /** Records per synthetic file (the official files hold 10 000). */
    static final int RECORDS = 3;

    @TempDir
    Path dir;

    /** Global record g = 3·file + r: label g mod 10, byte k of its image = (5g + k) mod 256. */
    static byte[] file(int fileIndex, int records) {
        byte[] b = new byte[records * Cifar10.RECORD_BYTES];
        for (int r = 0; r < records; r++) {
            int g = fileIndex * records + r;
            b[r * Cifar10.RECORD_BYTES] = (byte) (g % 10);
            for (int k = 0; k < Cifar10.P; k++) {
                b[r * Cifar10.RECORD_BYTES + 1 + k] = (byte) ((5 * g + k) % 256);
            }
        }
        return b;
    }

    void writeAll() throws IOException {
        Path d = dir.resolve(Cifar10.FOLDER);
        Files.createDirectories(d);
        for (int f = 0; f < 5; f++) {
            Files.write(d.resolve(Cifar10.TRAIN_FILES[f]), file(f, RECORDS));
        }
        IdxFiles.write(d.resolve(Cifar10.TEST_FILE), file(7, RECORDS), true);
    }

    /** Expected values: the bytes written by {@link #file}, /255, kept in the file's CHW order. */
    @Test
    void readsAllFilesInOrderWithChwLayout() throws IOException {
        writeAll();
        TrainTest tt = Cifar10.load(dir, 100, 100, RECORDS);
        assertEquals(15, tt.train().n());
        assertEquals(RECORDS, tt.test().n());
        assertEquals(3072, tt.train().p());
        for (int g = 0; g < 15; g++) {
            assertEquals(g % 10, tt.train().labels()[g]);
            // channel c, row h, column w sits at 1024c + 32h + w, i.e. the record byte order
            for (int[] chw : new int[][] {{0, 0, 0}, {1, 3, 5}, {2, 31, 31}}) {
                int k = 1024 * chw[0] + 32 * chw[1] + chw[2];
                assertEquals(((5 * g + k) % 256) / 255f, tt.train().x().get(g, k), 0f);
            }
        }
        int g = 7 * RECORDS + 1;
        assertEquals(g % 10, tt.test().labels()[1]);
        assertEquals(((5 * g + 2000) % 256) / 255f, tt.test().x().get(1, 2000), 0f);
    }

    @Test
    void firstImagesOnlyLeavesLaterFilesUnread() throws IOException {
        writeAll();
        // a corrupt data_batch_3 must not matter when only the first 2 files are needed
        Files.write(dir.resolve(Cifar10.FOLDER).resolve(Cifar10.TRAIN_FILES[2]), new byte[7]);
        TrainTest tt = Cifar10.load(dir, 5, 2, RECORDS);
        assertEquals(5, tt.train().n());
        assertEquals(2, tt.test().n());
        assertEquals(4, tt.train().labels()[4]);
    }

    @Test
    void wrongLengthNamesFileAndSizes() throws IOException {
        writeAll();
        Path bad = dir.resolve(Cifar10.FOLDER).resolve(Cifar10.TRAIN_FILES[1]);
        Files.write(bad, new byte[RECORDS * Cifar10.RECORD_BYTES - 1]);
        DataException e = assertThrows(DataException.class, () -> Cifar10.load(dir, 100, 100, RECORDS));
        MnistTest.assertOneLineNaming(e, "data_batch_2.bin");
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void officialLoaderRefusesASmallFile() throws IOException {
        Path d = dir.resolve(Cifar10.FOLDER);
        Files.createDirectories(d);
        Files.write(d.resolve("data_batch_1.bin"), file(0, RECORDS));
        DataException e = assertThrows(DataException.class, () -> Cifar10.load(dir));
        MnistTest.assertOneLineNaming(e, "data_batch_1.bin");
        assertTrue(e.getMessage().contains("30730000"), e.getMessage());
    }

    @Test
    void labelOutOfRange() throws IOException {
        writeAll();
        byte[] b = file(0, RECORDS);
        b[Cifar10.RECORD_BYTES] = 12;
        Files.write(dir.resolve(Cifar10.FOLDER).resolve(Cifar10.TRAIN_FILES[0]), b);
        DataException e = assertThrows(DataException.class, () -> Cifar10.load(dir, 100, 100, RECORDS));
        MnistTest.assertOneLineNaming(e, "data_batch_1.bin");
        assertTrue(e.getMessage().contains("label 12"), e.getMessage());
    }

    @Test
    void missingFolder() {
        DataException e = assertThrows(DataException.class, () -> Cifar10.load(dir));
        MnistTest.assertOneLineNaming(e, "data_batch_1.bin");
    }

    /**
     * The real files when present, first 10 000 training images only (one file) to stay fast.
     * Expected: 1 000 test images per class (official test set); per-channel training mean of
     * data_batch_1 close to the commonly quoted CIFAR-10 means (0.4914, 0.4822, 0.4465) of the whole
     * training set (../shared/data/cifar-10-batches-bin/README.md) — one batch of 10 000 is within 0.01.
     */
    @Test
    void realFilesWhenPresent() {
        Path data = Path.of("data");
        assumeTrue(Files.isDirectory(data.resolve(Cifar10.FOLDER)), "real CIFAR-10 not in data/ (run data/fetch.sh); skipped");
        TrainTest tt = Cifar10.load(data, 10_000, 10_000);
        assertEquals(10_000, tt.train().n());
        for (int c : SampleStatistics.classCounts(tt.test())) {
            assertEquals(1_000, c);
        }
        double[] expected = {0.4914, 0.4822, 0.4465};
        float[] x = tt.train().x().data();
        for (int c = 0; c < 3; c++) {
            double s = 0;
            for (int i = 0; i < 10_000; i++) {
                for (int k = 0; k < 1024; k++) {
                    s += x[i * 3072 + 1024 * c + k];
                }
            }
            assertEquals(expected[c], s / (10_000 * 1024.0), 0.01, "channel " + c);
        }
    }
}
