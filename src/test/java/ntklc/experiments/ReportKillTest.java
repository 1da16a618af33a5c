package ntklc.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import ntklc.report.Table;

/**
 * {@code report} killed with SIGKILL in a child JVM, then resumed, writes the same
 * {@code report.csv} as an uninterrupted run with the same seed. The file holds no timings, so
 * "the same" is byte for byte. Runs at the smoke scale on the CPU backend (an {@code auto} device
 * may route a product to OpenCL by a timing, which would change the last bits between runs).
 *
 * <p>Two kills: between artefacts (built-in Gaussian mixtures only: {@code fig2-left},
 * {@code ntk-spectrum} with two spectrum runs, {@code table2} with two activation-study runs; the
 * kill is sent once the first artefact is recorded, so it lands inside the second), and inside a
 * {@code compress} run of Fig. 4 top (MNIST; the kill is sent once its first network is recorded,
 * so the resumed report continues that run with {@code compress --resume}). If a report outruns
 * its kill, the attempt is repeated, and after three misses the test fails rather than pass
 * without a kill.
 */
class ReportKillTest {
    private static final int ATTEMPTS = 3;

    @RegisterExtension
    final ChildJvm jvm = new ChildJvm();

    @TempDir
    Path tmp;

    @Test
    void killedBetweenArtefactsAndResumedEqualsUninterrupted() throws Exception {
        Path killed = killAndResume(List.of("--scale=smoke", "--only=fig2-left,ntk-spectrum,table2", "--seed=3",
                "--device=cpu"), dir -> finished(dir).contains("fig2-left"));
        String log = Files.readString(tmp.resolve("resumed.log"), StandardCharsets.UTF_8);
        assertTrue(log.contains("fig2-left [1/3] finished in an earlier run"), log);

        // Provenance: every sub-run finished exactly once, by a named build; the kill left one
        // artefact started in the first process, which the second one finished.
        Table prov = Table.readCsv(killed.resolve(Report.PROVENANCE));
        List<String> finishedRuns = new ArrayList<>();
        for (int i = 0; i < prov.size(); i++) {
            assertFalse(prov.text(i, "commit").isBlank(), "row " + i + " names no commit");
            if (prov.text(i, "event").equals("finished")) {
                finishedRuns.add(prov.text(i, "artefact") + "/" + prov.text(i, "run"));
            }
        }
        assertEquals(List.of("fig2-left/spectrum", "ntk-spectrum/recommended", "ntk-spectrum/preprint",
                "table2/coefficients", "table2/accuracy"), finishedRuns);

        // --publish on the finished folder recomputes nothing and writes the document and its charts.
        Path docs = tmp.resolve("docs");
        Path file = docs.resolve("paper-report.md");
        CliErrorsTest.Result r = CliErrorsTest.run(new Report(), "--resume=" + killed, "--device=cpu",
                "--publish=" + file);
        assertEquals(0, r.status(), r.err());
        assertEquals(-1, Files.mismatch(tmp.resolve("whole").resolve("report.csv"), killed.resolve("report.csv")));
        String md = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(md.contains("from 3 of " + ReportArtefacts.NAMES.size() + " artefacts") && md.contains("reproduced,") && !md.contains("not recorded"), md);
        long charts;
        try (var pngs = Files.list(docs.resolve("paper-report"))) {
            charts = pngs.filter(p -> p.toString().endsWith(".png")).count();
        }
        assertEquals(md.split("\\]\\(paper-report/", -1).length - 1, charts, "one PNG per link");
        // A folder of a build that kept no provenance (the file absent) still publishes, saying so.
        Files.delete(killed.resolve(Report.PROVENANCE));
        assertEquals(0, CliErrorsTest.run(new Report(), "--resume=" + killed, "--device=cpu", "--publish=" + file)
                .status());
        assertTrue(Files.readString(file, StandardCharsets.UTF_8).contains("not recorded"));
    }

