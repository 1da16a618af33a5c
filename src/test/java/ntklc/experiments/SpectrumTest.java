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

    /**
     * {@code --reuse-draws}: the empirical NTK does not depend on the β/κ recursion of K̃, so a
     * preprint run that starts from a recommended run's 3 draws and adds 2 must write, bit for bit,
     * the same eigenvalues, eigenvectors and summary (timing aside) as a preprint run that draws all
     * 5 itself with the same seed (the independent reference: a separate run). The Monte-Carlo sums
     * themselves are compared byte for byte too. A source of another K (another seed) is refused.
     */
    @Test
    void reusedDrawsEqualOwnDraws(@TempDir Path dir) throws Exception {
        String[] common = {"--kernel=ntk", "--method=monte-carlo", "--n=40", "--p=40", "--widths=30,30", "--block=2",
            "--activations=relu,relu", "--seed=5"};
        Path source = dir.resolve("recommended");
        assertEquals(0, run(with(common, "--draws=3", "--out=" + source)).status());
        Path alone = dir.resolve("alone");
        CommandOutcome a = run(with(common, "--draws=5", "--ntk-recursion=preprint", "--out=" + alone));
        assertEquals(0, a.status(), a.err());
        Path shared = dir.resolve("shared");
        CommandOutcome b = run(with(common, "--draws=5", "--ntk-recursion=preprint", "--reuse-draws=" + source,
                "--out=" + shared));
        assertEquals(0, b.status(), b.err());
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(alone.resolve(Spectrum.SUMS)),
                Files.readAllBytes(shared.resolve(Spectrum.SUMS))));
        for (String f : new String[] {"eigenvalues.csv", "eigenvectors.csv", "histogram.csv"}) {
            assertEquals(Files.readString(alone.resolve(f)), Files.readString(shared.resolve(f)), f);
        }
        assertEquals(withoutSeconds(alone), withoutSeconds(shared));
        // Negative control: the same source with its sum replaced by zeros must change the result,
        // so the run above did start from the source's draws rather than redraw them.
        Path zeroed = dir.resolve("zeroed");
        Files.createDirectories(zeroed);
        Files.copy(source.resolve("config.properties"), zeroed.resolve("config.properties"));
        try (java.io.OutputStream out = Files.newOutputStream(zeroed.resolve(Spectrum.SUMS))) {
            new MonteCarloSums(40, 3, new double[40 * 40]).write(out);
        }
        Path fromZeros = dir.resolve("from-zeros");
        assertEquals(0, run(with(common, "--draws=5", "--ntk-recursion=preprint", "--reuse-draws=" + zeroed,
                "--out=" + fromZeros)).status());
        assertTrue(!Files.readString(alone.resolve("eigenvalues.csv")).equals(
                Files.readString(fromZeros.resolve("eigenvalues.csv"))));

        String[] otherSeed = java.util.Arrays.stream(common).map(arg -> arg.equals("--seed=5") ? "--seed=6" : arg)
                .toArray(String[]::new);
        CommandOutcome other = run(with(otherSeed, "--draws=5", "--reuse-draws=" + source,
                "--out=" + dir.resolve("other")));
        assertEquals(2, other.status());
        assertTrue(other.err().contains("--seed=5 differs"), other.err());
        CommandOutcome fewer = run(with(common, "--draws=2", "--reuse-draws=" + source, "--out=" + dir.resolve("fewer")));
        assertEquals(2, fewer.status());
        assertTrue(fewer.err().contains("more than this run's --draws"), fewer.err());
    }

    private static String[] with(String[] common, String... more) {
        String[] out = java.util.Arrays.copyOf(common, common.length + more.length);
        System.arraycopy(more, 0, out, common.length, more.length);
        return out;
    }

    private static String withoutSeconds(Path run) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        for (String line : Files.readAllLines(run.resolve("summary.csv"))) {
            if (!line.startsWith("seconds,")) {
                sb.append(line).append('\n');
            }
        }
        return sb.toString();
    }
}
