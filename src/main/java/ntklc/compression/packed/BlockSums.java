package ntklc.compression.packed;

/**
 * The first layer's inner sum over one block of 64 samples: {@code acc[s] = Σ_{i ∈ plus} x[base +
 * 64i + s] − Σ_{i ∈ minus} x[base + 64i + s]}, {@code s < 64} ({@link FirstLayerKernel}). Two
 * implementations: {@link #SCALAR}, and, when {@code jdk.incubator.vector} is present, a Vector API
 * one ({@code VectorBlockSums}) that keeps the 64 sums in eight 256-bit registers across the whole
 * index list (the scalar loop re-loads and re-stores the accumulator per index and ran 6× slower
 * than the dense GEMM's first layer at ε = 0).
 */
interface BlockSums {
    /**
     * @param x     inputs of one block, {@code x[base + 64i + s]} (Not modified)
     * @param plus  the columns with T = +1, {@code np} of them (Not modified)
     * @param minus the columns with T = −1, {@code nm} of them (Not modified)
     * @param acc   64 sums (Modified, overwritten)
     */
    void sum(float[] x, int base, int[] plus, int np, int[] minus, int nm, float[] acc);

    /**
     * The lanes at or above each threshold: bit s of {@code bits[k]} is {@code [v_s ≥ tau[k]]} with
     * {@code v_s = acc[s]}, or {@code v_s = 2·acc[s] − total[at + s]} where {@code total} is not
     * null (the SIGNS form). Plain loops; the Vector API implementation compares 8 lanes at once.
     *
     * @param acc  64 sums (Modified: replaced by v where total is not null)
     * @param bits one word per threshold (Modified)
     */
    default void atLeast(float[] acc, float[] total, int at, float[] tau, long[] bits) {
        if (total != null) {
            for (int s = 0; s < 64; s++) {
                acc[s] = 2 * acc[s] - total[at + s];
            }
        }
        for (int k = 0; k < tau.length; k++) {
            long b = 0;
            for (int s = 0; s < 64; s++) {
                b |= (acc[s] >= tau[k] ? 1L : 0L) << s;
            }
            bits[k] = b;
        }
    }

    /** Plain loops. */
    BlockSums SCALAR = (x, base, plus, np, minus, nm, acc) -> {
        java.util.Arrays.fill(acc, 0f);
        for (int k = 0; k < np; k++) {
            int from = base + plus[k] * 64;
            for (int s = 0; s < 64; s++) {
                acc[s] += x[from + s];
            }
        }
        for (int k = 0; k < nm; k++) {
            int from = base + minus[k] * 64;
            for (int s = 0; s < 64; s++) {
                acc[s] -= x[from + s];
            }
        }
    };

    /** The Vector API implementation when its module is present, else {@link #SCALAR}. */
    static BlockSums best() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return SCALAR;
        }
        try {
            return (BlockSums) Class.forName("ntklc.compression.packed.VectorBlockSums").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return SCALAR;
        }
    }
}