    @Test
    void killedInsideCompressAndResumedEqualsUninterrupted() throws Exception {
        assumeTrue(Files.exists(Path.of("data/mnist/t10k-labels-idx1-ubyte"))
                || Files.exists(Path.of("data/mnist/t10k-labels-idx1-ubyte.gz")), "MNIST not in data/mnist/");
        killAndResume(List.of("--scale=smoke", "--only=fig4-6v8", "--seed=5", "--device=cpu"),
                dir -> networks(dir.resolve("fig4-6v8").resolve("paper")) >= 1);
        String log = Files.readString(tmp.resolve("resumed.log"), StandardCharsets.UTF_8);
        assertFalse(log.contains("finished in an earlier run"), "the kill landed after the artefact finished\n" + log);
    }

    /**
     * Kills a report with {@code args} once {@code ready} holds for its folder, resumes it, runs
     * the same report uninterrupted, and asserts both report.csv files are identical.
     */
    private Path killAndResume(List<String> args, Predicate<Path> ready) throws Exception {
        Path killed = null;
        for (int attempt = 1; killed == null; attempt++) {
            Path dir = tmp.resolve("killed-" + attempt);
            Path log = tmp.resolve("killed-" + attempt + ".log");
            Process p = jvm.start("report", with(args, "--out=" + dir), log);
            if (jvm.killWhen(p, () -> ready.test(dir), log) && !Files.exists(dir.resolve("report.csv"))) {
                killed = dir;
            } else if (attempt == ATTEMPTS) {
                fail("the report finished before the kill in " + ATTEMPTS + " attempts; nothing was tested");
            }
        }
        assertFalse(Files.exists(killed.resolve("report.csv")));
        Path resumedLog = tmp.resolve("resumed.log");
        assertEquals(0, jvm.run("report", List.of("--resume=" + killed, "--device=cpu"), resumedLog),
                "resume failed\n" + ChildJvm.tail(resumedLog));

        Path whole = tmp.resolve("whole");
        Path wholeLog = tmp.resolve("whole.log");
        assertEquals(0, jvm.run("report", with(args, "--out=" + whole), wholeLog),
                "uninterrupted run failed\n" + ChildJvm.tail(wholeLog));

        Table expected = Table.readCsv(whole.resolve("report.csv"));
        assertTrue(expected.size() >= 6, "rows of the uninterrupted report: " + expected.size());
        assertEquals(expected.rows(), Table.readCsv(killed.resolve("report.csv")).rows(), "report.csv after kill and resume");
        assertEquals(-1, Files.mismatch(whole.resolve("report.csv"), killed.resolve("report.csv")));
        String md = Files.readString(killed.resolve("report.md"), StandardCharsets.UTF_8);
        assertTrue(md.startsWith("# ") && md.contains("## Summary") && md.contains(".png)"), md);
        // self-contained: every chart embedded, nothing to fetch
        String html = Files.readString(killed.resolve("report.html"), StandardCharsets.UTF_8);
        assertTrue(html.contains("src=\"data:image/png;base64,"), "charts embedded in report.html");
        assertFalse(html.contains("http://") || html.contains("https://"), "report.html refers to the network");
        return killed;
    }

    private static List<String> with(List<String> args, String extra) {
        List<String> out = new ArrayList<>(args);
        out.add(extra);
        return out;
    }

    /** The artefacts recorded finished in a report folder (none while artefacts.csv does not exist). */
    private static List<String> finished(Path dir) {
        try {
            Path csv = dir.resolve(Report.ARTEFACTS);
            if (!Files.exists(csv)) {
                return List.of();
            }
            Table t = Table.readCsv(csv);
            List<String> out = new ArrayList<>();
            for (int i = 0; i < t.size(); i++) {
                out.add(t.text(i, "artefact"));
            }
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Networks recorded in a compress run folder's results.csv (0 while it does not exist). */
    private static int networks(Path compressRun) {
        try {
            Path csv = compressRun.resolve("results.csv");
            return Files.exists(csv) ? Table.readCsv(csv).size() : 0;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
