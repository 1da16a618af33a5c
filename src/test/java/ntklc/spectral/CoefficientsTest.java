package ntklc.spectral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import ntklc.activation.Activation;
import ntklc.activation.Activations;
import ntklc.spectral.Coefficients.NtkRecursion;

/** The τ/α/β/κ recursions against docs/theory.md §4.3 and paper Tables 1–2, closed forms and identities. */
class CoefficientsTest {
    private static Coefficients three(String activation, double tau0, NtkRecursion r) {
        return Coefficients.compute(Collections.nCopies(3, Activations.parse(activation)), tau0, r);
    }

    /**
     * To the printed digits: within half a unit of the 4th decimal (5e−5), plus 1e−5 for τ0 itself
     * being printed to 4 decimals.
     */
    private static void assertPrinted(String activation, double tau0, double alpha1, double alpha2, double alpha3,
                                      double tau3) {
        assertThirdLayer(activation, tau0, alpha1, alpha2, alpha3, tau3, 6e-5);
    }

    /** To the 6 decimals the oracle script prints: half a unit of the 6th decimal plus its quadrature error. */
    private static void assertScript(String activation, double tau0, double alpha1, double alpha2, double alpha3,
                                     double tau3) {
        assertThirdLayer(activation, tau0, alpha1, alpha2, alpha3, tau3, 6e-7);
    }

    /** α1, α2, α3 and τ of layer 3 of three identical layers (recommended recursion), each within {@code tol}. */
    private static void assertThirdLayer(String activation, double tau0, double alpha1, double alpha2, double alpha3,
                                         double tau3, double tol) {
        Coefficients.Layer l = three(activation, tau0, NtkRecursion.RECOMMENDED).last();
        String what = activation + " tau0=" + tau0;
        assertEquals(alpha1, l.alpha1(), tol, what + " alpha1");
        assertEquals(alpha2, l.alpha2(), tol, what + " alpha2");
        assertEquals(alpha3, l.alpha3(), tol, what + " alpha3");
        assertEquals(tau3, l.tau(), tol, what + " tau3");
    }

    @Test
    void referenceAlphaTableIsReproduced() {
        // docs/theory.md §4.3, reference table of the α recursion (3 identical layers, layer 3), printed
        // to 6 decimals by src/test/resources/oracles/alpha_table.py: the same recursion on moments from
        // plain Simpson quadrature (a second implementation, not the Java closed forms). Tolerance: half
        // a unit of the 6th decimal plus the quadrature error (< 1e−9).
        assertScript("relu", 1.0021, 0.015625, 0.010456, 0.011250, 0.199410);
        assertScript("relu", 1.0693, 0.015625, 0.009183, 0.009880, 0.212782);
        assertScript("sin", 1.0021, 0.177862, 0, 0, 0.468882);
        assertScript("erf", 1.0693, 0.191191, 0, 0, 0.509992);
        assertScript("cos", 1.0693, 0, 0.000311, 0, 0.015003);
        assertScript("abs", 1.0693, 0, 0.018380, 0, 0.234229);
        assertScript("linear", 1.0693, 1, 0, 0, 1.0693);
        assertScript("sign", 1.0693, 0.225653, 0, 0, 1);
        // sign in closed form: α1 = (2/(πτ0²))·(2/π)² = 0.22565 at τ0 = 1.0693 (τ1 = τ2 = 1 since v = 1);
        // the paper's Table 2 prints 0.2256 (its Table 1 row is a copy of sin's, docs/theory.md §9 item 5).
        double alpha1 = 2 / (Math.PI * 1.0693 * 1.0693) * Math.pow(2 / Math.PI, 2);
        assertEquals(alpha1, three("sign", 1.0693, NtkRecursion.RECOMMENDED).last().alpha1(), 1e-14);
    }

