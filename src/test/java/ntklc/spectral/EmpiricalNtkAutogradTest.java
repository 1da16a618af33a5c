package ntklc.spectral;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import ntklc.activation.Activation;
import ntklc.activation.Activations;
import ntklc.autograd.LinearMap;
import ntklc.autograd.Pointwise;
import ntklc.autograd.Variable;
import ntklc.linalg.Matrix;
import ntklc.nn.Initializer;
import ntklc.tensor.Tensor;

/**
 * The explicit layer recursion of {@link MonteCarloKernels#neuralTangentKernel} against per-sample
 * gradients from the autograd engine ({@code ntklc.autograd}), on one small network with the
 * same weights: Θ_ij = ⟨∂f(x_i)/∂θ, ∂f(x_j)/∂θ⟩ over θ = (W_1, W_2, w). The autograd runs in
 * float, so the two agree to ≈ 1e−6 relative; the tolerance is 1e−4.
 */
class EmpiricalNtkAutogradTest {
    @Test
    void explicitRecursionEqualsAutogradPerSampleGradients() {
        int n = 5;
        int p = 6;
        int[] widths = {7, 4};
        List<Activation> layers = Activations.parseChain("tanh,relu");
        SpectralTestSupport.Gmm gmm = SpectralTestSupport.gmmVar(n, p, new SplittableRandom(41));
        double tau0 = gmm.stats().tau0();
        Matrix recursion = MonteCarloKernels.neuralTangentKernel(gmm.x(), tau0, layers, widths,
                Initializer.Gaussian.standard(), 1, new SplittableRandom(42));

        // The same weights, drawn in the order neuralTangentKernel draws them: W_1, W_2 row-major, then w,
        // from the generator of draw 1 (the first split of the seeded one).
        SplittableRandom rng = new SplittableRandom(42).split();
        Initializer law = Initializer.Gaussian.standard();
        Tensor w1 = draw(widths[0], p, law, rng);
        Tensor w2 = draw(widths[1], widths[0], law, rng);
        Tensor readout = draw(1, widths[1], law, rng);
        double[] m0 = MonteCarloKernels.centring(tau0, layers);

        List<float[]> grads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Variable pw1 = Variable.parameter(w1);
            Variable pw2 = Variable.parameter(w2);
            Variable pw = Variable.parameter(readout);
            Tensor xi = Tensor.zeros(1, p);
            for (int c = 0; c < p; c++) {
                xi.data()[c] = (float) gmm.x().get(i, c);
            }
            Variable s1 = centredScaled(Pointwise.apply(LinearMap.apply(Variable.constant(xi), pw1), layers.get(0)), m0[0]);
            Variable s2 = centredScaled(Pointwise.apply(LinearMap.apply(s1, pw2), layers.get(1)), m0[1]);
            Variable f = LinearMap.apply(s2, pw); // 1×1: f(x_i) = wᵀ Σ_2(x_i)
            f.backward();
            float[] g = concat(pw1.grad().data(), pw2.grad().data(), pw.grad().data());
            grads.add(g);
        }
        double worst = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double dot = 0;
                for (int k = 0; k < grads.get(i).length; k++) {
                    dot += (double) grads.get(i)[k] * grads.get(j)[k];
                }
                worst = Math.max(worst, Math.abs(dot - recursion.get(i, j)));
            }
        }
        assertTrue(worst < 1e-4 * recursion.maxAbs(), "max |Θ_autograd − Θ_recursion| = " + worst);
    }

    /** (σ(h) − m0)/√d, with the constants as tensors of h's shape (no broadcasting). */
    private static Variable centredScaled(Variable act, double m0) {
        int d = act.value().cols();
        Tensor shift = Tensor.full((float) m0, act.value().rows(), d);
        Tensor scale = Tensor.full((float) (1 / Math.sqrt(d)), act.value().rows(), d);
        return act.sub(Variable.constant(shift)).mul(Variable.constant(scale));
    }

    private static Tensor draw(int rows, int cols, Initializer law, SplittableRandom rng) {
        return law.sample(rows, cols, rng);
    }

    private static float[] concat(float[]... parts) {
        int len = 0;
        for (float[] p : parts) {
            len += p.length;
        }
        float[] out = new float[len];
        int off = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }
}
