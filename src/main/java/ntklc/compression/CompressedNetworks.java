package ntklc.compression;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import ntklc.activation.Activation;
import ntklc.activation.Activations;
import ntklc.nn.Initializer;

/**
 * Builds the networks compared in docs/theory.md §8.2–8.3, one method at a time:
 *
 * <pre>
 *   method            weights W_ℓ                      activations σ_1..σ_L
 *   original          N(0,1)                            the original chain (ReLU)
 *   ntk-lc            ternary(ε), Eq. (16)              solved σ_T ×(L−1), σ_Q or σ_T (Algorithm 1)
 *   naive-sparse      N(0,1), fraction f zeroed         the original chain
 *   naive-quantized   N(0,1)                            1{t<−1}+1{t>1} on 1..L−1, original σ_L
 *   magnitude-prune   N(0,1), per layer smallest f|w|=0 the original chain
 * </pre>
 */
public final class CompressedNetworks {
    /** The naive-quantized activation 1{t<−1} + 1{t>1} of docs/theory.md §8.2. */
    public static final Activation NAIVE_BINARY = Activations.binaryZero(-1, 1, 1);

    private CompressedNetworks() {
    }

    /**
     * Settings of the baselines.
     *
     * @param sparseFraction fraction zeroed by naive sparse (0.8 in Fig. 3, 0.9 in Fig. 4)
     * @param pruneFraction  fraction pruned by magnitude pruning (0.93 in the rebuttal script)
     * @param exactTernary   reference-code ternary sampler (exact counts) instead of i.i.d.
     */
    public record Settings(double sparseFraction, double pruneFraction, boolean exactTernary) {
    }

    /**
     * The activations of {@code method}; {@code compressed} (the solved NTK-LC chain, e.g.
     * {@link CompressionSolution#compressedChain()}) is needed for NTK-LC only.
     */
    public static List<Activation> activations(CompressionMethod method, List<Activation> originals,
                                               List<Activation> compressed) {
        return switch (method) {
            case ORIGINAL, NAIVE_SPARSE, MAGNITUDE_PRUNE -> originals;
            case NTK_LC -> compressed;
            case NAIVE_QUANTIZED -> {
                List<Activation> out = new ArrayList<>();
                for (int l = 0; l < originals.size() - 1; l++) {
                    out.add(NAIVE_BINARY);
                }
                out.add(originals.get(originals.size() - 1));
                yield out;
            }
        };
    }

    /** The weight law of {@code method}. */
    public static Initializer weightLaw(CompressionMethod method, double epsilon, Settings settings) {
        return switch (method) {
            case ORIGINAL, NAIVE_QUANTIZED -> Initializer.Gaussian.standard();
            case NTK_LC -> new Initializer.SparseTernary(epsilon, settings.exactTernary());
            case NAIVE_SPARSE -> new Initializer.NaiveSparse(settings.sparseFraction());
            case MAGNITUDE_PRUNE -> new Initializer.MagnitudePrune(settings.pruneFraction());
        };
    }

    /** Samples the network of {@code method} (see the class table). rng: Modified. */
    public static RandomFeatureNetwork build(CompressionMethod method, double epsilon, int p, int[] widths,
                                             List<Activation> originals, List<Activation> compressed,
                                             Settings settings, double tau0, SplittableRandom rng) {
        return RandomFeatureNetwork.sample(p, widths, activations(method, originals, compressed),
                weightLaw(method, epsilon, settings), tau0, rng);
    }

    /** Paper-convention memory of {@code method} (docs/theory.md §7). */
    public static double paperBits(CompressionMethod method, double epsilon, int p, int[] widths, int numClasses,
                                   Settings settings) {
        double fraction = method == CompressionMethod.MAGNITUDE_PRUNE ? settings.pruneFraction() : settings.sparseFraction();
        return MemoryAccounting.paperBits(method, p, widths, numClasses, epsilon, fraction);
    }

    /** Explicit memory breakdown of {@code method} (docs/theory.md §7). */
    public static MemoryBreakdown breakdown(CompressionMethod method, double epsilon, int p, int[] widths,
                                            int numClasses, Settings settings, List<Activation> activations) {
        double fraction = method == CompressionMethod.MAGNITUDE_PRUNE ? settings.pruneFraction() : settings.sparseFraction();
        return MemoryAccounting.breakdown(method, p, widths, numClasses, epsilon, fraction, activations);
    }
}