    @Test
    void paperTablesOneAndTwoAreReproducedToThePrintedDigits() {
        // Paper App. B Tables 1 (MNIST, τ0 = 1.0021) and 2 (GMM var, τ0 = 1.0693), as listed in docs/theory.md §8.4,
        // except the row known to be wrong (docs/theory.md §9 item 5: "sign" of Table 1 is a copy of "sin").
        // Every other printed α1/α2/α3/τ3 is matched to its 4 decimals.
        assertPrinted("relu", 1.0021, 0.0156, 0.0105, 0.0112, 0.1994);
        assertPrinted("relu", 1.0693, 0.0156, 0.0092, 0.0099, 0.2128);
        // The paper's "leaky ReLU" is 0.1·max(t,0) + max(−t,0) (docs/theory.md §9 item 5) = plinear:-1:0.1.
        assertPrinted("plinear:-1:0.1", 1.0021, 0.0083, 0.0097, 0.0081, 0.1750);
        assertPrinted("plinear:-1:0.1", 1.0693, 0.0083, 0.0085, 0.0071, 0.1867);
        assertPrinted("step", 1.0021, 0.0642, 0, 0, 0.5);
        assertPrinted("step", 1.0693, 0.0564, 0, 0, 0.5);
        assertPrinted("sign", 1.0693, 0.2256, 0, 0, 1);
        assertPrinted("sigmoid", 1.0021, 0.0002, 0, 0, 0.0129);
        assertPrinted("sigmoid", 1.0693, 0.0002, 0, 0, 0.0135);
        assertPrinted("sin", 1.0021, 0.1779, 0, 0, 0.4689);
        assertPrinted("sin", 1.0693, 0.1512, 0, 0, 0.4729);
        assertPrinted("linear", 1.0021, 1, 0, 0, 1.0021);
        assertPrinted("linear", 1.0693, 1, 0, 0, 1.0693);
        assertPrinted("erf", 1.0021, 0.2166, 0, 0, 0.5053);
        assertPrinted("erf", 1.0693, 0.1912, 0, 0, 0.5100);
        assertPrinted("cos", 1.0021, 0, 0.0003, 0, 0.0116);
        assertPrinted("cos", 1.0693, 0, 0.0003, 0, 0.0150);
        assertPrinted("abs", 1.0021, 0, 0.0209, 0, 0.2195);
        assertPrinted("abs", 1.0693, 0, 0.0184, 0, 0.2342);
    }

    @Test
    void reluFirstLayerClosedForm() {
        // ReLU at τ0 = 1 (docs/theory.md §4.3): D1 = ¼, D2 = 1/(2π), D3 = 1 − 1/π, v = ½ − 1/(2π), q = ½.
        Coefficients c = three("relu", 1.0, NtkRecursion.RECOMMENDED);
        Coefficients.Layer l1 = c.layer(1);
        assertEquals(0.25, l1.alpha1(), 1e-15);
        assertEquals(0.25 / (2 * Math.PI), l1.alpha2(), 1e-15);      // ¼·D2·α_{0,4}²
        assertEquals(0.5 / (2 * Math.PI), l1.alpha3(), 1e-15);       // ½·D2·α_{0,1}²
        assertEquals(0.5 * (1 - 1 / Math.PI), l1.alpha4(), 1e-15);   // ½·D3·α_{0,4}
        assertEquals(Math.sqrt(0.5 - 0.5 / Math.PI), l1.tau(), 1e-15);
        assertEquals(0.25 + 0.25, l1.beta1(), 1e-15);                // α_{1,1} + D1·β_{0,1}
        assertEquals(l1.alpha3() + 1 / (2 * Math.PI), l1.beta3(), 1e-15);
        assertEquals(Math.sqrt(l1.tau() * l1.tau() + 0.5), l1.kappa(), 1e-15);
        assertEquals(3, c.depth());
        Coefficients.Layer l0 = c.layer(0);
        assertEquals(new Coefficients.Layer(0, 1.0, 1, 0, 0, 1, 1, 0, 0, 1.0), l0);
    }

