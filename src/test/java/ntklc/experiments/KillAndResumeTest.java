package ntklc.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import ntklc.report.Table;

/**
 * The {@code --resume} contract of the long experiments under a real {@code kill -9} (issue 14
 * item 5): a run of {@code compress}, {@code spectrum --method=monte-carlo} or {@code activations}
 * killed part-way in a child JVM and continued with {@code --resume=RUN_DIR} ends with the same
 * results as an uninterrupted run of the same seed, timings aside.
 *
 * <p>Why a child JVM and SIGKILL: SIGKILL can neither be caught nor delayed (no {@code finally},
 * shutdown hook or flush runs), so what the resumed run finds is exactly what the killed one had
 * made durable ({@link ntklc.report.AtomicFiles}). Expected values: the uninterrupted run, a
 * second execution of the same deterministic program. What makes them equal: every unit (network,
 * draw, row) draws its generators from the root in the order of an uninterrupted run, also the
 * units a resumed run skips, and finished units are reloaded exactly (CSV text; the Monte-Carlo
 * sum as doubles). If a run outruns the kill, {@link ChildJvm#killMidRun} repeats it at four
 * times the size; after three misses the test fails rather than pass without a kill.
 */
class KillAndResumeTest {
    /** compress: 3-class GMM, two width sets × 7 networks. */
    private static final int NETWORKS = 14;
    /** spectrum: n = p. */
    private static final int N = 100;
    private static final String ACTIVATIONS = "relu,tanh,sin,erf,abs,sigmoid,cos,linear";

    @TempDir
    Path tmp;

    @RegisterExtension
    final ChildJvm jvm = new ChildJvm();

