package ntklc.activation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The command-line spellings: round trips, values, and one clear error per kind of mistake. */
class ActivationsParseTest {
    @Test
    void everySpellingRoundTrips() {
        for (String spec : ActivationMomentsTest.ALL) {
            Activation a = Activations.parse(spec);
            assertEquals(spec, a.spec());
            assertEquals(spec, Activations.parse(a.spec()).spec());
        }
        // Numbers are normalised to their shortest form; whitespace around the text is ignored.
        assertEquals("lrelu:0.1", Activations.parse(" lrelu:0.100 ").spec());
        assertEquals("poly:1:0:-2", Activations.parse("poly:1.0:0:-2e0").spec());
        assertEquals("lrelu:1.0E-5", Activations.parse("lrelu:1e-5").spec());
        // Equality is equality of spellings (which identify the function).
        assertEquals(Activations.lrelu(0.1), Activations.parse("lrelu:0.10"));
        assertEquals(Activations.binaryZero(1, 2, 3).hashCode(), Activations.parse("binary-zero:1.0:2:3").hashCode());
        assertTrue(!Activations.relu().equals(Activations.parse("plinear:0:1")));
    }

    @Test
    void valuesFollowTheDefinitions() {
        // Definitions (docs/theory.md §3.2 for σ_T and σ_Q).
        assertEquals(0.0, Activations.parse("relu").value(-2), 0.0);
        assertEquals(3.0, Activations.parse("relu").value(3), 0.0);
        assertEquals(-0.2, Activations.parse("lrelu:0.1").value(-2), 1e-16);
        assertEquals(2.0, Activations.parse("abs").value(-2), 0.0);
        assertEquals(0.1, Activations.parse("plinear:-1:0.1").value(1), 1e-16);
        assertEquals(1.0, Activations.parse("plinear:-1:0.1").value(-1), 0.0);
        assertEquals(0.3 * 4 - 0.7 * 2 + 0.2, Activations.parse("poly:0.3:-0.7:0.2").value(2), 1e-15);
        Activation t = Activations.parse("binary-zero:-1:2:3");
        assertEquals(3.0, t.value(-1.5), 0.0);
        assertEquals(0.0, t.value(0.0), 0.0);
        assertEquals(3.0, t.value(2.5), 0.0);
        Activation q = Activations.parse("binary-last:-2:-1:1:2:5:7");
        assertEquals(5.0, q.value(-3), 0.0);
        assertEquals(0.0, q.value(-1.5), 0.0);
        assertEquals(7.0, q.value(0), 0.0);
        assertEquals(0.0, q.value(1.5), 0.0);
        assertEquals(5.0, q.value(3), 0.0);
        // staircase:t_1:t_2:c_0:c_1:c_2: c_0 below t_1, c_1 on [t_1, t_2), c_2 from t_2 on
        Activation stair = Activations.parse("staircase:-1:1:0:2:5");
        assertEquals(0.0, stair.value(-1.5), 0.0);
        assertEquals(2.0, stair.value(-1), 0.0);
        assertEquals(2.0, stair.value(0.5), 0.0);
        assertEquals(5.0, stair.value(1), 0.0);
        assertEquals("staircase:-1:1:0:2:5", stair.spec());
        assertEquals(stair.spec(), Activations.parse(stair.spec()).spec());
        assertEquals(1.0, Activations.parse("step").value(0.0), 0.0);
        assertEquals(-1.0, Activations.parse("sign").value(-1e-300), 0.0);
        assertEquals(Math.tanh(0.7), Activations.parse("tanh").value(0.7), 0.0);
        assertEquals(1 / (1 + Math.exp(-0.7)), Activations.parse("sigmoid").value(0.7), 1e-16);
        assertEquals(0.0, Activations.parse("sigmoid").value(-1000), 0.0);
        assertTrue(Activations.parse("sign").hasJumps());
        assertTrue(!Activations.parse("relu").hasJumps());
    }

    @Test
    void chains() {
        List<Activation> chain = Activations.parseChain("relu,binary-zero:0.5:1:2, tanh");
        assertEquals(3, chain.size());
        assertEquals("relu,binary-zero:0.5:1:2,tanh", Activations.chainSpec(chain));
    }

    @Test
    void mistakesAreUserErrorsThatSayWhatIsWrong() {
        assertMessage("", "empty activation");
        assertMessage("reLU", "unknown activation 'reLU'");
        assertMessage("softplus", "expected one of: relu");
        assertMessage("relu:1", "relu takes no parameters");
        assertMessage("lrelu", "expected lrelu:<negative slope> (1 parameter, got 0)");
        assertMessage("lrelu:x", "parameter 'x' is not a finite number");
        assertMessage("lrelu:NaN", "parameter 'NaN' is not a finite number");
        assertMessage("poly:1:2", "expected poly:<c2>:<c1>:<c0> (3 parameters, got 2)");
        assertMessage("binary-zero:2:1:1", "thresholds must be non-decreasing");
        assertMessage("binary-last:0:1:3:2:1:1", "thresholds must be non-decreasing");
        assertMessage("staircase:0:1", "2K + 1 parameters, K ≥ 1, got 2");
        assertMessage("staircase:2:1:0:1:2", "thresholds must be non-decreasing");
        IllegalArgumentException chain = assertThrows(IllegalArgumentException.class, () -> Activations.parseChain("relu,,relu"));
        assertTrue(chain.getMessage().contains("entry 2 is empty"), chain.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Activations.parseChain("relu,"));
        assertThrows(IllegalArgumentException.class, () -> Activations.parseChain(" "));
    }

    private static void assertMessage(String text, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Activations.parse(text));
        assertTrue(e.getMessage().contains(part), "message for '" + text + "': " + e.getMessage());
    }
}
