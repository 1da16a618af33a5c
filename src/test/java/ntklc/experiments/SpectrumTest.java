package ntklc.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ntklc.report.Table;

/** The spectrum command end to end on a small case, its dry run, and its user errors. */
class SpectrumTest {
    private static CommandOutcome run(String... args) {
        return CommandOutcome.run(new Spectrum(), args);
    }

    @Test
    void smallExactRunWritesEveryOutput(@TempDir Path dir) throws Exception {
        // n = p = 200 var GMM, exact CK: docs/theory.md §4.3's n^−1/2 trend puts the recommended error near
        // 0.07 at this size (0.053 at 400); asserted below 0.12, and the leading eigenvector of K̃
        // must match K's (overlap > 0.95; docs/theory.md §8.5 R1 reports 1.00 at n = 800).
        Path out = dir.resolve("run");
        CommandOutcome o = run("--data=gmm-var", "--n=200", "--p=200", "--out=" + out);
        assertEquals(0, o.status(), o.err());
        for (String f : new String[] {"config.properties", "summary.csv", "eigenvalues.csv", "histogram.csv",
                "eigenvectors.csv", "spectrum.png", "eigenvectors.png"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        Table summary = Table.readCsv(out.resolve("summary.csv"));
        double rel = Double.NaN;
        double overlap = Double.NaN;
        for (int i = 0; i < summary.size(); i++) {
            if (summary.text(i, "metric").equals("rel_error")) {
                rel = Double.parseDouble(summary.text(i, "value"));
            }
            if (summary.text(i, "metric").equals("overlap1")) {
                overlap = Double.parseDouble(summary.text(i, "value"));
            }
        }
        assertTrue(rel > 0 && rel < 0.12, "rel_error " + rel);
        assertTrue(overlap > 0.95, "overlap1 " + overlap);
        Table hist = Table.readCsv(out.resolve("histogram.csv"));
        assertEquals(50, hist.size());
        double countK = 0;
        for (double c : hist.doubles("K")) {
            countK += c;
        }
        assertEquals(200, countK, 0);
    }

    @Test
    void userCsvFileRuns(@TempDir Path dir) throws Exception {
        // 60 samples, 12 features, two classes (the last column): only the pipeline is checked here.
        StringBuilder csv = new StringBuilder();
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        for (int i = 0; i < 60; i++) {
            for (int j = 0; j < 12; j++) {
                csv.append(String.format(java.util.Locale.ROOT, "%.5f,", rng.nextDouble() - 0.5 + (i % 2) * (j < 2 ? 0.5 : 0)));
            }
            csv.append(i % 2).append('\n');
        }
        Path file = dir.resolve("samples.csv");
        Files.writeString(file, csv);
        Path out = dir.resolve("csv-run");
        CommandOutcome o = run("--data=csv:" + file, "--n=40", "--out=" + out);
        assertEquals(0, o.status(), o.err());
        assertEquals(40, Table.readCsv(out.resolve("eigenvalues.csv")).size());
    }

    @Test
    void dryRunOfBothPresetsChecksOptionsOnly(@TempDir Path dir) {
        for (String preset : new String[] {"paper-fig2-left", "paper-fig2-right"}) {
            CommandOutcome o = run("--preset=" + preset, "--dry-run", "--out=" + dir.resolve(preset));
            assertEquals(0, o.status(), o.err());
            assertTrue(Files.exists(dir.resolve(preset).resolve("config.properties")));
        }
    }

    @Test
    void userMistakesAreOneLineErrors(@TempDir Path dir) {
        String[][] bad = {
            {"--kernel=cnn"},
            {"--activations=relu,bogus"},
            {"--method=monte-carlo", "--widths=10,10"},
            {"--weights=ternary:2"},
            {"--data=nothing"},
            {"--form=psi"},
            {"--n=1"},
        };
        for (String[] args : bad) {
            String[] full = java.util.Arrays.copyOf(args, args.length + 2);
            full[args.length] = "--dry-run";
            full[args.length + 1] = "--out=" + dir.resolve("x");
            CommandOutcome o = run(full);
            assertEquals(2, o.status(), String.join(" ", args) + ": " + o.err());
            assertTrue(o.err().startsWith("error: ") && o.err().strip().lines().count() == 1,
                    String.join(" ", args) + ": " + o.err());
        }
    }
}
