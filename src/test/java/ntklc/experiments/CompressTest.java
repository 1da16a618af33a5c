package ntklc.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import ntklc.cli.Cli;
import ntklc.cli.Command;
import ntklc.report.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompressTest {
    @TempDir
    Path tmp;

    /** Runs a command with System.out/err captured (commands print there); returns the exit status. */
    static int run(Command c, ByteArrayOutputStream err, String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream()));
            System.setErr(new PrintStream(err));
            return Cli.run(c, args, System.out, System.err);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void dryRunOfThePaperPresetPlansThePaperMemory() throws Exception {
        int rc = run(new Compress(), new ByteArrayOutputStream(), "--preset=paper-fig3-mnist", "--dry-run", "--out=" + tmp);
        assertEquals(0, rc);
        Table plan = Table.readCsv(tmp.resolve("plan.csv"));
        // 5 width sets × (original + 3 ε + naive sparse + naive quantized)
        assertEquals(30, plan.size());
        // docs/theory.md §7: widths 1500³, p = 784, K = 10: 32·Wtot = 1.82e8 bits; ε = 0.9: 1.14e6 bits
        assertEquals("original", plan.text(0, "method"));
        assertEquals(32.0 * 5_691_000, plan.doubles("memory_bits")[0], 1);
        assertEquals("0.9", plan.text(3, "epsilon"));
        assertEquals(0.2 * 5_691_000, plan.doubles("memory_bits")[3], 1);
        assertTrue(Files.exists(tmp.resolve("config.properties")));
    }

    @Test
    void smallGmmRunWritesOneRowPerNetwork() throws Exception {
        int rc = run(new Compress(), new ByteArrayOutputStream(), "--p=64", "--train-per-class=100",
                "--test-per-class=50", "--widths=64,64,32", "--epsilons=0,0.9", "--restarts=10", "--out=" + tmp);
        assertEquals(0, rc);
        Table r = Table.readCsv(tmp.resolve("results.csv"));
        assertEquals(java.util.List.of("method", "epsilon", "widths", "memory_bits", "test_accuracy", "seconds"),
                r.columns().subList(0, 6));
        // original + 2 ε + naive sparse + naive quantized + magnitude prune
        assertEquals(6, r.size());
        for (double a : r.doubles("test_accuracy")) {
            assertTrue(a >= 0 && a <= 1);
        }
        // gmm-mixed with p = 64: the class means differ by 8√2/√p ≈ 1.4 in norm against unit noise
        // per sample norm; the dense network separates them almost perfectly.
        assertTrue(r.doubles("test_accuracy")[0] > 0.9, "original " + r.doubles("test_accuracy")[0]);
        assertTrue(Files.exists(tmp.resolve("summary.csv")));
        assertTrue(Files.exists(tmp.resolve("solution.csv")));
        assertTrue(Files.size(tmp.resolve("accuracy-vs-memory.png")) > 1000);
    }

    @Test
    void aSingleNetworkStillGetsItsChart() throws Exception {
        // regression: one network means one memory value, a zero-length range for a log axis
        // (JFreeChart refused it at 6.7e7 bits, the R6 dense network; smaller values happened to pass)
        int rc = run(new Compress(), new ByteArrayOutputStream(), "--p=512", "--train-per-class=20",
                "--test-per-class=10", "--widths=1024,1024,512", "--methods=original", "--out=" + tmp);
        assertEquals(0, rc);
        assertTrue(Files.size(tmp.resolve("accuracy-vs-memory.png")) > 1000);
    }

    @Test
    void missingFeatureFileIsAOneLineUserError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = run(new Compress(), err, "--data=cifar10-features", "--out=" + tmp);
        assertEquals(2, rc);
        assertTrue(err.toString().startsWith("error: compress: --data=cifar10-features"), err.toString());
        assertEquals(1, err.toString().strip().lines().count());
    }

    @Test
    void featureFileRunsThroughTheSweep() throws Exception {
        // A feature file in the format the features command writes: two well-separated classes
        // of 16-d points (class means ±8 on the first coordinate, unit noise: Bayes error Φ(−8) ≈ 6e−16), so the dense network
        // must classify almost perfectly whatever else happens.
        java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
        ntklc.data.TrainTest data = new ntklc.data.TrainTest(twoBlobs(200, rng), twoBlobs(100, rng));
        Path file = tmp.resolve("features.bin");
        try (java.io.OutputStream out = Files.newOutputStream(file)) {
            ntklc.data.FeatureFile.write(out, data);
        }
        Path runDir = tmp.resolve("run");
        int rc = run(new Compress(), new ByteArrayOutputStream(), "--data=cifar10-features", "--features=" + file,
                "--classes=0,1", "--train-per-class=100", "--test-per-class=50", "--widths=64,64,32",
                "--epsilons=0.5", "--methods=original,ntk-lc", "--restarts=10", "--out=" + runDir);
        assertEquals(0, rc);
        Table r = Table.readCsv(runDir.resolve("results.csv"));
        assertEquals(2, r.size());
        assertTrue(r.doubles("test_accuracy")[0] > 0.95, "original " + r.doubles("test_accuracy")[0]);
    }

    @Test
    void featuresOptionOutsideCifarFeaturesIsRefused() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = run(new Compress(), err, "--features=x.bin", "--out=" + tmp);
        assertEquals(2, rc);
        assertTrue(err.toString().contains("--features is only read with --data=cifar10-features"), err.toString());
    }

    private static ntklc.data.Dataset twoBlobs(int n, java.util.SplittableRandom rng) {
        int p = 16;
        float[] x = new float[n * p];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            for (int j = 0; j < p; j++) {
                double mean = j == 0 ? (labels[i] == 0 ? -8 : 8) : 0;
                x[i * p + j] = (float) ((mean + nextGaussian(rng)) / Math.sqrt(p));
            }
        }
        return new ntklc.data.Dataset(ntklc.tensor.Tensor.wrap(x, n, p), labels, 2);
    }

    private static double nextGaussian(java.util.SplittableRandom rng) {
        double u = 1 - rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }
}