    /**
     * compress: p = 24, 40/20 samples per class, widths (48,48,24) and (32,32,16), every method,
     * softmax readout (it draws a second generator per network, the harder case for the skipping);
     * killed once results.csv holds 3 rows. Also: no stray temporary is left after the resume.
     */
    @Test
    void compress() throws Exception {
        ChildJvm.Killed k = jvm.killMidRun("compress", tmp, 40, KillAndResumeTest::compressArgs,
                dir -> rows(dir.resolve("results.csv")).size() >= 3,
                (dir, scale) -> rows(dir.resolve("results.csv")).size() == NETWORKS);
        int before = rows(k.dir().resolve("results.csv")).size();
        Path whole = resumeAndRunWhole("compress", k, KillAndResumeTest::compressArgs,
                before + " networks already finished");
        try (Stream<Path> files = Files.list(k.dir())) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp")), "stray temporary left");
        }
        assertEquals(NETWORKS, rows(whole.resolve("results.csv")).size());
        assertEquals(rows(whole.resolve("results.csv")), rows(k.dir().resolve("results.csv")));
        assertEquals(-1, Files.mismatch(whole.resolve("summary.csv"), k.dir().resolve("summary.csv")), "summary.csv");
    }

    /**
     * spectrum --method=monte-carlo: GMM n = p = 100, widths (256,256,128), 16 draws in blocks of 2,
     * killed once 4 draws are saved; resumed with another --block (harmless: the sum does not
     * depend on where it is saved).
     */
    @Test
    void spectrumMonteCarlo() throws Exception {
        ChildJvm.Killed k = jvm.killMidRun("spectrum", tmp, 16, KillAndResumeTest::spectrumArgs,
                dir -> savedDraws(dir) >= 4, (dir, draws) -> savedDraws(dir) == draws);
        int before = savedDraws(k.dir());
        assertTrue(before >= 4 && before < k.scale(), before + " draws saved at the kill");
        Path whole = resumeAndRunWhole("spectrum", k, KillAndResumeTest::spectrumArgs,
                "resuming after draw " + before, "--block=3");
        assertEquals(k.scale(), savedDraws(k.dir()));
        for (String file : List.of("eigenvalues.csv", "eigenvectors.csv", "histogram.csv")) {
            assertEquals(-1, Files.mismatch(whole.resolve(file), k.dir().resolve(file)), file);
        }
        assertEquals(rows(whole.resolve("summary.csv")).stream().filter(r -> !r.get(0).equals("metric=seconds")).toList(),
                rows(k.dir().resolve("summary.csv")).stream().filter(r -> !r.get(0).equals("metric=seconds")).toList());
    }

    /** activations: GMM var, p = 32, 8 activations, widths (96,96,48); killed once 2 rows are written. */
    @Test
    void activations() throws Exception {
        Path csv = Path.of(ActivationStudy.RESULTS);
        ChildJvm.Killed k = jvm.killMidRun("activations", tmp, 60, KillAndResumeTest::activationArgs,
                dir -> rows(dir.resolve(csv)).size() >= 2,
                (dir, scale) -> rows(dir.resolve(csv)).size() == ACTIVATIONS.split(",").length);
        int before = rows(k.dir().resolve(csv)).size();
        Path whole = resumeAndRunWhole("activations", k, KillAndResumeTest::activationArgs,
                before + " rows already finished");
        assertEquals(ACTIVATIONS.split(",").length, rows(whole.resolve(csv)).size());
        assertEquals(rows(whole.resolve(csv)), rows(k.dir().resolve(csv)));
    }

    /**
     * A folder in use by a running process is refused to a second process, through
     * {@code --resume} or {@code --out}, with one error line (the folder's lock, held until the
     * first process ends). The first run uses 2000 softmax epochs so that it is still running.
     */
    @Test
    void aFolderInUseIsRefused() throws Exception {
        Path dir = tmp.resolve("busy");
        List<String> slow = new ArrayList<>(compressArgs(dir, 40));
        slow.set(slow.indexOf("--epochs=3"), "--epochs=2000");
        Path log = tmp.resolve("busy.log");
        Process first = jvm.start("compress", slow, log);
        while (first.isAlive() && !Files.exists(dir.resolve("solution.csv"))) {
            Thread.sleep(10);
        }
        assertTrue(first.isAlive(), "the first run ended early\n" + ChildJvm.tail(log));
        Path second = tmp.resolve("second.log");
        assertEquals(2, jvm.run("compress", List.of("--resume=" + dir, "--device=cpu"), second), ChildJvm.tail(second));
        assertTrue(Files.readString(second, StandardCharsets.UTF_8).contains("is in use by another running process"),
                ChildJvm.tail(second));
        Path third = tmp.resolve("third.log");
        assertEquals(2, jvm.run("compress", slow, third), ChildJvm.tail(third));
        assertTrue(first.isAlive(), "the first run was disturbed\n" + ChildJvm.tail(log));
        jvm.killWhen(first, () -> true, log);
    }

    /** compress: an option typed beside --resume must equal the recorded one (--device excepted). */
    @Test
    void optionsTypedBesideResumeMustMatchTheRecordedOnes() throws Exception {
        Path dir = tmp.resolve("dry");
        List<String> dry = new ArrayList<>(compressArgs(dir, 40));
        dry.add("--dry-run");
        Path log = tmp.resolve("dry.log");
        assertEquals(0, jvm.run("compress", dry, log), ChildJvm.tail(log));
        String config = Files.readString(dir.resolve("config.properties"));

        Path bad = tmp.resolve("bad.log");
        assertEquals(2, jvm.run("compress", List.of("--resume=" + dir, "--seed=2"), bad));
        // the JVM's own notice about the incubator module is not the command's output
        List<String> lines = Files.readAllLines(bad, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList();
        assertEquals(1, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("error: compress: --seed=2 differs from the value recorded"), lines.get(0));
        assertEquals(config, Files.readString(dir.resolve("config.properties")), "the refused resume changed the folder");

        // The same value as recorded, and the harmless --device, are accepted.
        Path same = tmp.resolve("same.log");
        assertEquals(0, jvm.run("compress", List.of("--resume=" + dir, "--seed=5", "--device=cpu"), same),
                ChildJvm.tail(same));
        assertEquals(2, jvm.run("compress", List.of("--resume=" + tmp.resolve("absent")), tmp.resolve("absent.log")));
    }

    /**
     * Resumes the killed run (with {@code --device=cpu} and {@code extra}, checking its log says
     * {@code resumedSays}), then runs the same options uninterrupted.
     *
     * @return the uninterrupted run's folder
     */
    private Path resumeAndRunWhole(String command, ChildJvm.Killed k,
                                   java.util.function.BiFunction<Path, Integer, List<String>> args,
                                   String resumedSays, String... extra) throws Exception {
        List<String> resume = new ArrayList<>(List.of("--resume=" + k.dir(), "--device=cpu"));
        resume.addAll(List.of(extra));
        Path resumedLog = tmp.resolve("resumed.log");
        assertEquals(0, jvm.run(command, resume, resumedLog), "resume after the kill failed\n"
                + ChildJvm.tail(resumedLog));
        assertTrue(Files.readString(resumedLog, StandardCharsets.UTF_8).contains(resumedSays),
                "'" + resumedSays + "' missing\n" + ChildJvm.tail(resumedLog));
        Path whole = tmp.resolve("whole");
        Path wholeLog = tmp.resolve("whole.log");
        assertEquals(0, jvm.run(command, args.apply(whole, k.scale()), wholeLog), ChildJvm.tail(wholeLog));
        return whole;
    }

    private static List<String> compressArgs(Path out, int perClass) {
        return List.of("--data=gmm-mixed", "--classes=0,1,2", "--p=24", "--train-per-class=" + perClass,
                "--test-per-class=" + perClass / 2, "--widths=48,48,24;32,32,16", "--restarts=10",
                "--readout=softmax", "--epochs=3", "--batch=16", "--seed=5", "--device=cpu", "--out=" + out);
    }

    private static List<String> spectrumArgs(Path out, int draws) {
        return List.of("--method=monte-carlo", "--data=gmm-mixed", "--n=" + N, "--p=" + N, "--widths=256,256,128",
                "--draws=" + draws, "--block=2", "--seed=3", "--device=cpu", "--out=" + out);
    }

    private static List<String> activationArgs(Path out, int perClass) {
        return List.of("--datasets=gmm-var", "--activations=" + ACTIVATIONS, "--p=32", "--widths=96,96,48",
                "--train-per-class=" + perClass, "--test-per-class=" + perClass / 3, "--seed=4", "--device=cpu",
                "--out=" + out);
    }

    /** Draws in the saved running sum; 0 before the first block (the file is written atomically). */
    private static int savedDraws(Path dir) {
        return MonteCarloSums.readOrEmpty(dir.resolve(Spectrum.SUMS), N).draws();
    }

    /**
     * The rows of a CSV as {@code column=text} cells without the timing columns ({@code seconds},
     * {@code forward_seconds}, {@code readout_seconds});
     * none while the file does not exist (it is written atomically, so it is complete when it does).
     */
    static List<List<String>> rows(Path csv) {
        List<List<String>> out = new ArrayList<>();
        try {
            if (!Files.exists(csv)) {
                return out;
            }
            Table t = Table.readCsv(csv);
            for (int i = 0; i < t.size(); i++) {
                List<String> row = new ArrayList<>();
                for (String c : t.columns()) {
                    if (!c.endsWith("seconds")) {
                        row.add(c + "=" + t.text(i, c));
                    }
                }
                out.add(row);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
