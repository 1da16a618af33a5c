package ntklc.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ntklc.report.Comparison;
import ntklc.report.Table;
import ntklc.spectral.SpectralComparison;

/** The tolerance formulas of {@link ReportArtefacts}, each against a hand computation, and the artefact list. */
class ReportArtefactsTest {
    @Test
    void accuracyToleranceIsThreeBinomialStandardErrorsAndAtLeastTwoPoints() {
        // a = 0.75 on 1000 and 8000 test points: 3·√(0.1875·(1/1000 + 1/8000)) = 3·√2.109375e−4 = 0.043571...
        assertEquals(0.0435710, ReportArtefacts.accuracyTolerance(0.75, 1000, 8000), 1e-6);
        // a = 0.99 on 8000 and 8000: 3·√(0.0099·2/8000) = 0.004720 < 0.02, so the floor applies.
        assertEquals(0.02, ReportArtefacts.accuracyTolerance(0.99, 8000, 8000), 0);
    }

    @Test
    void memoryToleranceIsHalfAUnitOfTheSecondSignificantDigit() {
        // 1.15e6: unit of the second digit 1e5, half of it 5e4, relative 5e4/1.15e6 = 0.043478...
        assertEquals(5e4 / 1.15e6, ReportArtefacts.memoryTolerance(1.15e6), 1e-15);
        // 9.6e4: 0.05e4 / 9.6e4
        assertEquals(500 / 9.6e4, ReportArtefacts.memoryTolerance(9.6e4), 1e-15);
    }

    @Test
    void spectralToleranceAddsTheEquivalenceAndMonteCarloTerms() {
        // n = 400, effective rank 20, m = 10 draws × 500: 0.12 + 2√(20/5000) + 20/5000 = 0.12 + 0.126491 + 0.004
        assertEquals(0.12 + 2 * Math.sqrt(0.004) + 0.004, ReportArtefacts.spectralTolerance(400, 20, 5000), 1e-12);
        // n = 1600, many draws: the equivalence term halves (n^−1/2) and the Monte-Carlo term vanishes.
        assertEquals(0.06, ReportArtefacts.spectralTolerance(1600, 20, 1e12), 1e-5);
        // K ∝ I (effective rank n): the Marchenko–Pastur edge 2√(n/m) + n/m.
        assertEquals(0.12 + 2 * Math.sqrt(0.08) + 0.08, ReportArtefacts.spectralTolerance(400, 400, 5000), 1e-12);
    }

    @Test
    void isolatedEigenvaluesAreThoseBeyondAGap() {
        // Two spikes (9, 7) over a bulk 1.0 ... 0.1: gaps 2, 6, 0.1, ...; with gap = 0.5 both are isolated.
        double[] spectrum = {9, 7, 1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1};
        assertEquals(2, SpectralComparison.isolatedCount(spectrum, 0.5));
        // With a gap wider than 2 only the jump 7 → 1 counts, which still isolates both spikes.
        assertEquals(2, SpectralComparison.isolatedCount(spectrum, 3));
        // Wider than every gap: no spike.
        assertEquals(0, SpectralComparison.isolatedCount(spectrum, 6));
        assertThrows(IllegalArgumentException.class, () -> SpectralComparison.isolatedCount(new double[] {1, 2}, 0.1));
    }

    @Test
    void everyScaleHasTheNineArtefactsInOrder() {
        for (ReportArtefacts.Scale s : ReportArtefacts.Scale.values()) {
            List<String> names = ReportArtefacts.all(s, "").stream().map(ReportArtefacts.Artefact::name).toList();
            assertEquals(List.of("fig2-left", "fig2-right", "ntk-spectrum", "fig3-mnist", "fig3-cifar10", "fig4-6v8",
                    "fig4-0to4", "table1", "table2"), names, s.word());
        }
    }

