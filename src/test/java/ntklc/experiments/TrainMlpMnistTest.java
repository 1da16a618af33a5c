package ntklc.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ntklc.cli.Cli;
import ntklc.report.Table;

/**
 * The acceptance target of issue 2: {@code train-mlp --data=mnist --hidden=512,512 --optimizer=adam
 * --epochs=10} (784-512-512-10 ReLU, Adam η = 1e−3 with cosine decay, batches of 128) reaches ≥ 98.0 % MNIST test
 * accuracy. About 2–3 minutes on 2 cores; needs the MNIST files in {@code data/mnist/}
 * ({@code data/fetch.sh}). Run with
 * {@code mvn test -DexcludedGroups= -Dgroups=heavy -Dtest=TrainMlpMnistTest}.
 */
@Tag("heavy")
class TrainMlpMnistTest {
    @Test
    void reaches98PercentInTenEpochs(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.exists(Path.of("data/mnist/t10k-labels-idx1-ubyte"))
                || Files.exists(Path.of("data/mnist/t10k-labels-idx1-ubyte.gz")), "MNIST not in data/mnist/");
        Path dir = tmp.resolve("run");
        int status = Cli.run(new TrainMlp(), new String[] {"--data=mnist", "--hidden=512,512", "--optimizer=adam",
            "--epochs=10", "--out=" + dir}, System.out, System.err);
        assertEquals(0, status);
        Table summary = Table.readCsv(dir.resolve("summary.csv"));
        double accuracy = Double.NaN;
        for (int r = 0; r < summary.size(); r++) {
            if (summary.text(r, "metric").equals("test_accuracy")) {
                accuracy = Double.parseDouble(summary.text(r, "value"));
            }
        }
        // Target from issue 2. Measured with --seed=1 and the default cosine schedule: 0.9863 (epochs 7–10
        // all between 0.9856 and 0.9864). With --lr-schedule=constant the final epoch scattered around the
        // target: 0.9812, 0.9818, 0.9799 in three runs (data order and matmul summation order differing).
        assertTrue(accuracy >= 0.98, "MNIST test accuracy " + accuracy);
    }
}
