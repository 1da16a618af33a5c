package ntklc.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

import ntklc.cli.Cli;
import ntklc.report.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SolveTest {
    @TempDir
    Path tmp;

    @Test
    void writesSolutionCsvWithTheDocumentedColumnsAndWarns() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        int rc;
        try {
            // commands print to System.out / System.err (progress and warnings), so capture those
            System.setOut(new PrintStream(out));
            System.setErr(new PrintStream(err));
            rc = Cli.run(new Solve(), new String[] {"--restarts=20", "--variant=code", "--out=" + tmp},
                    System.out, System.err);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        assertEquals(0, rc);
        Table t = Table.readCsv(tmp.resolve("solution.csv"));
        assertEquals(java.util.List.of("layer", "activation", "F", "tau_original", "tau_compressed", "target_d1",
                "target_d2", "target_d3", "matched_d1", "matched_d2", "matched_d3", "target_tau", "matched_tau"),
                t.columns());
        assertEquals(3, t.size());
        assertTrue(t.text(0, "activation").startsWith("binary-zero:"));
        assertTrue(t.text(2, "activation").startsWith("binary-last:"));
        assertEquals("", t.text(0, "target_tau"));
        // docs/theory.md §6.6: the code variant's last layer is not solvable at τ0 = 1 → a warning
        assertTrue(err.toString().contains("warning: layer 3"), err.toString());
        assertTrue(out.toString().trim().endsWith(tmp.toString()));
    }

    @Test
    void badActivationIsAUserError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Cli.run(new Solve(), new String[] {"--activations=relu,foo", "--out=" + tmp},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        assertEquals(2, rc);
        assertTrue(err.toString().startsWith("error: solve: --activations: unknown activation 'foo'"), err.toString());
        assertEquals(1, err.toString().strip().lines().count());
    }
}
