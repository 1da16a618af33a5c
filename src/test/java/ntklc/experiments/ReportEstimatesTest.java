package ntklc.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The work counts of {@link ReportEstimates}, each against a hand count of the multiply-adds. */
class ReportEstimatesTest {
    private static final ReportEstimates.Rates UNIT = new ReportEstimates.Rates(1, 1, "unit");

    @Test
    void workAddsScalesAndDividesByTheRates() {
        ReportEstimates.Work w = new ReportEstimates.Work(6e9, 2e9, 3).plus(new ReportEstimates.Work(4e9, 0, 1)).times(2);
        // (6e9 + 4e9)·2 = 2e10 single, 4e9 double, 8 s fixed: at 10 and 2 GMAC/s, 2 + 2 + 8 seconds.
        assertEquals(12, w.seconds(new ReportEstimates.Rates(10e9, 2e9, "test")), 1e-12);
    }

    @Test
    void forwardMultiplyAddsAreTheSumOfTheLayerProducts() {
        // p = 784, widths 1500³: 784·1500 + 1500·1500 + 1500·1500 = 1 176 000 + 4 500 000
        assertEquals(5_676_000, ReportEstimates.perSample(784, new int[] {1500, 1500, 1500}), 0);
    }

    @Test
    void monteCarloDrawsCountTheForwardPassAndTheGrams() {
        int n = 10;
        int p = 20;
        int[] w = {30, 40};
        double forward = n * (20.0 * 30 + 30 * 40); // 18 000
        double once = n * n * p + 2 * ReportEstimates.EIGEN * n * n * n; // the Gram XXᵀ and two decompositions
        // CK: forward plus the Gram of the last layer n²·d_L = 4000, per draw, in single precision.
        ReportEstimates.Work ck = ReportEstimates.spectrum(n, p, w, 3, false, false);
        assertEquals(3 * (forward + n * n * 40.0) / ReportEstimates.CK_DRAW, ck.sgemmMacs(), 1e-6);
        assertEquals(once, ck.dgemmMacs(), 1e-6);
        // NTK: forward 18 000, backward n·d_1·d_2 = 12 000, Grams n²·(2·(30 + 40) + 20) = 16 000, in double.
        ReportEstimates.Work ntk = ReportEstimates.spectrum(n, p, w, 2, true, false);
        assertEquals(0, ntk.sgemmMacs(), 0);
        assertEquals(2 * (forward + 12_000 + 16_000) / ReportEstimates.NTK_DRAW + once, ntk.dgemmMacs(), 1e-6);
        // A run that starts from another run's draws (draws = 0) costs only the Gram and the eigensolver.
        assertEquals(once, ReportEstimates.spectrum(n, p, w, 0, true, false).dgemmMacs(), 1e-6);
        // CK with the first layer drawn as L·G (n = 10 < p = 20): n·d_1 = 300 instead of p·d_1 = 600 per sample,
        // and the Cholesky factor n³/3 once.
        ReportEstimates.Work byFactor = ReportEstimates.spectrum(n, p, w, 3, false, true);
        assertEquals(3 * (forward - n * (20.0 - 10) * 30 + n * n * 40.0) / ReportEstimates.CK_DRAW, byFactor.sgemmMacs(),
                1e-6);
        assertEquals(once + n * n * n / 3.0, byFactor.dgemmMacs(), 1e-6);
    }

    @Test
    void compressCountsForwardPassesAndReadoutFeatureReads() {
        List<int[]> sets = List.of(new int[] {100, 100, 50});
        // 2 classes × (10 + 5) samples, p = 784, 3 epochs: dense forward 30·(78 400 + 10 000 + 5 000)
        // = 2 802 000 multiply-adds; the readout reads 3 epochs · 20 training samples · 50 features = 3000.
        double forward = 30 * (78_400.0 + 10_000 + 5_000) / ReportEstimates.DENSE_FORWARD;
        double reads = 3 * 20 * 50;
        ReportEstimates.Work dense = ReportEstimates.compress(sets, 784, 2, 10, 5, 3, 2, new double[0], 0);
        assertEquals(2 * (forward + reads * ReportEstimates.SOFTMAX_DENSE), dense.sgemmMacs(), 1e-6);
        // Packed at ε = 0: first layer 784·100 at PACKED_FIRST_EPS0, hidden 15 000 at PACKED_HIDDEN_EPS0.
        double packed0 = 30 * (ReportEstimates.PACKED_FIRST_EPS0 * 78_400 + ReportEstimates.PACKED_HIDDEN_EPS0 * 15_000)
                / ReportEstimates.DENSE_FORWARD;
        double packed9 = 30 * (ReportEstimates.PACKED_FIRST_EPS09 * 78_400 + ReportEstimates.PACKED_HIDDEN_EPS09 * 15_000)
                / ReportEstimates.DENSE_FORWARD;
        ReportEstimates.Work packed = ReportEstimates.compress(sets, 784, 2, 10, 5, 3, 0, new double[] {0, 0.9}, 7);
        assertEquals(packed0 + packed9 + 2 * reads * ReportEstimates.SOFTMAX_PACKED, packed.sgemmMacs(), 1e-6);
        assertEquals(ReportEstimates.OVERHEAD + 7, packed.seconds(new ReportEstimates.Rates(
                Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, "infinite")), 1e-12);
        // Linear in ε between the two measured points: ε = 0.45 is their mean.
        assertEquals((ReportEstimates.packedPass(784, new int[] {100, 100, 50}, 0)
                + ReportEstimates.packedPass(784, new int[] {100, 100, 50}, 0.9)) / 2,
                ReportEstimates.packedPass(784, new int[] {100, 100, 50}, 0.45), 1e-9);
    }

    @Test
    void theSecondNtkRecursionReusesTheFirstsDraws() {
        for (ReportArtefacts.Artefact a : ReportArtefacts.all(ReportArtefacts.Scale.PAPER, "")) {
            if (a.name().equals("ntk-spectrum")) {
                ReportArtefacts.SubRun first = a.runs().get(0);
                ReportArtefacts.SubRun second = a.runs().get(1);
                assertEquals("", first.reuses());
                assertEquals(first.folder(), second.reuses());
                assertTrue(second.work().seconds(UNIT) < first.work().seconds(UNIT) / 50,
                        "the reusing run draws nothing: " + second.work() + " vs " + first.work());
            }
        }
    }

    @Test
    void measuredRatesArePositiveAndSaySo() {
        ReportEstimates.Rates r = ReportEstimates.Rates.measure();
        assertTrue(r.sgemm() > 1e7 && Double.isFinite(r.sgemm()), "SGEMM " + r.sgemm());
        assertTrue(r.dgemm() > 1e6 && Double.isFinite(r.dgemm()), "DGEMM " + r.dgemm());
        assertTrue(ReportEstimates.basis(r).contains("measured now on "), ReportEstimates.basis(r));
    }
}
