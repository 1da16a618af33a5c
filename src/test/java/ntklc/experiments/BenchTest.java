package ntklc.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ntklc.cli.Cli;
import ntklc.report.Table;

/** {@code bench --dry-run} for both ops on the CPU backend, and its user errors. */
class BenchTest {
    @TempDir
    Path tmp;

    /** Runs bench with System.out/err captured (commands print there, as the Command contract says). */
    private int run(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        System.setOut(o);
        System.setErr(e);
        try {
            return Cli.run(new Bench(), args, o, e);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void dryRunWritesAGflopsTableForBothOps() throws Exception {
        for (String op : new String[] {"matmul", "conv"}) {
            Path dir = tmp.resolve(op);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertEquals(0, run(out, err, "--op=" + op, "--device=cpu", "--dry-run", "--out=" + dir));
            String[] lines = out.toString(StandardCharsets.UTF_8).trim().split("\n");
            assertEquals(dir.toString(), lines[lines.length - 1], "the run folder is the last line on stdout");
            Table t = Table.readCsv(dir.resolve("bench.csv"));
            // matmul: the two dry-run sizes; conv: forward, backward data, backward weights, all.
            assertEquals(op.equals("matmul") ? 2 : 4, t.size());
            for (double g : t.doubles("gflops")) {
                assertTrue(g > 0 && Double.isFinite(g), "gflops " + g);
            }
            assertTrue(Files.exists(dir.resolve("config.properties")));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("device: cpu"));
        }
    }

    @Test
    void ternaryDryRunsTimeEveryPassAgainstTheDenseOne() throws Exception {
        // --op=ternary: dense GEMM, bit-sliced layer, popcount counts (--levels=16: dense, counts,
        // additions, GEMM); --op=ternary-network: dense, packed (--variant=tau-matched-2bit: its solved staircases).
        String[][] cases = {{"ternary", "3", "--levels=2"}, {"ternary", "4", "--levels=16"},
            {"ternary-network", "2", "--levels=2"}, {"ternary-network", "2", "--variant=tau-matched-2bit"}};
        for (String[] c : cases) {
            Path dir = tmp.resolve(c[0] + c[2]);
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertEquals(0, run(new ByteArrayOutputStream(), err, "--op=" + c[0], "--epsilon=0.9", "--dry-run", c[2],
                    "--out=" + dir), err.toString(StandardCharsets.UTF_8));
            Table t = Table.readCsv(dir.resolve("bench.csv"));
            assertEquals(Integer.parseInt(c[1]), t.size());
            assertEquals(1.0, t.doubles("ratio")[0], 0.0, "the dense row is the baseline");
            for (double s : t.doubles("median_seconds")) {
                assertTrue(s > 0 && Double.isFinite(s), "seconds " + s);
            }
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, run(new ByteArrayOutputStream(), err, "--op=ternary", "--shape=1,2", "--out=" + tmp.resolve("x")));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("error:"));
        for (String bad : new String[] {"--levels=17", "--variant=nonsense"}) {
            ByteArrayOutputStream e = new ByteArrayOutputStream();
            assertEquals(2, run(new ByteArrayOutputStream(), e, "--op=ternary-network", bad, "--dry-run",
                    "--out=" + tmp.resolve("y")));
            String text = e.toString(StandardCharsets.UTF_8).trim();
            assertTrue(text.startsWith("error:") && !text.contains("\n"), text);
        }
    }

    @Test
    void badShapeAndDeviceAreUserErrors() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, run(out, err, "--op=conv", "--shape=1,2,3", "--out=" + tmp.resolve("a")));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("error: bench: --shape=1,2,3"), err.toString());
        ByteArrayOutputStream err2 = new ByteArrayOutputStream();
        assertEquals(2, run(out, err2, "--device=gpu", "--out=" + tmp.resolve("b")));
        assertTrue(err2.toString(StandardCharsets.UTF_8).contains("--device=gpu is not auto, cpu, opencl or opencl:N"));
    }
}