    @Test
    void everyReducedArtefactSaysSoAndThePaperScaleDoesNotReduceTheFigures() {
        for (ReportArtefacts.Artefact a : ReportArtefacts.all(ReportArtefacts.Scale.QUICK, "")) {
            assertEquals(true, a.reduced().startsWith("quick scale"), a.name() + ": " + a.reduced());
        }
        for (ReportArtefacts.Artefact a : ReportArtefacts.all(ReportArtefacts.Scale.PAPER, "")) {
            if (a.name().equals("table1")) {
                // the one reduction the paper's sizes force: MNIST's training split has 5851 eights
                assertEquals(true, a.reduced().startsWith("5851 train per class (paper 6000"), a.reduced());
            } else if (!a.name().equals("ntk-spectrum")) {
                assertEquals("", a.reduced(), a.name());
            }
        }
    }

    /**
     * A spectrum sub-run folder with the given eigenvalues of K̃ (K's are the same but 5 % larger at
     * the top) and the summary metrics {@code compare} reads.
     */
    private static Path spectrumFolder(Path dir, double top2Ktilde) throws IOException {
        int n = 400;
        double[] k = new double[n];
        double[] kt = new double[n];
        for (int i = 0; i < n; i++) {
            kt[i] = i == 0 ? 10 : i == 1 ? top2Ktilde : 0.01;
            k[i] = i == 0 ? 10.5 : kt[i];
        }
        Path run = dir.resolve("spectrum");
        Files.createDirectories(run);
        Table eig = new Table("index", "K", "Ktilde");
        for (int i = 0; i < n; i++) {
            eig.add(i, k[i], kt[i]);
        }
        Table summary = new Table("metric", "value")
                .add("norm_K", 10.5).add("rel_error", 0.1).add("top1_K", 10.5).add("top1_Ktilde", 10.0)
                .add("top2_Ktilde", top2Ktilde).add("overlap1", 0.47);
        Table hist = new Table("bin_lo", "bin_hi").add(0.0, 0.21);
        for (var e : Map.of("eigenvalues.csv", eig, "summary.csv", summary, "histogram.csv", hist).entrySet()) {
            try (OutputStream out = Files.newOutputStream(run.resolve(e.getKey()))) {
                e.getValue().writeCsv(out);
            }
        }
        return dir;
    }

    @Test
    void theEigenvectorOverlapIsComparedOnlyWhereTheDavisKahanBoundCanFail(@TempDir
                                                                               Path tmp) throws Exception {
        var artefact = new ReportArtefacts.SpectrumArtefact("t", "title", "", List.of(new ReportArtefacts.SpectrumRun(
                "spectrum", "", 400, 400, new int[] {1000, 1000, 500}, 10, List.of())));
        // tolerance (spectralTolerance): 0.12 + 2·sqrt(r/m) + r/m = 0.156 with r = tr K/‖K‖ = (10.5 + 2 + 3.98)/10.5
        // and m = 10·500; the bound sin θ = 2·tol·‖K‖/(λ1 − λ2) of K̃ is then about 0.41 for a gap of 8
        List<Comparison> wide = artefact.compare(spectrumFolder(tmp.resolve("wide"), 2.0));
        assertEquals(1, wide.stream().filter(r -> r.metric().equals("overlap1")).count());
        Comparison overlap = wide.stream().filter(r -> r.metric().equals("overlap1")).findFirst().get();
        assertEquals("deviates", overlap.verdict().word(), "0.47 is far outside 1 − cos θ for sin θ ≈ 0.41");
        // a gap of 0.5: the bound exceeds 1 and allows any overlap, so there is no row to pass
        List<Comparison> narrow = artefact.compare(spectrumFolder(tmp.resolve("narrow"), 9.5));
        assertEquals(0, narrow.stream().filter(r -> r.metric().equals("overlap1")).count());
        Comparison rel = narrow.stream().filter(r -> r.metric().equals("rel_error")).findFirst().get();
        assertTrue(rel.note().contains("overlap |⟨u1, ũ1⟩| = 0.4700 is not compared"), rel.note());
    }
}
