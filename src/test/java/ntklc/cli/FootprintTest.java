package ntklc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The preflight arithmetic: sums by hand, saturation instead of overflow, and the two refusals. */
class FootprintTest {
    private static final long GIB = 1L << 30;

    @Test
    void bytesAreTheSumOfCountTimesElementsTimesWidth() {
        Footprint f = Footprint.none().doubles("K", 7, 1000, 1000, "a smaller --n").floats("X", 2, 1000, 300, "--p")
                .several("rest", 12345, "-Xmx");
        // 7·10⁶·8 + 2·3·10⁵·4 + 12 345, by hand
        assertEquals(56_000_000L + 2_400_000L + 12_345L, f.bytes());
        f.check("cmd", f.bytes()); // exactly enough: accepted
    }

    @Test
    void productsSaturateInsteadOfOverflowing() {
        assertEquals(Long.MAX_VALUE, Footprint.times(1L << 32, 1L << 32));
        assertEquals(Long.MAX_VALUE, Footprint.plus(Long.MAX_VALUE - 1, 2));
        assertEquals(6, Footprint.times(2, 3));
        Footprint huge = Footprint.none().doubles("K", 7, Integer.MAX_VALUE, Integer.MAX_VALUE, "a smaller --n");
        assertEquals(Long.MAX_VALUE, huge.bytes());
    }

    @Test
    void oneArrayOverTheJavaLimitIsRefusedWhateverTheHeap() {
        long n = 46_341; // n² = 2 147 488 281 > 2^31 − 9
        UserError e = assertThrows(UserError.class, () -> Footprint.none().doubles("K (n×n)", 1, n, n, "a smaller --n")
                .check("spectrum", Long.MAX_VALUE));
        assertTrue(e.getMessage().startsWith("spectrum: K (n×n) would need one array of 2.15e+09 elements"), e.getMessage());
        assertTrue(e.getMessage().contains("use a smaller --n"), e.getMessage());
        Footprint.none().doubles("K (n×n)", 1, 46_340, 46_340, "a smaller --n").check("spectrum", Long.MAX_VALUE);
        // Several arrays together may exceed the per-array limit.
        Footprint.none().several("all weights", 3 * Footprint.MAX_ARRAY_ELEMENTS, "-Xmx").check("x", Long.MAX_VALUE);
    }

    @Test
    void aTotalOverTheHeapNamesNeedAvailableLargestPartAndRemedy() {
        Footprint f = Footprint.none().doubles("K and K̃ (n×n)", 7, 20_000, 20_000, "a smaller --n")
                .floats("X", 1, 20_000, 800, "--p");
        UserError e = assertThrows(UserError.class, () -> f.check("spectrum", 2 * GIB));
        String m = e.getMessage();
        // 7·4·10⁸·8 B = 20.9 GiB, plus 61 MiB of X
        assertTrue(m.startsWith("spectrum: needs about 21 GiB of memory (largest part: K and K̃ (n×n), 21 GiB)"), m);
        assertTrue(m.contains("the Java heap may grow to 2.0 GiB"), m);
        assertTrue(m.contains("java -Xmx27g") && m.endsWith("use a smaller --n"), m);
    }
}
