package ntklc.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ntklc.report.Table;

/** The {@code coefficients} command end to end: CSV layout, errors, dry run and help. */
class CoefficientsCommandTest {
    @TempDir
    Path tmp;

    private static CommandOutcome run(String... args) {
        return CommandOutcome.run(new CoefficientsCommand(), args);
    }

    @Test
    void writesOneRowPerLayerWithTheSpecifiedColumns() throws Exception {
        Path dir = tmp.resolve("run");
        CommandOutcome o = run("--activations=relu,sign,relu", "--tau0=1.0693", "--out=" + dir);
        assertEquals(0, o.status(), o.err());
        Table t = Table.readCsv(dir.resolve("coefficients.csv"));
        // Issue 3 item 8: these columns, in this order; rows for layers 0..L.
        assertEquals(List.of("layer", "tau", "alpha1", "alpha2", "alpha3", "alpha4", "beta1", "beta2", "beta3", "kappa"),
                t.columns());
        assertEquals(4, t.size());
        // Row 0 is the input: τ0, α = (1, 0, 0, 1), β = (1, 0, 0), κ = τ0.
        assertEquals("0", t.text(0, "layer"));
        double[] row0 = {1.0693, 1, 0, 0, 1, 1, 0, 0, 1.0693};
        for (int c = 1; c < t.columns().size(); c++) {
            assertEquals(row0[c - 1], t.doubles(t.columns().get(c))[0], 0.0, t.columns().get(c));
        }
        // Layer 1 ReLU at τ0: α1 = D1 = ¼ (docs/theory.md §3.2); κ undefined (empty) from the sign layer on.
        assertEquals(0.25, t.doubles("alpha1")[1], 1e-15);
        assertFalse(t.text(1, "kappa").isEmpty());
        assertEquals("", t.text(2, "kappa"));
        assertEquals("", t.text(3, "kappa"));
        assertTrue(Files.exists(dir.resolve("config.properties")));
        assertTrue(Files.size(dir.resolve("coefficients.png")) > 1000);
        // The run folder is the last line on stdout, after the table.
        String[] lines = o.out().strip().split("\n");
        assertEquals(dir.toString(), lines[lines.length - 1]);
        assertTrue(o.out().startsWith("layer"));
    }

    @Test
    void userMistakesAreOneLineErrors() {
        for (String[] args : new String[][] {{"--activations=relu,rleu"}, {"--tau0=-1"}, {"--tau0=abc"},
            {"--ntk-recursion=paper"}, {"--activations=binary-zero:2:1:1"}, {"--activation=relu"},
            {"--activations=binary-zero:-60:60:1,relu"}}) {
            CommandOutcome o = run(args);
            assertEquals(2, o.status(), String.join(" ", args));
            assertTrue(o.err().startsWith("error: "), o.err());
            assertEquals(1, o.err().strip().split("\n").length, o.err());
        }
        assertTrue(run("--activations=relu,rleu").err().contains("unknown activation 'rleu'"));
        // A step that never fires at this scale has zero output variance: τ1 = 0 and layer 2 is undefined.
        assertTrue(run("--activations=binary-zero:-60:60:1,relu").err().contains("τ_1 = 0.0 after layer 1"));
    }

    @Test
    void dryRunWritesNothingAndHelpListsEveryOption() throws Exception {
        Path dir = tmp.resolve("dry");
        CommandOutcome o = run("--dry-run", "--out=" + dir);
        assertEquals(0, o.status(), o.err());
        assertFalse(Files.exists(dir));
        assertTrue(o.out().contains("3 layers (relu,relu,relu)"), o.out());
        String help = run("--help").out();
        for (String option : new String[] {"--activations=… ", "(default: relu,relu,relu)", "--tau0=…",
            "(default: 1.0)", "--ntk-recursion=…", "(default: recommended)", "--out=…", "--dry-run"}) {
            assertTrue(help.contains(option), option + " missing in\n" + help);
        }
    }
}
