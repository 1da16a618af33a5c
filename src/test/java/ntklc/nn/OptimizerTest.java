package ntklc.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import ntklc.autograd.Variable;
import ntklc.tensor.Tensor;

/**
 * Optimizer updates against the update formulas worked out by hand on the quadratic
 * {@code f(w) = ½ Σ_i (w_i − c_i)²}, whose gradient is {@code w − c}.
 */
class OptimizerTest {
    private static final float[] C = {1, -2, 0.5f};

    /** Sets the gradient of the quadratic at the parameter's current value. */
    private static void gradient(Variable w) {
        w.zeroGrad();
        Variable c = Variable.constant(Tensor.wrap(C.clone(), 3));
        Variable d = w.sub(c);
        d.mul(d).sum().backward();
        // ∂/∂w ½Σ(w−c)² is w−c; the graph computes Σ(w−c)², whose gradient is 2(w−c): halve it.
        float[] g = w.grad().data();
        for (int i = 0; i < g.length; i++) {
            g[i] *= 0.5f;
        }
    }

    @Test
    void sgdWithMomentumAndWeightDecay() {
        Variable w = Variable.parameter(Tensor.wrap(new float[] {0, 0, 0}, 3));
        Sgd sgd = new Sgd(List.of(w), 0.1, 0.9, 0.01);
        // Step 1 from w = 0: g = (w − c) + 0.01·w = −c, v = −c, w = 0.1·c.
        gradient(w);
        sgd.step();
        for (int i = 0; i < 3; i++) {
            assertEquals(0.1 * C[i], w.value().data()[i], 1e-6);
        }
        // Step 2: g = 0.1c − c + 0.001c = −0.899c, v = 0.9·(−c) − 0.899c = −1.799c, w = 0.1c + 0.1799c.
        gradient(w);
        sgd.step();
        for (int i = 0; i < 3; i++) {
            assertEquals(0.2799 * C[i], w.value().data()[i], 1e-6);
        }
    }

    @Test
    void adamFirstStepsAreSignSteps() {
        Variable w = Variable.parameter(Tensor.wrap(new float[] {0, 0, 0}, 3));
        Adam adam = new Adam(List.of(w), 0.01);
        // Step 1: m̂ = g, v̂ = g², so the update is η·g/(|g| + ε) = η·sign(g) to within ε/|g| ≈ 1e−8.
        gradient(w);
        adam.step();
        for (int i = 0; i < 3; i++) {
            assertEquals(0.01 * Math.signum(C[i]), w.value().data()[i], 1e-7);
        }
        // Step 2 by hand with g1 = −c, g2 = 0.01·sign(c) − c:
        // m̂ = (0.9·0.1·g1 + 0.1·g2)/(1 − 0.81), v̂ = (0.999·0.001·g1² + 0.001·g2²)/(1 − 0.998001).
        gradient(w);
        adam.step();
        for (int i = 0; i < 3; i++) {
            double g1 = -C[i];
            double g2 = 0.01 * Math.signum(C[i]) - C[i];
            double m = (0.09 * g1 + 0.1 * g2) / 0.19;
            double v = (0.000999 * g1 * g1 + 0.001 * g2 * g2) / 0.001999;
            double expected = 0.01 * Math.signum(C[i]) - 0.01 * m / (Math.sqrt(v) + 1e-8);
            assertEquals(expected, w.value().data()[i], 1e-6);
        }
    }

    @Test
    void parametersWithoutGradientAreLeftAlone() {
        Variable used = Variable.parameter(Tensor.wrap(new float[] {0, 0, 0}, 3));
        Variable unused = Variable.parameter(Tensor.wrap(new float[] {5}, 1));
        Adam adam = new Adam(List.of(used, unused), 0.1);
        gradient(used);
        adam.step();
        assertEquals(5f, unused.value().data()[0]);
    }
}
