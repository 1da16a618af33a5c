package ntklc.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
 * The resume contract of {@code compress} under a real {@code kill -9}: a run killed after some of
 * its networks and continued with {@code --resume} ends with the same {@code results.csv} (every
 * column but {@code seconds}) and {@code summary.csv} as an uninterrupted run of the same seed.
 *
 * <p>Expected values: the uninterrupted run, a second execution of the same deterministic program.
 * What makes them equal: every network's generators are split from the root generator in loop
 * order, also for the networks a resumed run skips, and the NTK-LC solver is deterministic given
 * its split. The softmax readout is used because it draws a second generator per network, the
 * harder case for the skipping. Sizes: a 3-class GMM with p = 24, 40 training and 20 test samples
 * per class, two width sets, 14 networks of about 0.1 s each; the kill is sent as soon as
 * {@code results.csv} holds 3 rows. If the run outruns the kill, the attempt is repeated with
 * four times the samples, and after three misses the test fails rather than pass without a kill.
 */
class CompressKillTest {
    private static final int NETWORKS = 14;
    private static final int ATTEMPTS = 3;

    @TempDir
    Path tmp;

    @RegisterExtension
    final ChildJvm jvm = new ChildJvm();

    @Test
    void killedAndResumedRunEqualsUninterruptedRun() throws Exception {
        int perClass = 40;
        Path killed = null;
        for (int attempt = 1; killed == null; attempt++) {
            Path dir = tmp.resolve("killed-" + attempt);
            Path log = tmp.resolve("killed-" + attempt + ".log");
            Process p = jvm.start("compress", args(dir, perClass), log);
            if (jvm.killWhen(p, () -> rows(dir) >= 3, log) && rows(dir) < NETWORKS) {
                killed = dir;
            } else if (attempt == ATTEMPTS) {
                fail("compress finished before the kill in " + ATTEMPTS + " attempts (last: " + perClass
                        + " per class); nothing was tested\n" + ChildJvm.tail(log));
            } else {
                perClass *= 4;
            }
        }
        int before = rows(killed);
        assertTrue(before >= 3 && before < NETWORKS, before + " rows after the kill");

        Path resumedLog = tmp.resolve("resumed.log");
        assertEquals(0, jvm.run("compress", List.of("--resume=" + killed, "--device=cpu"), resumedLog),
                "resume after the kill failed\n" + ChildJvm.tail(resumedLog));
        assertTrue(Files.readString(resumedLog, StandardCharsets.UTF_8).contains(before + " networks already finished"),
                ChildJvm.tail(resumedLog));
        try (Stream<Path> files = Files.list(killed)) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp")), "stray temporary left");
        }

        Path whole = tmp.resolve("whole");
        Path wholeLog = tmp.resolve("whole.log");
        assertEquals(0, jvm.run("compress", args(whole, perClass), wholeLog), ChildJvm.tail(wholeLog));

        assertEquals(withoutSeconds(whole.resolve("results.csv")), withoutSeconds(killed.resolve("results.csv")));
        assertEquals(-1, Files.mismatch(whole.resolve("summary.csv"), killed.resolve("summary.csv")),
                "summary.csv differs from the uninterrupted run's");
    }

    @Test
    void optionsTypedBesideResumeMustMatchTheRecordedOnes() throws Exception {
        Path dir = tmp.resolve("dry");
        List<String> dry = new ArrayList<>(args(dir, 40));
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

    /** 3 GMM classes, two width sets, every method, softmax readout, seed 5: 14 networks. */
    private static List<String> args(Path out, int perClass) {
        return List.of("--data=gmm-mixed", "--classes=0,1,2", "--p=24", "--train-per-class=" + perClass,
                "--test-per-class=" + perClass / 2, "--widths=48,48,24;32,32,16", "--restarts=10",
                "--readout=softmax", "--epochs=3", "--batch=16", "--seed=5", "--device=cpu", "--out=" + out);
    }

    /** Rows of {@code dir/results.csv}; 0 while it does not exist (it is written atomically). */
    private static int rows(Path dir) {
        Path csv = dir.resolve("results.csv");
        try {
            return Files.exists(csv) ? Table.readCsv(csv).size() : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rows of a results.csv as text, the timing column dropped. */
    private static List<List<String>> withoutSeconds(Path csv) throws IOException {
        Table t = Table.readCsv(csv);
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < t.size(); i++) {
            List<String> row = new ArrayList<>();
            for (String c : t.columns()) {
                if (!c.equals("seconds")) {
                    row.add(c + "=" + t.text(i, c));
                }
            }
            out.add(row);
        }
        assertEquals(NETWORKS, out.size(), csv + " rows");
        return out;
    }
}
