package ntklc.compression;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ntklc.activation.Activation;
import ntklc.activation.Moments;
import org.junit.jupiter.api.Test;

class QuantizedActivationTest {
    /** Moments of σ(τξ) by the integration-by-parts forms of spec §4.1, computed by quadrature. */
    private static void assertMomentsByQuadrature(Activation sigma, double tau, double[] jumps) {
        double[] breaks = new double[jumps.length];
        for (int i = 0; i < jumps.length; i++) {
            breaks[i] = jumps[i] / tau;
        }
        double m0 = QuadratureOracle.gaussianExpectation(x -> sigma.value(tau * x), breaks);
        double m1 = QuadratureOracle.gaussianExpectation(x -> x * sigma.value(tau * x), breaks) / tau;
        double m2 = QuadratureOracle.gaussianExpectation(x -> (x * x - 1) * sigma.value(tau * x), breaks) / (tau * tau);
        double m3 = QuadratureOracle.gaussianExpectation(
                x -> (x * x - 1) * Math.pow(sigma.value(tau * x) - m0, 2), breaks) / (tau * tau);
        double v = QuadratureOracle.gaussianExpectation(x -> Math.pow(sigma.value(tau * x) - m0, 2), breaks);
        Moments m = sigma.moments(tau);
        assertEquals(m0, m.m0(), 1e-10, "m0");
        assertEquals(m1, m.m1(), 1e-10, "m1");
        assertEquals(m2, m.m2(), 1e-10, "m2");
        assertEquals(m3, m.m3(), 1e-10, "m3");
        assertEquals(v, m.v(), 1e-10, "v");
    }

    @Test
    void binaryZeroClosedFormsMatchQuadrature() {
        assertMomentsByQuadrature(new BinaryZero(0.99953, 2.21253, 2.40874), 1.0, new double[] {0.99953, 2.21253});
        assertMomentsByQuadrature(new BinaryZero(-0.73, 2.02, -1.68), 0.677, new double[] {-0.73, 2.02});
        assertMomentsByQuadrature(new BinaryZero(-1, 1, 1), 1.3, new double[] {-1, 1});
    }

    @Test
    void binaryLastClosedFormsMatchQuadrature() {
        assertMomentsByQuadrature(new BinaryLast(-0.85, -0.34, 0.85, 1.35, -0.75, 0.68), 0.5,
                new double[] {-0.85, -0.34, 0.85, 1.35});
        assertMomentsByQuadrature(new BinaryLast(-2, 0.1, 0.4, 2.5, 1.3, 0.2), 1.1,
                new double[] {-2, 0.1, 0.4, 2.5});
    }

    @Test
    void zeroOneActivationsObeyTheAmplitudeIdentity() {
        // Spec §4.2: for a {0, b}-valued σ, b² = m3²/m2² + 4v.
        double b = 1.7;
        Moments m = new BinaryLast(-1.2, -0.3, 0.5, 1.4, b, b).moments(0.8);
        assertEquals(b * b, m.m3() * m.m3() / (m.m2() * m.m2()) + 4 * m.v(), 1e-12);
    }

    @Test
    void specRoundTripsThroughTheParser() {
        Activation a = new BinaryZero(0.99953, 2.21253, 2.40874);
        assertEquals(a, StandInActivations.parse(a.spec()));
        Activation q = new BinaryLast(-1, 0, 0.5, 1.5, 2, -1);
        assertEquals(q, StandInActivations.parse(q.spec()));
        assertEquals("binary-zero:0.99953:2.21253:2.40874", a.spec());
    }

    @Test
    void reluStandInMatchesQuadrature() {
        assertMomentsByQuadrature(new StandInActivations.Relu(), 0.7, new double[] {0});
    }
}
