package ntklc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The range-checked getters: boundaries by their definitions, errors naming the option. */
class ParsedOptionsTest {
    private static ParsedOptions parse(String... args) {
        return new OptionSpec().add("k", "1", "an integer").add("x", "0.5", "a number").parse("cmd", args);
    }

    @Test
    void boundariesAreWhereTheNamesSay() {
        assertEquals(1, parse("--k=1").getPositiveInt("k"));
        assertEquals(0, parse("--k=0").getNonNegativeInt("k"));
        assertEquals(0.0, parse("--x=0").getUnitInterval("x"));
        assertEquals(0.0, parse("--x=0").getNonNegativeDouble("x"));
        assertEquals(1e-300, parse("--x=1e-300").getPositiveDouble("x"));
    }

    @Test
    void valuesOutsideTheRangeAreUserErrorsNamingTheOption() {
        UserError e = assertThrows(UserError.class, () -> parse("--k=0").getPositiveInt("k"));
        assertEquals("cmd: --k=0 is not a positive integer", e.getMessage());
        assertThrows(UserError.class, () -> parse("--k=-1").getNonNegativeInt("k"));
        assertThrows(UserError.class, () -> parse("--x=0").getPositiveDouble("x"));
        assertThrows(UserError.class, () -> parse("--x=-0.1").getNonNegativeDouble("x"));
        e = assertThrows(UserError.class, () -> parse("--x=1").getUnitInterval("x"));
        assertEquals("cmd: --x=1 is not a number in [0, 1)", e.getMessage());
        assertThrows(UserError.class, () -> parse("--x=abc").getUnitInterval("x"));
    }
}
