package ntklc.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ntklc.cli.Cli;
import ntklc.cli.Command;
import ntklc.cli.UserError;
import ntklc.report.Table;

/**
 * The error-handling contract of issue 2 ("Done when"): a truncated MNIST file, a CIFAR file of
 * the wrong length, an unknown flag and a flag with a bad value each end with one line
 * {@code error: …} on standard error naming the problem, exit status {@link UserError#EXIT_CODE},
 * and no stack trace.
 */
class CliErrorsTest {
    @TempDir
    Path dir;

    record Result(int status, String out, String err) {
    }

    static Result run(Command command, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Cli.run(command, args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static void assertOneLineError(Result r, String... mustContain) {
        assertEquals(UserError.EXIT_CODE, r.status(), r.err());
        String[] lines = r.err().strip().split("\n");
        assertEquals(1, lines.length, "exactly one line on stderr: " + r.err());
        assertTrue(lines[0].startsWith("error: "), lines[0]);
        assertFalse(r.err().contains("\tat "), "no stack trace");
        for (String s : mustContain) {
            assertTrue(lines[0].contains(s), "'" + s + "' missing from: " + lines[0]);
        }
    }

    /** A truncated MNIST images file: 16-byte header for 2 images of 28×28 but only 100 pixel bytes. */
    @Test
    void truncatedMnist() throws IOException {
        Path mnist = Files.createDirectories(dir.resolve("mnist"));
        byte[] header = {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28};
        byte[] file = Arrays.copyOf(header, 116);
        Files.write(mnist.resolve("train-images-idx3-ubyte"), file);
        for (String name : new String[] {"train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
            Files.write(mnist.resolve(name), new byte[0]);
        }
        Result r = run(new DataSummary(), "--data=mnist", "--data-dir=" + dir, "--out=" + dir.resolve("run"));
        assertOneLineError(r, "train-images-idx3-ubyte", "116 bytes", "truncated");
    }

    /** A CIFAR-10 training file of 1 000 bytes (official: 30 730 000). */
    @Test
    void cifarFileOfWrongLength() throws IOException {
        Path cifar = Files.createDirectories(dir.resolve("cifar-10-batches-bin"));
        Files.write(cifar.resolve("data_batch_1.bin"), new byte[1000]);
        Result r = run(new DataSummary(), "--data=cifar10", "--data-dir=" + dir, "--out=" + dir.resolve("run"));
        assertOneLineError(r, "data_batch_1.bin", "1000 bytes", "30730000");
    }

    @Test
    void missingDataFile() {
        Result r = run(new DataSummary(), "--data=fashion-mnist", "--data-dir=" + dir);
        assertOneLineError(r, "train-images-idx3-ubyte", "fetch.sh");
    }

    @Test
    void unknownFlag() {
        Result r = run(new Bench(), "--sizes=8", "--size=8");
        assertOneLineError(r, "unknown option --size");
    }

    @Test
    void flagWithBadValue() {
        Result r = run(new Bench(), "--sizes=8,x");
        assertOneLineError(r, "--sizes=8,x", "integers");
        r = run(new Bench(), "--repeats=many");
        assertOneLineError(r, "--repeats=many");
    }

    @Test
    void unknownCommand() {
        PrintStream original = System.err;
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int status;
        try {
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            status = Main.run(new String[] {"trian-mlp", "--epochs=1"});
        } finally {
            System.setErr(original);
        }
        assertOneLineError(new Result(status, "", stderr.toString(StandardCharsets.UTF_8)), "trian-mlp");
    }

    @Test
    void badDataName() {
        Result r = run(new DataSummary(), "--data=imagenet");
        assertOneLineError(r, "--data=imagenet", "gmm-mixed");
    }

    @Test
    void badCsvRow() throws IOException {
        Path csv = Files.writeString(dir.resolve("mine.csv"), "1,2,0\n1,2,3,1\n");
        Result r = run(new DataSummary(), "--data=csv:" + csv);
        assertOneLineError(r, "mine.csv:2:");
    }

    /**
     * The happy path writes the run folder and prints it last. Expected numbers: n and p as asked;
     * gmm-mixed K = 2 balanced at p = 64: E||x||² = τ0_pop² + 64/p with τ0_pop² = 1 + ½·8/√64 = 1.5,
     * so 2.5; the sd of the mean over 200 samples is ≈ √(2·mean(s²)/(p n)) ≈ 0.02, checked within 0.1.
     */
    @Test
    void summaryOfAMixture() throws IOException {
        Path out = dir.resolve("run");
        // commands print results on System.out (the Command contract), so capture it for this call
        PrintStream original = System.out;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        Result r;
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            r = run(new DataSummary(), "--data=gmm-mixed", "--p=64", "--n-train=200", "--n-test=100", "--out=" + out);
        } finally {
            System.setOut(original);
        }
        assertEquals(0, r.status(), r.err());
        String[] lines = stdout.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertEquals(out.toString(), lines[lines.length - 1]);
        Table summary = Table.readCsv(out.resolve("summary.csv"));
        assertEquals(200, summary.doubles("n")[0], 0);
        assertEquals(100, summary.doubles("n")[1], 0);
        assertEquals(64, summary.doubles("p")[0], 0);
        assertEquals(2.5, summary.doubles("mean_squared_norm")[0], 0.1);
        assertTrue(Files.size(out.resolve("squared_norms.png")) > 1000);
        assertTrue(Files.readString(out.resolve("config.properties")).contains("seed=1"));
    }
}
