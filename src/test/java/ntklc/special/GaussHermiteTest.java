package ntklc.special;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Gauss–Hermite rules against closed-form small rules, Gaussian moments and a characteristic function. */
class GaussHermiteTest {
    @Test
    void smallRulesAreTheTextbookOnes() {
        // n = 2: He_2 = x² − 1 → nodes ±1, weights ½ each. n = 3: He_3 = x³ − 3x → 0, ±√3 with
        // weights 2/3, 1/6, 1/6 (solve the moment equations E[1] = 1, E[ξ²] = 1).
        GaussHermite two = GaussHermite.of(2);
        assertEquals(-1.0, two.nodes()[0], 1e-15);
        assertEquals(1.0, two.nodes()[1], 1e-15);
        assertEquals(0.5, two.weights()[0], 1e-15);
        GaussHermite three = GaussHermite.of(3);
        assertEquals(-Math.sqrt(3), three.nodes()[0], 1e-15);
        assertEquals(0.0, three.nodes()[1], 0.0);
        assertEquals(2.0 / 3, three.weights()[1], 1e-15);
        assertEquals(1.0 / 6, three.weights()[2], 1e-15);
    }

    @Test
    void evenMomentsAreExactUpToDegree2nMinus1() {
        // E[ξ^{2k}] = (2k − 1)!! (Gaussian moments); the n-point rule is exact for degree ≤ 2n − 1.
        for (int n : new int[] {5, 20, 101}) {
            GaussHermite rule = GaussHermite.of(n);
            double doubleFactorial = 1;
            for (int k = 1; 2 * k <= Math.min(2 * n - 1, 40); k++) {
                doubleFactorial *= 2 * k - 1;
                int power = 2 * k;
                double got = rule.expectation(x -> Math.pow(x, power));
                assertEquals(1.0, got / doubleFactorial, 1e-12, "n=" + n + " E[xi^" + power + "]");
            }
            assertEquals(0.0, rule.expectation(x -> x * x * x), 1e-13);
        }
    }

    @Test
    void largeRulesAreValidAndIntegrateCosine() {
        // E[cos(aξ)] = e^{−a²/2} (characteristic function of N(0,1)); Σw = 1; nodes symmetric and increasing.
        for (int n : new int[] {100, 150, GaussHermite.MAX_NODES}) {
            GaussHermite rule = GaussHermite.of(n);
            double[] x = rule.nodes();
            double[] w = rule.weights();
            double sum = 0;
            for (int i = 0; i < n; i++) {
                assertTrue(w[i] > 0 && Double.isFinite(w[i]));
                assertEquals(-x[n - 1 - i], x[i], 0.0);
                if (i > 0) {
                    assertTrue(x[i] > x[i - 1]);
                }
                sum += w[i];
            }
            assertEquals(1.0, sum, 1e-14);
            for (double a : new double[] {0.5, 1, 3}) {
                assertEquals(Math.exp(-a * a / 2), rule.expectation(t -> Math.cos(a * t)), 1e-14, "n=" + n + " a=" + a);
            }
        }
        // Second implementation: numpy.polynomial.hermite.hermgauss(100) (physicists', nodes/√2 of
        // ours) has largest node 13.406487338144911; hermite_e.hermegauss(20), weights divided by
        // their sum √(2π), has node 12 = 1.7452473208141268, weight 0.06150637206397696, and
        // largest node 7.619048541679758 with weight 1.2578006724379264e−13.
        assertEquals(13.406487338144911, GaussHermite.of(100).nodes()[99] / Math.sqrt(2), 1e-13);
        GaussHermite twenty = GaussHermite.of(20);
        assertEquals(1.7452473208141268, twenty.nodes()[12], 1e-14);
        assertEquals(0.06150637206397696, twenty.weights()[12], 1e-16);
        assertEquals(7.619048541679758, twenty.nodes()[19], 1e-14);
        assertEquals(1.0, twenty.weights()[19] / 1.2578006724379264e-13, 1e-12);
        assertThrows(IllegalArgumentException.class, () -> GaussHermite.of(0));
        assertThrows(IllegalArgumentException.class, () -> GaussHermite.of(GaussHermite.MAX_NODES + 1));
    }
}
