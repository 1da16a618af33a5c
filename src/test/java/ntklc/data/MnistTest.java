package ntklc.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistTest {
    @TempDir
    Path dir;

    /** Expected values: the bytes the test wrote (IdxFiles.pixel), divided by 255. */
    @Test
    void readsSyntheticFilesPlainAndGzipped() throws IOException {
        IdxFiles.writeVariant(dir, "mnist", 12, 5, false);
        IdxFiles.writeVariant(dir, "fashion-mnist", 12, 5, true);
        for (String variant : new String[] {"mnist", "fashion-mnist"}) {
            TrainTest tt = Mnist.load(dir, variant);
            assertEquals(12, tt.train().n());
            assertEquals(5, tt.test().n());
            assertEquals(784, tt.train().p());
            assertEquals(10, tt.train().numClasses());
            for (int i = 0; i < 12; i++) {
                assertEquals(i % 10, tt.train().labels()[i]);
                for (int k : new int[] {0, 1, 300, 783}) {
                    assertEquals(IdxFiles.pixel(i, k) / 255f, tt.train().x().get(i, k), 0f, variant + " pixel " + i + "," + k);
                }
            }
        }
    }

    /**
     * Writes a valid MNIST set of 4 + 2 images, rewrites its {@code file} by {@code corrupt} (given
     * the file's bytes), and returns the loader's failure after checking that it is one line
     * naming that file.
     */
    private DataException loadFailsAfter(String file, UnaryOperator<byte[]> corrupt) throws IOException {
        IdxFiles.writeVariant(dir, "mnist", 4, 2, false);
        Path path = dir.resolve("mnist/" + file);
        Files.write(path, corrupt.apply(Files.readAllBytes(path)));
        DataException e = assertThrows(DataException.class, () -> Mnist.load(dir, "mnist"));
        assertOneLineNaming(e, file);
        return e;
    }

    @Test
    void truncatedImagesFileNamesFileAndHeader() throws IOException {
        DataException e = loadFailsAfter("train-images-idx3-ubyte", full -> Arrays.copyOf(full, full.length - 100));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void fileShorterThanHeader() throws IOException {
        loadFailsAfter("t10k-labels-idx1-ubyte", full -> new byte[] {0, 0, 8});
    }

    @Test
    void badMagicNumber() throws IOException {
        // a labels file where an images file belongs
        DataException e = loadFailsAfter("train-images-idx3-ubyte", full -> IdxFiles.labels(new byte[4]));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
    }

    @Test
    void labelOutOfRange() throws IOException {
        DataException e = loadFailsAfter("train-labels-idx1-ubyte", full -> IdxFiles.labels(new byte[] {1, 2, 10, 3}));
        assertTrue(e.getMessage().contains("label 10"), e.getMessage());
    }

    @Test
    void labelCountDiffersFromImageCount() throws IOException {
        loadFailsAfter("train-labels-idx1-ubyte", full -> IdxFiles.labels(new byte[3]));
    }

    @Test
    void truncatedGzip() throws IOException {
        IdxFiles.writeVariant(dir, "fashion-mnist", 40, 2, true);
        Path gz = dir.resolve("fashion-mnist/train-images-idx3-ubyte.gz");
        byte[] full = Files.readAllBytes(gz);
        Files.write(gz, Arrays.copyOf(full, full.length / 2));
        DataException e = assertThrows(DataException.class, () -> Mnist.load(dir, "fashion-mnist"));
        assertOneLineNaming(e, "train-images-idx3-ubyte.gz");
    }

    @Test
    void missingFileSaysHowToFetch() {
        DataException e = assertThrows(DataException.class, () -> Mnist.load(dir, "mnist"));
        assertOneLineNaming(e, "train-images-idx3-ubyte");
        assertTrue(e.getMessage().contains("fetch.sh"), e.getMessage());
    }

    @Test
    void unknownVariant() {
        assertThrows(DataException.class, () -> Mnist.load(dir, "kmnist"));
    }

    /**
     * The real files, when data/fetch.sh has put them in data/. Expected values: the published
     * sizes (60 000 / 10 000 images of 28×28) and class counts of MNIST (LeCun's page: the training
     * set has 5 923 zeros; the test set 980 zeros and 1 135 ones) and of Fashion-MNIST (6 000 / 1 000
     * per class, its README).
     */
    @Test
    void realFilesWhenPresent() {
        Path data = Path.of("data");
        boolean mnist = Files.isDirectory(data.resolve("mnist"));
        boolean fashion = Files.isDirectory(data.resolve("fashion-mnist"));
        assumeTrue(mnist || fashion, "real MNIST / Fashion-MNIST not in data/ (run data/fetch.sh); skipped");
        if (mnist) {
            TrainTest tt = Mnist.load(data, "mnist");
            assertEquals(60_000, tt.train().n());
            assertEquals(10_000, tt.test().n());
            assertEquals(784, tt.train().p());
            assertEquals(5_923, SampleStatistics.classCounts(tt.train())[0]);
            assertEquals(980, SampleStatistics.classCounts(tt.test())[0]);
            assertEquals(1_135, SampleStatistics.classCounts(tt.test())[1]);
        }
        if (fashion) {
            TrainTest tt = Mnist.load(data, "fashion-mnist");
            assertEquals(60_000, tt.train().n());
            assertEquals(10_000, tt.test().n());
            for (int c : SampleStatistics.classCounts(tt.train())) {
                assertEquals(6_000, c);
            }
        }
    }

    static void assertOneLineNaming(DataException e, String fileName) {
        assertTrue(e.getMessage().contains(fileName), "message should name " + fileName + ": " + e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "message should be one line: " + e.getMessage());
    }
}
