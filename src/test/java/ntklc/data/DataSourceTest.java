package ntklc.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSourceTest {
    @TempDir
    Path dir;

    DataRequest request(int[] classes, int nTrain, int nTest, Preprocess preprocess) {
        return new DataRequest(dir, classes, nTrain, nTest, new double[0], 64, preprocess);
    }

    @Test
    void parsesEveryName() {
        assertInstanceOf(DataSource.Idx.class, DataSource.parse("mnist"));
        assertEquals("fashion-mnist", DataSource.parse("fashion-mnist").name());
        assertInstanceOf(DataSource.Cifar.class, DataSource.parse("cifar10"));
        for (GmmCase c : GmmCase.values()) {
            assertEquals(new DataSource.Mixture(c), DataSource.parse(c.cliName()));
        }
        assertEquals(new DataSource.Csv(Path.of("a.csv"), Path.of("b.csv")), DataSource.parse("csv:a.csv,b.csv"));
        DataException e = assertThrows(DataException.class, () -> DataSource.parse("imagenet"));
        assertTrue(e.getMessage().contains("mnist|"), e.getMessage());
        assertThrows(DataException.class, () -> DataSource.parse("csv:"));
        assertThrows(DataException.class, () -> DataSource.parse("csv:a,b,c"));
    }

    @Test
    void mixtureCarriesItsPopulation() {
        DataBundle b = DataSource.parse("gmm-var").load(request(new int[0], 20, 10, Preprocess.PAPER), new SplittableRandom(1));
        assertEquals(20, b.data().train().n());
        assertEquals(10, b.data().test().n());
        assertEquals(64, b.data().train().p());
        assertEquals(2, b.data().train().numClasses());
        assertTrue(b.gmm().isPresent());
        assertEquals(20, b.gmm().get().train().psi().length);
        assertThrows(DataException.class, () -> DataSource.parse("gmm-var")
                .load(request(new int[] {1, 2}, 20, 10, Preprocess.PAPER), new SplittableRandom(1)));
        assertThrows(DataException.class, () -> DataSource.parse("gmm-var")
                .load(request(new int[0], 0, 10, Preprocess.PAPER), new SplittableRandom(1)));
    }

    /** MNIST through the source: class selection, relabelling and per-split sizes (docs/theory.md §1.3). */
    @Test
    void idxThroughSource() throws IOException {
        IdxFiles.writeVariant(dir, "mnist", 50, 30, false);
        DataBundle b = DataSource.parse("mnist").load(request(new int[] {5, 2}, 6, 4, Preprocess.PAPER), new SplittableRandom(1));
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1}, b.data().train().labels());
        assertArrayEquals(new int[] {0, 0, 1, 1}, b.data().test().labels());
        assertTrue(b.gmm().isEmpty());
        DataBundle none = DataSource.parse("mnist").load(request(new int[0], 0, 0, Preprocess.NONE), new SplittableRandom(1));
        assertEquals(50, none.data().train().n());
        assertEquals(10, none.data().train().numClasses());
        // NONE keeps pixels/255: first image of class 0 is image 0, pixel 5 = 5/255
        assertEquals(5 / 255f, none.data().train().x().get(0, 5), 0f);
    }

    @Test
    void csvWithTestFileAndHeaderComment() throws IOException {
        Path train = Files.writeString(dir.resolve("train.csv"), "# x1,x2,label\n0.5,1,0\n2,3.5,2\n\n-1,0,1\n");
        Path test = Files.writeString(dir.resolve("test.csv"), "1,1,3\n");
        DataBundle b = DataSource.parse("csv:" + train + "," + test).load(request(new int[0], 0, 0, Preprocess.NONE),
                new SplittableRandom(1));
        assertEquals(4, b.data().train().numClasses(), "K = largest label in either file + 1");
        assertArrayEquals(new int[] {0, 1, 2}, b.data().train().labels(), "contiguous class blocks");
        assertEquals(-1f, b.data().train().x().get(1, 0), 0f);
        assertEquals(1, b.data().test().n());
    }

    @Test
    void singleCsvIsSplitBySeed() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            sb.append(i).append(',').append(i % 2).append('\n');
        }
        Path file = Files.writeString(dir.resolve("all.csv"), sb);
        DataBundle b = DataSource.parse("csv:" + file).load(request(new int[0], 0, 0, Preprocess.NONE), new SplittableRandom(1));
        assertEquals(40, b.data().train().n());
        assertEquals(10, b.data().test().n());
    }

    @Test
    void badCsvRowsNameFileAndLine() throws IOException {
        Path ragged = Files.writeString(dir.resolve("ragged.csv"), "1,2,0\n3,1\n");
        DataException e = assertThrows(DataException.class, () -> CsvSamples.read(ragged));
        assertTrue(e.getMessage().contains("ragged.csv:2:"), e.getMessage());
        Path word = Files.writeString(dir.resolve("word.csv"), "1,2,0\n3,x,1\n");
        e = assertThrows(DataException.class, () -> CsvSamples.read(word));
        assertTrue(e.getMessage().contains("word.csv:2: column 2"), e.getMessage());
        Path label = Files.writeString(dir.resolve("label.csv"), "1,2,0.5\n");
        e = assertThrows(DataException.class, () -> CsvSamples.read(label));
        assertTrue(e.getMessage().contains("label.csv:1: last column"), e.getMessage());
        Path header = Files.writeString(dir.resolve("header.csv"), "a,b,label\n1,2,0\n");
        e = assertThrows(DataException.class, () -> CsvSamples.read(header));
        assertTrue(e.getMessage().contains("must start with #"), e.getMessage());
        Path nan = Files.writeString(dir.resolve("nan.csv"), "NaN,2,0\n");
        assertThrows(DataException.class, () -> CsvSamples.read(nan));
        Path empty = Files.writeString(dir.resolve("empty.csv"), "# nothing\n");
        assertThrows(DataException.class, () -> CsvSamples.read(empty));
        assertThrows(DataException.class, () -> CsvSamples.read(dir.resolve("missing.csv")));
    }
}
