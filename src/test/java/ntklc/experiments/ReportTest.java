package ntklc.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import ntklc.cli.UserError;
import org.junit.jupiter.api.io.TempDir;

import ntklc.report.Table;

/** {@code report --dry-run} (the plan) and the report's one-line errors; the full pipeline is in {@link ReportKillTest}. */
class ReportTest {
    @TempDir
    Path dir;

    private Table plan(String... args) throws IOException {
        Path out = dir.resolve("plan-" + String.join("", args).replaceAll("[^a-z]", ""));
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.add("--dry-run");
        // the reference machine's GEMM rates, so that the estimates do not depend on this machine's load
        all.add("--rates=reference");
        all.add("--out=" + out);
        CliErrorsTest.Result r = CliErrorsTest.run(new Report(), all.toArray(String[]::new));
        assertEquals(0, r.status(), r.err());
        assertTrue(Files.exists(out.resolve("config.properties")));
        try (var files = Files.list(out)) {
            // (hidden files, such as the run folder's .lock, are the run-folder mechanism's)
            assertEquals(List.of("config.properties", "plan.csv"), files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".")).sorted().toList(), "a dry run writes the plan and nothing else");
        }
        return Table.readCsv(out.resolve("plan.csv"));
    }

    @Test
    void dryRunPlansEveryArtefactWithItsRunsNetworksAndTime() throws IOException {
        Table quick = plan();
        List<String> artefacts = new ArrayList<>();
        for (int i = 0; i < quick.size(); i++) {
            if (!artefacts.contains(quick.text(i, "artefact"))) {
                artefacts.add(quick.text(i, "artefact"));
            }
        }
        assertEquals(ReportArtefacts.NAMES, artefacts);
        for (int i = 0; i < quick.size(); i++) {
            String command = quick.text(i, "command");
            if (quick.text(i, "artefact").equals("fig3-cifar10")) {
                // without --features the CIFAR-10 artefact is planned as not run, saying how to make them
                assertTrue(command.startsWith("not run: needs --features"), command);
                assertEquals(0, quick.doubles("estimated_seconds")[i]);
            } else {
                assertTrue(command.contains("target/ntk-lc.jar "), command);
                assertTrue(quick.doubles("estimated_seconds")[i] > 0, command);
            }
        }
        // Fig. 3–4 run the paper's method and the project's variant as separate runs.
        assertTrue(quick.text(4, "command").contains("--preset=paper-fig3-mnist"), quick.text(4, "command"));
        assertTrue(quick.text(5, "command").contains("--variant=" + ReportArtefacts.BEST_VARIANT), quick.text(5, "command"));
        double quickTotal = Arrays.stream(quick.doubles("estimated_seconds")).sum();
        double paperTotal = Arrays.stream(plan("--scale=paper").doubles("estimated_seconds")).sum();
        assertTrue(quickTotal > 0 && quickTotal <= 600, "quick estimate " + quickTotal + " s");
        assertTrue(paperTotal > 20 * quickTotal, "paper " + paperTotal + " s vs quick " + quickTotal + " s");
        // ntk-spectrum's second recursion starts from the first's Monte-Carlo draws
        for (int i = 0; i < quick.size(); i++) {
            if (quick.text(i, "artefact").equals("ntk-spectrum") && quick.text(i, "run").equals("preprint")) {
                assertTrue(quick.text(i, "command").contains("--reuse-draws=RUN_DIR_OF_recommended"), quick.text(i, "command"));
                assertEquals(0, quick.doubles("networks")[i]);
            }
        }
    }

    @Test
    void onlySelectsArtefactsAndPaperScaleUsesThePresetsAsTheyAre() throws IOException {
        Table t = plan("--scale=paper", "--only=fig3-mnist,table2", "--seed=7");
        assertEquals(List.of("fig3-mnist", "fig3-mnist", "table2", "table2"),
                java.util.stream.IntStream.range(0, t.size()).mapToObj(i -> t.text(i, "artefact")).toList());
        String fig3 = t.text(0, "command");
        assertTrue(fig3.endsWith("compress --preset=paper-fig3-mnist --seed=7"), fig3);
        // the preset's five width sets of original, 3 ε of NTK-LC and the two naive baselines
        assertEquals(5 * 6, t.doubles("networks")[0]);
        assertEquals(5 * 3, t.doubles("networks")[1]);
        assertTrue(t.text(3, "command").contains("activations --preset=paper --datasets=gmm-var"), t.text(3, "command"));
        // Table 1 cannot have 6000 eights from MNIST's training split: it takes all of them
        Table t1 = plan("--scale=paper", "--only=table1", "--seed=7");
        assertTrue(t1.text(1, "command").contains("activations --preset=paper --train-per-class=5851 --datasets=mnist-6v8"),
                t1.text(1, "command"));
    }

    @Test
    void thePaperScaleIsCheckedAgainstTheHeapBeforeAnythingRuns() {
        // Fig. 4 bottom's widest set: one 20000×20000 float matrix alone is 1.6 GB (its footprint is Compress's)
        List<ReportArtefacts.Artefact> paper = ReportArtefacts.all(ReportArtefacts.Scale.PAPER, "");
        UserError e = assertThrows(UserError.class, () -> Report.preflight(paper, a -> false, 1, "cpu", 1L << 30));
        assertTrue(e.getMessage().startsWith("report: fig3-mnist/paper (compress): needs about"), e.getMessage());
        assertTrue(e.getMessage().contains("-Xmx"), e.getMessage());
        // finished artefacts are not checked again; the quick scale fits 1 GiB
        Report.preflight(paper, a -> !a.equals("table2"), 1, "cpu", 1L << 30);
        Report.preflight(ReportArtefacts.all(ReportArtefacts.Scale.QUICK, ""), a -> false, 1, "cpu", 1L << 30);
    }

    @Test
    void mnistTrainingSplitHoldsAsManyEightsAsTable1Takes() throws IOException {
        // independent source: the label file itself (the MNIST training split, 60 000 labels after an 8-byte header)
        Path labels = Path.of("data/mnist/train-labels-idx1-ubyte");
        Path gz = Path.of("data/mnist/train-labels-idx1-ubyte.gz");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(labels) || Files.exists(gz), "MNIST not in data/mnist/");
        byte[] bytes;
        if (Files.exists(labels)) {
            bytes = Files.readAllBytes(labels);
        } else {
            try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(gz))) {
                bytes = in.readAllBytes();
            }
        }
        int[] count = new int[10];
        for (int i = 8; i < bytes.length; i++) {
            count[bytes[i]]++;
        }
        assertEquals(60000, bytes.length - 8);
        assertEquals(ReportArtefacts.MNIST_TRAIN_EIGHTS, count[8]);
        assertTrue(count[6] >= count[8], "sixes " + count[6]);
    }

    @Test
    void anUnknownArtefactIsAOneLineError() {
        CliErrorsTest.assertOneLineError(CliErrorsTest.run(new Report(), "--only=fig2-left,fig5", "--dry-run",
                "--out=" + dir.resolve("x")), "--only");
    }

    @Test
    void resumeRefusesChangedOptionsAndForeignFolders() throws IOException {
        Path run = dir.resolve("run");
        assertEquals(0, CliErrorsTest.run(new Report(), "--only=table2", "--dry-run", "--out=" + run).status());
        CliErrorsTest.assertOneLineError(CliErrorsTest.run(new Report(), "--resume=" + run, "--scale=paper"),
                "--scale=paper differs from the value recorded");
        CliErrorsTest.assertOneLineError(CliErrorsTest.run(new Report(), "--resume=" + dir), "config.properties");
        assertFalse(Files.exists(run.resolve("report.csv")));
    }

    @Test
    void dryRunPublishesWhatIsFinishedAndComputesNothing() throws IOException {
        Path run = dir.resolve("run");
        Path file = dir.resolve("docs").resolve("paper-report.md");
        List<String> args = List.of("--scale=smoke", "--only=table1,table2", "--seed=4", "--device=cpu");
        assertEquals(0, CliErrorsTest.run(new Report(), with(args, "--dry-run", "--out=" + run)).status());
        // nothing finished yet: the document lists every artefact as not published, nothing is run
        CliErrorsTest.Result r = CliErrorsTest.run(new Report(), "--resume=" + run, "--dry-run", "--publish=" + file);
        assertEquals(0, r.status(), r.err());
        assertTrue(Files.readString(file).contains("from 0 of " + ReportArtefacts.NAMES.size() + " artefacts"));
        assertFalse(Files.exists(run.resolve("table1")), "a dry run computes nothing");
        // finished (the same folder resumed for real): both artefacts are published by a later dry run
        assertEquals(0, CliErrorsTest.run(new Report(), "--resume=" + run).status());
        assertEquals(0, CliErrorsTest.run(new Report(), "--resume=" + run, "--dry-run", "--publish=" + file).status());
        String md = Files.readString(file);
        assertTrue(md.contains("from 2 of ") && md.contains("## table1: ") && md.contains("## table2: "), md);
        assertEquals(Files.readAllLines(run.resolve("report.csv")), Files.readAllLines(file.resolveSibling("paper-report")
                .resolve(ReportPublisher.ROWS)), "the published numbers are the run's");
        // a run of another seed is refused before it computes anything
        Path other = dir.resolve("other");
        CliErrorsTest.assertOneLineError(CliErrorsTest.run(new Report(), "--scale=smoke", "--only=table1", "--seed=5",
                "--out=" + other, "--publish=" + file), "--seed=4");
        assertFalse(Files.exists(other.resolve("table1")));
    }

    private static String[] with(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(Arrays.asList(more));
        return all.toArray(String[]::new);
    }

    @Test
    void aMissingFeatureFileIsAOneLineError() {
        CliErrorsTest.assertOneLineError(CliErrorsTest.run(new Report(), "--features=" + dir.resolve("none.bin"),
                "--dry-run"), "--features");
    }
}
