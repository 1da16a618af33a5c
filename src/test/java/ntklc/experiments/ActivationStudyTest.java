package ntklc.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;

import ntklc.report.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActivationStudyTest {
    @TempDir
    Path tmp;

    @Test
    void dryRunGivesTheClosedFormReluCoefficientsBesideThePaper() throws Exception {
        int rc = CompressTest.run(new ActivationStudy(), new ByteArrayOutputStream(), "--dry-run", "--out=" + tmp);
        assertEquals(0, rc);
        Table t = Table.readCsv(tmp.resolve("activations.csv"));
        assertEquals(20, t.size());
        assertEquals("relu", t.text(0, "activation"));
        // ReLU, three layers (docs/theory.md §4.1, §4.3): D1 = 1/4 per layer → α1 = 1/64; homogeneity gives
        // τ_3 = τ0·(½ − 1/(2π))^{3/2}; the dry run uses the paper's τ0 = 1.0021 for MNIST.
        assertEquals(1.0 / 64, t.doubles("alpha1")[0], 1e-12);
        assertEquals(1.0021 * Math.pow(0.5 - 0.5 / Math.PI, 1.5), t.doubles("tau")[0], 1e-12);
        // the paper's Table 1 value sits beside it (docs/theory.md §8.4)
        assertEquals(0.0156, t.doubles("paper_alpha1")[0], 1e-12);
        assertTrue(Double.isNaN(t.doubles("test_accuracy")[0]));
    }

    @Test
    void unknownDatasetIsAUserError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = CompressTest.run(new ActivationStudy(), err, "--datasets=cifar", "--dry-run", "--out=" + tmp);
        assertEquals(2, rc);
        assertTrue(err.toString().startsWith("error: activations: --datasets=cifar is not"), err.toString());
    }
}
