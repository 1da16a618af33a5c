package ntklc.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

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
}