    @Test
    void linearNetworkHasTheObviousKernels() {
        // A linear network keeps K_CK = XᵀX (α = (1,0,0,1), τ_ℓ = τ0), and its NTK is
        // K_NTK,ℓ = XᵀX + K_NTK,ℓ−1 = (ℓ+1)·XᵀX: β_ℓ1 = ℓ + 1, κ_ℓ² = (ℓ + 1)·τ0².
        Coefficients c = Coefficients.compute(Collections.nCopies(4, Activations.linear()), 1.3,
                NtkRecursion.RECOMMENDED);
        for (int l = 0; l <= 4; l++) {
            Coefficients.Layer layer = c.layer(l);
            assertEquals(1.0, layer.alpha1(), 1e-15);
            assertEquals(1.3, layer.tau(), 1e-15);
            assertEquals(l + 1.0, layer.beta1(), 1e-14);
            assertEquals(Math.sqrt(l + 1.0) * 1.3, layer.kappa(), 1e-14);
            assertEquals(0.0, layer.beta3(), 0.0);
        }
    }

    @Test
    void preprintAgreesAtLayerOneAndDiffersBeyond() {
        Coefficients rec = three("relu", 1.0, NtkRecursion.RECOMMENDED);
        Coefficients pre = three("relu", 1.0, NtkRecursion.PREPRINT);
        // Same α and τ (the CK does not depend on the NTK version).
        for (int l = 0; l <= 3; l++) {
            assertEquals(rec.layer(l).alpha2(), pre.layer(l).alpha2(), 0.0);
            assertEquals(rec.layer(l).tau(), pre.layer(l).tau(), 0.0);
        }
        // Layer 1: β3 = α3 + D2 in both; β1 differs (preprint drops D1·β_{0,1}).
        assertEquals(rec.layer(1).beta3(), pre.layer(1).beta3(), 1e-15);
        assertEquals(pre.layer(1).alpha1(), pre.layer(1).beta1(), 0.0);
        // Preprint κ_1² = τ1² + τ0²·q_0 with q_0 = 1; recommended uses q_1 = ½.
        assertEquals(Math.sqrt(rec.layer(1).tau() * rec.layer(1).tau() + 1.0), pre.layer(1).kappa(), 1e-15);
        assertTrue(Math.abs(rec.layer(3).beta1() - pre.layer(3).beta1()) > 0.01);
    }

    @Test
    void kappaIsUndefinedAfterAStep() {
        List<Activation> chain = List.of(Activations.relu(), Activations.binaryZero(0.99953, 2.21253, 2.40874),
                Activations.relu());
        Coefficients rec = Coefficients.compute(chain, 1.0, NtkRecursion.RECOMMENDED);
        assertTrue(Double.isFinite(rec.layer(1).kappa()));
        assertTrue(Double.isNaN(rec.layer(2).kappa()));
        assertTrue(Double.isNaN(rec.layer(3).kappa()));
        assertTrue(Double.isFinite(rec.layer(3).beta3()));
        // The preprint's index shift makes κ undefined one layer later.
        Coefficients pre = Coefficients.compute(chain, 1.0, NtkRecursion.PREPRINT);
        assertTrue(Double.isFinite(pre.layer(2).kappa()));
        assertTrue(Double.isNaN(pre.layer(3).kappa()));
        // σ_T at its docs/theory.md §6.5 solution matches ReLU's layer-1 α's (that is what it was solved for).
        Coefficients relu = three("relu", 1.0, NtkRecursion.RECOMMENDED);
        Coefficients mixed = Coefficients.compute(List.of(chain.get(1)), 1.0, NtkRecursion.RECOMMENDED);
        assertEquals(relu.layer(1).alpha1(), mixed.layer(1).alpha1(), 1e-5);
        assertEquals(relu.layer(1).alpha3(), mixed.layer(1).alpha3(), 1e-5);
        assertEquals(relu.layer(1).alpha4(), mixed.layer(1).alpha4(), 1e-5);
        assertThrows(IllegalArgumentException.class, () -> three("relu", 0.0, NtkRecursion.RECOMMENDED));
    }
}
