package ntklc.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;

import ntklc.report.Table;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/theory.md §8.5 R6 (GMM mixed, p = 512, 2000 train / 1000 test, widths 1024,1024,512, ridge with
 * λ = 1e−3·tr(G)/n): about a minute on two cores, hence heavy. Asserts the parts of the
 * R6 estimates this implementation reproduces; the NTK-LC paper-variant level (estimate: 0.87–0.90, measured
 * here 0.71–0.76) is reported in the run notes, not asserted.
 */
@Tag("heavy")
class CompressR6HeavyTest {
    @TempDir
    Path tmp;

    private Table run(String variant, String methods) throws Exception {
        Path out = tmp.resolve(variant);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = CompressTest.run(new Compress(), err, "--variant=" + variant, "--methods=" + methods, "--out=" + out);
        assertEquals(0, rc, err.toString());
        return Table.readCsv(out.resolve("results.csv"));
    }

    @Test
    void reproducesTheR6Table() throws Exception {
        Table t = run("paper", "original,ntk-lc,naive-sparse");
        double[] acc = t.doubles("test_accuracy");
        // docs/theory.md §8.5 R6: original ≈ 0.99, naive 80 % sparse ≈ 0.99 (±0.02, docs/theory.md §8.5)
        assertEquals(0.99, acc[0], 0.02, "original");
        assertEquals(0.99, acc[4], 0.02, "naive sparse");
        // ε-insensitivity of NTK-LC (the paper's key qualitative claim): rows 1..3 are ε = 0, 0.5, 0.9;
        // a spread of 0.06 is three times the ±0.02 sampling noise of 1000 test points at p ≈ 0.75.
        double lo = Math.min(acc[1], Math.min(acc[2], acc[3]));
        double hi = Math.max(acc[1], Math.max(acc[2], acc[3]));
        assertTrue(hi - lo <= 0.06, "NTK-LC spread over ε: " + lo + " .. " + hi);
        assertTrue(hi < acc[0], "NTK-LC below the dense network (docs/theory.md §6.6)");
        // memory (docs/theory.md §8.5 R6): 32·Wtot = 32·(512·1024 + 1024² + 1024·512 + 2·512); NTK-LC 2(1−ε)·Wtot
        double wtot = 512 * 1024 + 1024 * 1024 + 1024 * 512 + 2 * 512;
        assertEquals(32 * wtot, t.doubles("memory_bits")[0], 1e-6);
        assertEquals(0.2 * wtot, t.doubles("memory_bits")[3], 1e-6);
    }

    @Test
    void tauMatchedClosesMostOfTheGap() throws Exception {
        // Our extension: measured 0.975–0.980 against 0.995 for the dense network (seed 1); the
        // property guarded is "within 0.05 of the dense network at every ε".
        Table dense = run("paper", "original");
        Table t = run("tau-matched", "ntk-lc");
        double original = dense.doubles("test_accuracy")[0];
        for (double a : t.doubles("test_accuracy")) {
            assertTrue(a >= original - 0.05, "tau-matched " + a + " vs dense " + original);
        }
    }
}
