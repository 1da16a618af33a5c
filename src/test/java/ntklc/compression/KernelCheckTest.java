package ntklc.compression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;

import ntklc.activation.Activation;
import ntklc.activation.Activations;
import ntklc.tensor.Tensor;
import org.junit.jupiter.api.Test;

class KernelCheckTest {
    private static Tensor data(int n, int p, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n * p];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rng.nextGaussian() / Math.sqrt(p));
        }
        return Tensor.wrap(x, n, p);
    }

    @Test
    void sameChainHasZeroError() {
        // identity: K' = K
        List<Activation> relu = Activations.parseChain("relu,relu");
        KernelCheck c = KernelCheck.of(data(30, 20, 1), 1.0, relu, relu, 100);
        assertEquals(0, c.relativeError(), 0);
        assertEquals(0, c.shapeRelativeError(), 0);
        assertEquals(30, c.samples());
    }

    @Test
    void doubledFirstLayerOfAReluChainQuadruplesTheKernel() {
        // Closed form: u ↦ 2u multiplies the layer-1 kernel by 4 (and the τ used for centring by 2);
        // ReLU is positively homogeneous, so E[relu(u)relu(v)] and the centring scale with the input
        // kernel, K'_CK,2 = 4·K_CK,2: relative error exactly 3, unit-trace error 0. Layer 1 is
        // polynomial, so its Hermite expansion is exact; layer 2 uses the arc-cosine closed form.
        List<Activation> original = Activations.parseChain("linear,relu");
        List<Activation> doubled = Activations.parseChain("poly:0:2:0,relu");
        KernelCheck c = KernelCheck.of(data(40, 25, 2), 1.0, original, doubled, 25);
        assertEquals(3, c.relativeError(), 1e-9);
        assertEquals(0, c.shapeRelativeError(), 1e-9);
        assertEquals(25, c.samples());
    }

    @Test
    void refusesChainsOfDifferentDepth() {
        assertThrows(IllegalArgumentException.class, () -> KernelCheck.of(data(5, 4, 3), 1.0,
                Activations.parseChain("relu,relu"), Activations.parseChain("relu"), 5));
    }
}
