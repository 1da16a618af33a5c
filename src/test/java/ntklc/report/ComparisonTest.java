package ntklc.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The verdict rule of a report row: reproduced when |deviation| ≤ tolerance (the boundary
 * included), deviates beyond it on either side, not-run when nothing was measured.
 */
class ComparisonTest {
    private static Comparison.Verdict verdict(double measured, double deviation, double tolerance) {
        return Comparison.compare("a", "i", "m", 0.5, measured, deviation, tolerance, "").verdict();
    }

    @Test
    void withinToleranceOnEitherSideIsReproduced() {
        assertEquals(Comparison.Verdict.REPRODUCED, verdict(0.51, 0.01, 0.02));
        assertEquals(Comparison.Verdict.REPRODUCED, verdict(0.49, -0.01, 0.02));
        assertEquals(Comparison.Verdict.REPRODUCED, verdict(0.5, 0, 0));
    }

    @Test
    void theBoundaryCountsAsReproduced() {
        // 0.25 and 0.5 are exact in binary, so |deviation| == tolerance exactly.
        assertEquals(Comparison.Verdict.REPRODUCED, verdict(0.75, 0.25, 0.25));
        assertEquals(Comparison.Verdict.REPRODUCED, verdict(0.25, -0.25, 0.25));
    }

    @Test
    void beyondToleranceOnEitherSideDeviates() {
        assertEquals(Comparison.Verdict.DEVIATES, verdict(0.53, 0.03, 0.02));
        assertEquals(Comparison.Verdict.DEVIATES, verdict(0.47, -0.03, 0.02));
        assertEquals(Comparison.Verdict.DEVIATES, verdict(0.5, Math.nextUp(0.25), 0.25));
        // A count with tolerance 0 deviates by one.
        assertEquals(Comparison.Verdict.DEVIATES, verdict(2, 1, 0));
    }

    @Test
    void nothingMeasuredIsNotRun() {
        assertEquals(Comparison.Verdict.NOT_RUN, verdict(Double.NaN, Double.NaN, 0.02));
        assertEquals(Comparison.Verdict.NOT_RUN, verdict(0.5, Double.NaN, 0.02));
        assertEquals(Comparison.Verdict.NOT_RUN, Comparison.notRun("a", "i", "m", 0.5, 0.02, "why").verdict());
    }

    @Test
    void aToleranceMustBeANonNegativeNumber() {
        assertThrows(IllegalArgumentException.class, () -> verdict(0.5, 0, -0.01));
        assertThrows(IllegalArgumentException.class, () -> verdict(0.5, 0, Double.NaN));
    }

    @Test
    void rowsSurviveTheCsvRoundTrip() {
        // A resumed report reads the rows of finished artefacts back: they must come back equal,
        // full precision included (Double.toString round-trips every double).
        List<Comparison> rows = List.of(
                Comparison.compare("fig3-mnist", "ntk-lc ε=0.9 1500,1500,1500", "test_accuracy", 0.751, 0.7425,
                        0.7425 - 0.751, 0.02, "note, with a comma and \"quotes\""),
                Comparison.compare("fig2-left", "K vs K̃", "rel_error", 0, 0.1 / 3, 0.1 / 3, 0.4, ""),
                Comparison.notRun("fig3-cifar10", "all", "", Double.NaN, 0, "needs --features"));
        assertEquals(rows, Comparison.fromTable(roundTrip(Comparison.table(rows))));
    }

    private static Table roundTrip(Table t) {
        try {
            java.nio.file.Path f = java.nio.file.Files.createTempFile("comparison", ".csv");
            try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(f)) {
                t.writeCsv(out);
            }
            Table back = Table.readCsv(f);
            java.nio.file.Files.delete(f);
            return back;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
