package ntklc.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ntklc.report.Table;

/**
 * Issue 14 item 2: a training run whose loss diverges ({@link ntklc.nn.LossGuard}: not finite, or
 * above 10⁶ times the first batch loss) stops with one {@code error:} line and exit status 2, and
 * its run folder keeps what was written before. The learning rate 1e9 is the case: before
 * the guard {@code train-mlp} ended with a finite training loss of 4.5e30 and exit 0. Expected
 * behaviour, not numbers: any step of size 1e9 on a cross-entropy starting at ln 2 blows the
 * logits far past 10⁶ nats within the first batches.
 */
class DivergenceTest {
    @TempDir
    Path dir;

    @Test
    void trainMlpWithAHugeLearningRateStops() throws IOException {
        Path out = dir.resolve("mlp");
        // the command as typed (default sizes), on the CPU and into a known folder
        CliErrorsTest.Result r = CliErrorsTest.run(new TrainMlp(), "--data=gmm-mixed", "--lr=1e9", "--epochs=1",
                "--device=cpu", "--out=" + out);
        CliErrorsTest.assertOneLineError(r, "train-mlp: training loss", "times its first value", "learning rate");
        assertTrue(Files.exists(out.resolve("config.properties")), "the run folder keeps its config");
    }

    @Test
    void trainVggWithAHugeLearningRateStops() throws IOException {
        Path data = dir.resolve("data");
        SyntheticCifar10.write(data);
        Path out = dir.resolve("vgg");
        CliErrorsTest.Result r = CliErrorsTest.run(new TrainVgg(), "--data-dir=" + data, "--width-divisor=64",
                "--train-limit=48", "--test-limit=16", "--batch=8", "--lr=1e9", "--epochs=1", "--device=cpu",
                "--out=" + out);
        CliErrorsTest.assertOneLineError(r, "train-vgg: training loss");
        assertTrue(Files.exists(out.resolve("config.properties")), "the run folder keeps its config");
    }

    @Test
    void compressSoftmaxReadoutStopsAndKeepsTheFinishedNetworks() throws IOException {
        // ridge for the first width set would be the same networks; the softmax readout diverges on
        // the first network, so results.csv is written only by an earlier, ridge run of the folder.
        Path out = dir.resolve("compress");
        CliErrorsTest.Result r = CliErrorsTest.run(new Compress(), "--p=16", "--train-per-class=30",
                "--test-per-class=10", "--widths=16,16,8", "--methods=original,naive-sparse", "--readout=softmax",
                "--lr=1e9", "--epochs=2", "--device=cpu", "--out=" + out);
        CliErrorsTest.assertOneLineError(r, "compress: softmax readout of original||16,16,8", "training loss",
                "0 finished networks kept");
        assertTrue(Files.exists(out.resolve("config.properties")), "the run folder keeps its config");
        assertTrue(!Files.exists(out.resolve("results.csv")) || Table.readCsv(out.resolve("results.csv")).size() == 0);
    }
}
