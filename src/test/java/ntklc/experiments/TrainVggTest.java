package ntklc.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ntklc.experiments.CommandOutcome.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ntklc.data.FeatureFile;
import ntklc.data.TrainTest;
import ntklc.nn.vgg.Checkpoint;
import ntklc.report.Table;
import ntklc.tensor.Tensor;

/**
 * {@code train-vgg} and {@code features} end to end on synthetic CIFAR-10 files
 * ({@link SyntheticCifar10}) with VGG19/64 (channels 1…8, classifier 8): the dry run, the resume
 * contract, the feature file's shape and normalisation, and user errors.
 */
class TrainVggTest {
    @TempDir
    static Path data;

    @BeforeAll
    static void writeSyntheticCifar() throws IOException {
        SyntheticCifar10.write(data);
    }

    private static String[] tiny(Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("--data-dir=" + data, "--width-divisor=64",
                "--train-limit=48", "--test-limit=32", "--batch=16", "--lr=0.05", "--device=cpu",
                "--out=" + out));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void dryRunWritesTheRunFolder(@TempDir Path tmp) {
        Path dir = tmp.resolve("run");
        CommandOutcome o = run(new TrainVgg(), "--dry-run", "--data-dir=" + data, "--width-divisor=64", "--batch=8",
                "--device=cpu", "--out=" + dir);
        assertEquals(0, o.status(), o.err());
        assertEquals(dir, o.runFolder());
        for (String f : List.of("config.properties", "metrics.csv", "training.png", "checkpoint.bin", "best.bin",
                "summary.csv")) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
    }

    @Test
    void resumedRunEqualsUninterruptedRun(@TempDir Path tmp) throws IOException {
        Path whole = tmp.resolve("whole");
        assertEquals(0, run(new TrainVgg(), tiny(whole, "--epochs=3")).status());
        // "Killed" after epoch 1, resumed and "killed" after epoch 2, resumed to the end (epoch 3).
        Path pieces = tmp.resolve("pieces");
        assertEquals(0, run(new TrainVgg(1), tiny(pieces, "--epochs=3")).status());
        assertEquals(1, Checkpoint.read(pieces.resolve("checkpoint.bin")).epoch());
        assertEquals(0, run(new TrainVgg(1), "--resume=" + pieces, "--device=cpu").status());
        CommandOutcome last = run(new TrainVgg(), "--resume=" + pieces);
        assertEquals(0, last.status(), last.err());

        Checkpoint a = Checkpoint.read(whole.resolve("checkpoint.bin"));
        Checkpoint b = Checkpoint.read(pieces.resolve("checkpoint.bin"));
        assertEquals(3, b.epoch());
        for (int i = 0; i < a.parameters().size(); i++) {
            assertArrayEquals(a.parameters().get(i).data(), b.parameters().get(i).data(), "parameter " + i);
            assertArrayEquals(a.velocity().get(i).data(), b.velocity().get(i).data(), "velocity " + i);
        }
        for (int i = 0; i < a.statistics().size(); i++) {
            assertArrayEquals(a.statistics().get(i).data(), b.statistics().get(i).data(), "statistic " + i);
        }
        Table ma = Table.readCsv(whole.resolve("metrics.csv"));
        Table mb = Table.readCsv(pieces.resolve("metrics.csv"));
        assertEquals(3, mb.size());
        assertArrayEquals(ma.doubles("test_accuracy"), mb.doubles("test_accuracy"));
        assertArrayEquals(ma.doubles("train_loss"), mb.doubles("train_loss"));
        // The learning rate of the cosine schedule, η_0·½(1 + cos(π(e−1)/3)), epoch by epoch.
        assertArrayEquals(new double[] {0.05, 0.05 * 0.75, 0.05 * 0.25}, mb.doubles("lr"), 1e-9);
    }

    @Test
    void featuresHaveTheShapeAndNormalisationOfSection14(@TempDir Path tmp) {
        Path train = tmp.resolve("train");
        assertEquals(0, run(new TrainVgg(), tiny(train, "--epochs=1")).status());
        Path out = tmp.resolve("features");
        CommandOutcome o = run(new ExtractFeatures(), "--weights=" + train, "--data-dir=" + data, "--train-limit=40",
                "--test-limit=24", "--batch=16", "--device=cpu", "--out=" + out);
        assertEquals(0, o.status(), o.err());
        TrainTest f = FeatureFile.read(out.resolve("features.bin"));
        assertArrayEquals(new int[] {40, 8}, f.train().x().shape()); // 512/64 = 8 features
        assertArrayEquals(new int[] {24, 8}, f.test().x().shape());
        checkNormalised(f.train().x());
        checkNormalised(f.test().x());
        for (int i = 0; i < 40; i++) {
            assertEquals(i % 10, f.train().labels()[i]);
        }

        Path augmented = tmp.resolve("augmented");
        assertEquals(0, run(new ExtractFeatures(), "--weights=" + train, "--data-dir=" + data, "--train-limit=40",
                "--test-limit=24", "--train-transform=augment", "--device=cpu", "--out=" + augmented).status());
        TrainTest g = FeatureFile.read(augmented.resolve("features.bin"));
        assertArrayEquals(f.test().x().data(), g.test().x().data(), "test features never see augmentation");
        assertNotEquals(java.util.Arrays.toString(f.train().x().data()), java.util.Arrays.toString(g.train().x().data()));
        checkNormalised(g.train().x());
    }

    /** docs/theory.md §1.4: every column has mean 0 and {@code (1/n)Σ||f_i||² = 1} (float32 rounding: 1e−5). */
    private static void checkNormalised(Tensor x) {
        int n = x.rows();
        int p = x.cols();
        double sq = 0;
        for (int j = 0; j < p; j++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += x.data()[i * p + j];
                sq += (double) x.data()[i * p + j] * x.data()[i * p + j];
            }
            assertEquals(0, s / n, 1e-5, "mean of column " + j);
        }
        assertEquals(1, sq / n, 1e-5);
    }

    @Test
    void userMistakesAreOneLineErrors(@TempDir Path tmp) throws IOException {
        CommandOutcome o = run(new TrainVgg(), "--width-divisor=3", "--data-dir=" + data);
        assertEquals(2, o.status());
        assertTrue(o.err().startsWith("error: ") && o.err().strip().lines().count() == 1, o.err());

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertEquals(2, run(new TrainVgg(), "--resume=" + empty).status());
        assertEquals(2, run(new TrainVgg(), "--resume=" + tmp.resolve("missing")).status());

        Path started = tmp.resolve("started");
        assertEquals(0, run(new TrainVgg(1), tiny(started, "--epochs=3")).status());
        CommandOutcome changed = run(new TrainVgg(), "--resume=" + started, "--epochs=9");
        assertEquals(2, changed.status());
        assertTrue(changed.err().contains("--epochs"), changed.err());
        Files.write(started.resolve("checkpoint.bin"), new byte[] {1, 2, 3});
        assertEquals(2, run(new TrainVgg(), "--resume=" + started).status());

        assertEquals(2, run(new ExtractFeatures(), "--data-dir=" + data).status());
        assertEquals(2, run(new ExtractFeatures(), "--weights=" + empty, "--data-dir=" + data).status());
        assertEquals(2, run(new ExtractFeatures(), "--weights=" + started, "--checkpoint=last",
                "--data-dir=" + data).status());
    }
}
