package ntklc.compression.packed;

/**
 * The bit-sliced count of {@link BitSlicedKernel} over {@link #blocks()} consecutive blocks of 64
 * samples at once: for the words {@code in[idx[q]·nBlk + block + k]}, {@code q < m},
 * {@code k < blocks()}, level ℓ of the count of block {@code block + k} goes to
 * {@code c[ℓ·blocks() + k]}. Two implementations: {@link #SCALAR} (one block, 64-bit words), and,
 * when {@code jdk.incubator.vector} is present, {@code VectorSlicedCounts}, which runs the same
 * carry-save tree on 256-bit vectors, four blocks (256 samples) per operation.
 */
interface SlicedCounts {
    /** Blocks of 64 samples counted per call. */
    int blocks();

    /**
     * @param in    sample-sliced words (Not modified); {@code block + blocks() ≤ nBlk}
     * @param idx   the columns to add, {@code m} of them (Not modified)
     * @param c     {@code levels·blocks()} words (Modified, overwritten)
     */
    void count(long[] in, int nBlk, int block, int[] idx, int m, long[] c, int levels);

    /**
     * The columns of the set bits of the row {@code bits[from … from + words)} (bit {@code i mod 64}
     * of word {@code ⌊i/64⌋} is column i), ascending, into {@code out}; returns their number.
     *
     * @param out at least {@link #indexRoom}{@code (words)} ints (Modified; entries past the count too)
     */
    default int indices(long[] bits, int from, int words, int[] out) {
        return TernaryMatrix.decode(bits, from, words, out);
    }

    /** Room {@link #indices} needs: 64 per word, and 8 more for the Vector API's whole-vector stores. */
    static int indexRoom(int words) {
        return 64 * words + 8;
    }

    /** {@link BitSlicedKernel#count}, one block. */
    SlicedCounts SCALAR = new SlicedCounts() {
        @Override
        public int blocks() {
            return 1;
        }

        @Override
        public void count(long[] in, int nBlk, int block, int[] idx, int m, long[] c, int levels) {
            BitSlicedKernel.count(in, nBlk, block, idx, m, c, levels);
        }
    };

    /** The Vector API implementation when its module is present, else {@link #SCALAR}. */
    static SlicedCounts best() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return SCALAR;
        }
        try {
            return (SlicedCounts) Class.forName("ntklc.compression.packed.VectorSlicedCounts").getDeclaredConstructor()
                    .newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return SCALAR;
        }
    }
}
