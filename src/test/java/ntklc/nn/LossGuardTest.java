package ntklc.nn;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The divergence rule of {@link LossGuard}: not finite, or above {@code FACTOR · max(first, FLOOR)}.
 * Expected values follow from the rule's definition with FACTOR = 1e6 and FLOOR = 1.
 */
class LossGuardTest {
    @Test
    void nonFiniteLossesDiverge() {
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            LossGuard g = new LossGuard();
            assertThrows(DivergedLossException.class, () -> g.check(1, 1, bad), "first loss " + bad);
            LossGuard h = new LossGuard();
            h.check(1, 1, 2.0);
            assertThrows(DivergedLossException.class, () -> h.check(1, 2, bad), "later loss " + bad);
        }
    }

    @Test
    void aLossAboveAMillionTimesTheFirstDiverges() {
        LossGuard g = new LossGuard();
        g.check(1, 1, 2.0);
        assertDoesNotThrow(() -> g.check(1, 2, 2.0e6)); // exactly the bound: allowed
        assertDoesNotThrow(() -> g.check(1, 3, 1e-9)); // a falling loss never moves the reference
        DivergedLossException e = assertThrows(DivergedLossException.class, () -> g.check(3, 7, 2.1e6));
        assertEquals(3, e.epoch());
        assertEquals(7, e.batch());
        assertEquals(2.1e6, e.loss());
    }

    @Test
    void aTinyFirstLossIsFlooredAtOneNat() {
        LossGuard g = new LossGuard();
        g.check(1, 1, 1e-3);
        assertDoesNotThrow(() -> g.check(1, 2, 5e5)); // 5e8 × the first, below 1e6 × 1 nat
        assertThrows(DivergedLossException.class, () -> g.check(1, 3, 1.5e6));
    }
}
