package ntklc.compression;

/**
 * Bits needed to store a network, split into its parts (docs/theory.md §7.2).
 *
 * @param hiddenWeightBits     the frozen hidden weights W_1..W_L
 * @param activationBits       per-layer activation parameters and centring constants, 32 bits each
 * @param classifierBits       the trained readout, dense float32 (K·d_L weights + K biases)
 */
public record MemoryBreakdown(double hiddenWeightBits, double activationBits, double classifierBits) {
    public double totalBits() {
        return hiddenWeightBits + activationBits + classifierBits;
    }
}
