package ntklc.compression;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NormalTest {
    @Test
    void cdfMatchesTabulatedValues() {
        // Reference values: Abramowitz & Stegun Table 26.1 / 7.1, to 16 digits as given by
        // scipy.stats.norm.cdf and scipy.special.erfc.
        assertEquals(0.5, Normal.cdf(0), 1e-16);
        assertEquals(0.8413447460685429, Normal.cdf(1), 2e-16);
        assertEquals(0.9772498680518208, Normal.cdf(2), 2e-16);
        assertEquals(0.15865525393145707, Normal.cdf(-1), 2e-16);
        assertEquals(0.0013498980316301, Normal.cdf(-3) , 1e-16);
        assertEquals(2.866515718791939e-07, Normal.cdf(-5), 1e-20);
        assertEquals(2.209049699858544e-05, Normal.erfc(3), 1e-19);
        assertEquals(1 - 0.5204998778130465, Normal.erfc(0.5), 2e-16);
        assertEquals(0.033894853524689273, Normal.erfc(1.5), 1e-17);
    }

    @Test
    void seriesAndContinuedFractionAgreeAtTheSwitch() {
        // Property: erfc is continuous; the two methods meet at z = 1.5.
        double below = Normal.erfc(Math.nextDown(1.5));
        double above = Normal.erfc(1.5);
        assertEquals(above, below, 1e-13 * above);
    }
}
