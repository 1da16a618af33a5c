package ntklc.special;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** erf, erfc, φ and Φ against 50-digit mpmath values and exact identities. */
class ErfTest {
    /** Relative error |got − want|/|want|. */
    private static double rel(double got, double want) {
        return Math.abs(got - want) / Math.abs(want);
    }

    // Reference: src/test/resources/ntklc/special/golden_special.py (mpmath, 50 digits), covering
    // Cody's three regions (|x| ≤ 0.46875, ≤ 4, > 4) and both sides of each boundary.
    private static final double[][] ERF_ERFC = {
        {0.1, 0.1124629160182848922, 0.8875370839817151078},
        {0.3, 0.32862675945912742764, 0.67137324054087257236},
        {0.46875, 0.49261347321793799159, 0.50738652678206200841},
        {0.5, 0.52049987781304653768, 0.47950012218695346232},
        {1, 0.84270079294971486934, 0.15729920705028513066},
        {2, 0.99532226501895273416, 0.0046777349810472658379},
        {3.5, 0.99999925690162765859, 7.4309837234141274552e-7},
        {4, 0.99999998458274209972, 1.5417257900280018852e-8},
        {4.5, 0.99999999980338395585, 1.9661604415428874763e-10},
        {6, 0.99999999999999997848, 2.1519736712498913117e-17},
        {10, 1.0, 2.088487583762544757e-45},
        {26, 1.0, 5.6631924088561428465e-296},
    };

    @Test
    void erfAndErfcMatchMpmathToAFewUlps() {
        for (double[] row : ERF_ERFC) {
            double x = row[0];
            assertTrue(rel(Erf.erf(x), row[1]) < 1e-15, "erf(" + x + ") = " + Erf.erf(x));
            // erfc keeps its relative accuracy down to 1e−296.
            assertTrue(rel(Erf.erfc(x), row[2]) < 2e-15, "erfc(" + x + ") = " + Erf.erfc(x));
        }
    }

    @Test
    void symmetryAndComplementIdentities() {
        // erf is odd; erfc(−x) = 2 − erfc(x); erf + erfc = 1 (identities).
        for (double x = -7; x <= 7; x += 0.0625 * Math.PI) {
            assertEquals(-Erf.erf(x), Erf.erf(-x), 0.0);
            assertEquals(2.0 - Erf.erfc(x), Erf.erfc(-x), 4e-16);
            assertEquals(1.0, Erf.erf(x) + Erf.erfc(x), 4e-16);
        }
        assertEquals(0.0, Erf.erf(0.0), 0.0);
        assertEquals(1.0, Erf.erf(Double.POSITIVE_INFINITY), 0.0);
        assertEquals(0.0, Erf.erfc(Double.POSITIVE_INFINITY), 0.0);
        assertTrue(Double.isNaN(Erf.erf(Double.NaN)));
    }

    @Test
    void derivativeIsTheGaussianKernel() {
        // d/dx erf(x) = (2/√π) e^{−x²} (definition), by a central difference with h = 1e−5
        // (truncation ≈ h²·|erf'''|/6 ≈ 2e−11, rounding ≈ 1e−16/h = 1e−11).
        for (double x = -3; x <= 3; x += 0.37) {
            double h = 1e-5;
            double fd = (Erf.erf(x + h) - Erf.erf(x - h)) / (2 * h);
            assertEquals(2 / Math.sqrt(Math.PI) * Math.exp(-x * x), fd, 1e-10);
        }
    }

    @Test
    void normalCdfMatchesMpmathInBothTails() {
        // mpmath ncdf (golden_special.py). Left tail: relative error grows like x²·ε (rounding of x/√2).
        double[][] phi = {
            {-37, 5.7255712225245768227e-300, 1e-13},
            {-10, 7.619853024160526066e-24, 2e-14},
            {-5, 2.8665157187919391167e-7, 4e-15},
            {-1.5, 0.066807201268858066004, 2e-15},
            {0.25, 0.59870632568292372424, 1e-15},
            {1, 0.84134474606854294859, 1e-15},
            {3, 0.99865010196836990547, 1e-15},
            {8, 0.9999999999999993779, 1e-15},
        };
        for (double[] row : phi) {
            assertTrue(rel(Gaussian.cdf(row[0]), row[1]) < row[2], "Phi(" + row[0] + ") = " + Gaussian.cdf(row[0]));
            assertTrue(rel(Gaussian.ccdf(-row[0]), row[1]) < row[2], "1-Phi(" + -row[0] + ")");
        }
        // Φ(0) = 1/2 and φ(0) = 1/√(2π) exactly.
        assertEquals(0.5, Gaussian.cdf(0), 0.0);
        assertEquals(1 / Math.sqrt(2 * Math.PI), Gaussian.pdf(0), 1e-17);
        // Φ(x) + Φ(−x) = 1.
        for (double x = 0; x < 8; x += 0.3) {
            assertEquals(1.0, Gaussian.cdf(x) + Gaussian.cdf(-x), 3e-16);
        }
    }
}
