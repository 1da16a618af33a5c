package ntklc.compression;

/** The networks compared in the accuracy-versus-memory experiments (docs/theory.md §8.2–8.3). */
public enum CompressionMethod {
    /** Dense Gaussian weights, the original activations (ReLU). */
    ORIGINAL("original"),
    /** NTK-LC: sparse ternary weights (ε) and the solved σ_T/σ_Q activations (Algorithm 1). */
    NTK_LC("ntk-lc"),
    /** Gaussian weights with a uniformly random fraction zeroed (80 % in Fig. 3, 90 % in Fig. 4). */
    NAIVE_SPARSE("naive-sparse"),
    /** Gaussian weights, activation 1{t<−1} + 1{t>1} on layers 1..L−1, original σ_L. */
    NAIVE_QUANTIZED("naive-quantized"),
    /** Gaussian weights, per-layer pruning of the smallest |w| (rebuttal baseline). */
    MAGNITUDE_PRUNE("magnitude-prune");

    private final String spelling;

    CompressionMethod(String spelling) {
        this.spelling = spelling;
    }

    public String spelling() {
        return spelling;
    }

    /** Parses the command-line spelling. */
    public static CompressionMethod parse(String text) {
        for (CompressionMethod m : values()) {
            if (m.spelling.equals(text.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown method '" + text
                + "' (original|ntk-lc|naive-sparse|naive-quantized|magnitude-prune)");
    }

    /** True for the methods whose hidden weights depend on ε (only NTK-LC). */
    public boolean usesEpsilon() {
        return this == NTK_LC;
    }
}
