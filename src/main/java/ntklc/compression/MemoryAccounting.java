package ntklc.compression;

import java.util.List;

import ntklc.activation.Activation;

/**
 * Memory of the compared networks (docs/theory.md §7).
 *
 * <p><b>Paper convention</b> (digitised from Fig. 3, exact ratios): with
 * {@code Wtot = p·d1 + d1·d2 + … + d_{L−1}·d_L + K·d_L} (all weights including the classifier):
 * original and naive quantized {@code 32·Wtot}; NTK-LC {@code 2(1−ε)·Wtot}; naive sparse
 * {@code 32·(1−f)·Wtot} (f = 0.8 gives the paper's {@code 32·0.2·Wtot}). Magnitude pruning, whose
 * figure values are unknown (docs/theory.md §9), is counted like naive sparse. Indices of sparse entries
 * are not counted, as in the paper. Check (docs/theory.md §7): widths 1500³, p = 784, K = 10 →
 * Wtot = 5 691 000, 1.82e8 bits original, 1.14e7 (ε = 0), 1.14e6 (ε = 0.9).
 *
 * <p><b>Explicit breakdown</b>: the hidden weights as above, 32 bits per activation parameter and
 * centring constant per layer, and a dense float32 classifier (which NTK-LC trains, so it is not
 * ternary).
 */
public final class MemoryAccounting {
    private MemoryAccounting() {
    }

    /** Wtot = Σ_ℓ d_{ℓ−1}·d_ℓ + K·d_L with d_0 = p. */
    public static long totalWeights(int p, int[] widths, int numClasses) {
        return hiddenWeights(p, widths) + (long) numClasses * widths[widths.length - 1];
    }

    /** Σ_ℓ d_{ℓ−1}·d_ℓ. */
    public static long hiddenWeights(int p, int[] widths) {
        long n = 0;
        int in = p;
        for (int d : widths) {
            n += (long) in * d;
            in = d;
        }
        return n;
    }

    /**
     * Entropy of one i.i.d. sparse ternary weight of sparsity ε (paper Eq. (16),
     * {@code docs/theory.md §7.3}), in bits: {@code H(ε) = −ε log₂ ε − (1 − ε) log₂((1 − ε)/2)},
     * i.e. the binary entropy of "zero or not" plus one sign bit per non-zero: 1 at ε = 0, 1.5 at
     * ε = 0.5, ≈ 0.569 at ε = 0.9. No code stores such a matrix in fewer bits on average; the paper's
     * {@code 2(1 − ε)} is below it for every ε > 0.227, where {@code h(ε) = 1 − ε} (e.g. 1.0 against 1.5
     * at ε = 0.5, 0.2 against 0.569 at ε = 0.9), which only
     * regenerating the weights from a seed reaches.
     */
    public static double ternaryEntropy(double epsilon) {
        double h = 0;
        if (epsilon > 0) {
            h -= epsilon * Math.log(epsilon);
        }
        if (epsilon < 1) {
            h -= (1 - epsilon) * Math.log((1 - epsilon) / 2);
        }
        return h / Math.log(2);
    }

    /** Bits per stored hidden weight under the paper convention. */
    public static double bitsPerWeight(CompressionMethod method, double epsilon, double sparseFraction) {
        return switch (method) {
            case ORIGINAL, NAIVE_QUANTIZED -> 32;
            case NTK_LC -> 2 * (1 - epsilon);
            case NAIVE_SPARSE, MAGNITUDE_PRUNE -> 32 * (1 - sparseFraction);
        };
    }

    /** Paper-convention bits: {@link #bitsPerWeight} × Wtot. */
    public static double paperBits(CompressionMethod method, int p, int[] widths, int numClasses, double epsilon,
                                   double sparseFraction) {
        return bitsPerWeight(method, epsilon, sparseFraction) * totalWeights(p, widths, numClasses);
    }

    /**
     * Explicit breakdown.
     *
     * @param activations the activations actually used (their parameter count is read from the
     *                    command-line spelling: the numbers after the name)
     */
    public static MemoryBreakdown breakdown(CompressionMethod method, int p, int[] widths, int numClasses,
                                            double epsilon, double sparseFraction, List<Activation> activations) {
        double hidden = bitsPerWeight(method, epsilon, sparseFraction) * hiddenWeights(p, widths);
        long parameters = 0;
        for (Activation a : activations) {
            // parameters of the activation (e.g. binary-zero:s1:s2:a has 3) plus its centring constant
            parameters += a.spec().split(":").length - 1 + 1;
        }
        double classifier = 32.0 * ((long) numClasses * widths[widths.length - 1] + numClasses);
        return new MemoryBreakdown(hidden, 32.0 * parameters, classifier);
    }
}
