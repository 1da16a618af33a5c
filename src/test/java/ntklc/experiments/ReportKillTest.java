package ntklc.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ntklc.report.Table;

/**
 * {@code report} killed with SIGKILL in a child JVM, then resumed, writes the same
 * {@code report.csv} as an uninterrupted run with the same seed (the file holds no timings, so
 * "the same" is byte for byte), and the same verdicts.
 *
 * <p>The selection runs on built-in Gaussian mixtures only (no data files): {@code fig2-left},
 * {@code ntk-spectrum} (two spectrum runs) and {@code table2} (two activation-study runs) at the
 * smoke scale, on the CPU backend (an {@code auto} device may route a product to OpenCL by a
 * timing, which would change the last bits between runs). The kill is sent as soon as the first
 * artefact is recorded finished, so it lands inside the second; if the whole report outran it, the
 * attempt is repeated, and after three misses the test fails rather than pass without a kill.
 */
class ReportKillTest {
    private static final int SIGKILL_STATUS = 128 + 9;
    private static final int ATTEMPTS = 3;
    private static final long CHILD_TIMEOUT_S = 300;
    private static final List<String> SELECTION = List.of("--scale=smoke", "--only=fig2-left,ntk-spectrum,table2",
            "--seed=3", "--device=cpu");

    @TempDir
    Path tmp;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killLeftoverChildren() {
        for (Process p : started) {
            p.destroyForcibly();
        }
    }

    @Test
    void killedAndResumedReportEqualsUninterruptedReport() throws Exception {
        Path killed = null;
        for (int attempt = 1; killed == null; attempt++) {
            Path dir = tmp.resolve("killed-" + attempt);
            if (killAfterFirstArtefact(dir)) {
                killed = dir;
            } else if (attempt == ATTEMPTS) {
                fail("the report finished before the kill in " + ATTEMPTS + " attempts; nothing was tested");
            }
        }
        assertTrue(Files.exists(killed.resolve("fig2-left").resolve(Report.ROWS)), "first artefact recorded");
        assertFalse(Files.exists(killed.resolve("table2").resolve(Report.ROWS)), "last artefact not recorded");
        assertFalse(Files.exists(killed.resolve("report.csv")));

        Path resumedLog = tmp.resolve("resumed.log");
        assertEquals(0, finish(start(List.of("--resume=" + killed, "--device=cpu"), resumedLog)),
                "resume failed\n" + tail(resumedLog));
        assertTrue(Files.readString(resumedLog, StandardCharsets.UTF_8).contains("fig2-left [1/3] finished in an earlier run"),
                tail(resumedLog));

        Path whole = tmp.resolve("whole");
        List<String> args = new ArrayList<>(SELECTION);
        args.add("--out=" + whole);
        Path wholeLog = tmp.resolve("whole.log");
        assertEquals(0, finish(start(args, wholeLog)), "uninterrupted run failed\n" + tail(wholeLog));

        Table expected = Table.readCsv(whole.resolve("report.csv"));
        Table actual = Table.readCsv(killed.resolve("report.csv"));
        assertTrue(expected.size() > 10, "rows of the uninterrupted report: " + expected.size());
        assertEquals(expected.rows(), actual.rows(), "report.csv after kill and resume");
        assertEquals(-1, Files.mismatch(whole.resolve("report.csv"), killed.resolve("report.csv")));
        for (String file : List.of("report.md", "report.html")) {
            assertTrue(Files.size(killed.resolve(file)) > 0, file);
        }
    }

    /**
     * Starts the report, waits until its first artefact is recorded, and SIGKILLs it.
     *
     * @return true when the kill landed before the report finished
     */
    private boolean killAfterFirstArtefact(Path dir) throws Exception {
        Path log = dir.resolveSibling(dir.getFileName() + ".log");
        List<String> args = new ArrayList<>(SELECTION);
        args.add("--out=" + dir);
        Process p = start(args, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CHILD_TIMEOUT_S);
        Path first = dir.resolve("fig2-left").resolve(Report.ROWS);
        while (!Files.exists(first) && p.isAlive()) {
            assertTrue(System.nanoTime() < deadline, "fig2-left never finished\n" + tail(log));
            Thread.sleep(10);
        }
        boolean aliveAtKill = p.isAlive();
        // Process.destroyForcibly() is SIGKILL on Linux: no finally block or shutdown hook runs.
        p.destroyForcibly();
        assertTrue(p.waitFor(CHILD_TIMEOUT_S, TimeUnit.SECONDS), "the killed report did not die");
        if (Files.exists(dir.resolve("report.csv"))) {
            return false;
        }
        assertTrue(aliveAtKill, "report exited with status " + p.exitValue() + " before the kill\n" + tail(log));
        if (System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")) {
            assertEquals(SIGKILL_STATUS, p.exitValue(), "exit status of the killed report\n" + tail(log));
        }
        return true;
    }

    private Process start(List<String> args, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            cmd.add("--add-modules=jdk.incubator.vector");
        }
        cmd.addAll(List.of("-Xmx512m", "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "report"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(p);
        return p;
    }

    private static int finish(Process p) throws InterruptedException {
        if (!p.waitFor(CHILD_TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("child report still going after " + CHILD_TIMEOUT_S + " s");
        }
        return p.exitValue();
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "--- " + log.getFileName() + " (last lines) ---\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
