package ntklc.compression;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import ntklc.activation.Activation;
import ntklc.activation.Activations;
import org.junit.jupiter.api.Test;

class MemoryAccountingTest {
    @Test
    void paperConventionReproducesTheWidth1500Check() {
        // docs/theory.md §7: widths 1500³, p = 784, K = 10 → Wtot = 5 691 000; 1.82e8 bits original,
        // 1.14e7 at ε = 0, 1.14e6 at ε = 0.9; naive sparse = 32·0.2·Wtot.
        int[] w = {1500, 1500, 1500};
        assertEquals(5_691_000L, MemoryAccounting.totalWeights(784, w, 10));
        assertEquals(32.0 * 5_691_000, MemoryAccounting.paperBits(CompressionMethod.ORIGINAL, 784, w, 10, 0, 0));
        assertEquals(2.0 * 5_691_000, MemoryAccounting.paperBits(CompressionMethod.NTK_LC, 784, w, 10, 0, 0));
        assertEquals(0.2 * 5_691_000, MemoryAccounting.paperBits(CompressionMethod.NTK_LC, 784, w, 10, 0.9, 0), 1e-6);
        assertEquals(32 * 0.2 * 5_691_000, MemoryAccounting.paperBits(CompressionMethod.NAIVE_SPARSE, 784, w, 10, 0, 0.8),
                1e-6);
        assertEquals(32.0 * 5_691_000, MemoryAccounting.paperBits(CompressionMethod.NAIVE_QUANTIZED, 784, w, 10, 0, 0));
    }

    @Test
    void breakdownCountsClassifierAndActivationParameters() {
        // p = 4, widths (3, 2), K = 2: hidden weights 4·3 + 3·2 = 18; ternary ε = 0.5 → 1 bit each;
        // binary-zero has 3 parameters, binary-last 6, each plus a centring constant → 11 × 32 bits;
        // classifier 2·2 weights + 2 biases, float32.
        List<Activation> acts = List.of(Activations.binaryZero(0, 1, 1), Activations.binaryLast(0, 1, 2, 3, 1, 1));
        MemoryBreakdown m = MemoryAccounting.breakdown(CompressionMethod.NTK_LC, 4, new int[] {3, 2}, 2, 0.5, 0, acts);
        assertEquals(18.0, m.hiddenWeightBits(), 1e-12);
        assertEquals(11 * 32.0, m.activationBits());
        assertEquals(6 * 32.0, m.classifierBits());
        assertEquals(18 + 11 * 32.0 + 6 * 32.0, m.totalBits(), 1e-12);
    }
}
