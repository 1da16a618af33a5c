package ntklc.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import ntklc.report.Table;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NTK-LC on MNIST (digits 0–9, 500 training and 200 test images per class, widths 1000,1000,500,
 * solved chain, ridge readout): the packed and the dense engine give the same train and test
 * accuracy at ε = 0 and 0.9, since both compute every pre-activation exactly
 * (docs/theory.md §6.7). Before the exact sums they differed at ε = 0 (0.475 against 0.477 of 2000
 * test images): the 784-term first-layer sums, added in float in two orders, put a few units on
 * the other side of a threshold. About a minute on 2 cores; needs {@code data/mnist/}
 * ({@code data/fetch.sh}).
 */
@Tag("heavy")
class PackedEngineMnistHeavyTest {
    @TempDir
    Path tmp;

    @Test
    void packedAndDenseEnginesAgreeOnMnist() throws Exception {
        assumeTrue(Files.exists(Path.of("data/mnist/t10k-labels-idx1-ubyte"))
                || Files.exists(Path.of("data/mnist/t10k-labels-idx1-ubyte.gz")), "MNIST not in data/mnist/");
        Table[] results = new Table[2];
        String[] engines = {"packed", "dense"};
        for (int e = 0; e < 2; e++) {
            Path out = tmp.resolve(engines[e]);
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertEquals(0, CompressTest.run(new Compress(), err, "--data=mnist", "--classes=0,1,2,3,4,5,6,7,8,9",
                    "--train-per-class=500", "--test-per-class=200", "--widths=1000,1000,500", "--methods=ntk-lc",
                    "--epsilons=0,0.9", "--restarts=50", "--engine=" + engines[e], "--out=" + out), err.toString());
            results[e] = Table.readCsv(out.resolve("results.csv"));
        }
        for (int i = 0; i < 2; i++) {
            double eps = results[0].doubles("epsilon")[i];
            assertEquals(results[1].doubles("test_accuracy")[i], results[0].doubles("test_accuracy")[i], 0.0,
                    "test accuracy, ε = " + eps);
            assertEquals(results[1].doubles("train_accuracy")[i], results[0].doubles("train_accuracy")[i], 0.0,
                    "train accuracy, ε = " + eps);
        }
    }
}
