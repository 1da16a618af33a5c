package ntklc.compression.packed;

/** Bit-matrix helpers of the packed engine. */
final class Bits {
    private Bits() {
    }

    /**
     * Transposes a 64×64 bit matrix in place: on entry bit c of {@code a[r]} is entry (r, c), on
     * exit bit r of {@code a[c]}. Six rounds of block swaps (Warren, Hacker's Delight, 2nd ed.,
     * §7–3, widened from 32 to 64 bits, least significant bit first).
     */
    static void transpose64(long[] a) {
        long m = 0x00000000FFFFFFFFL;
        for (int j = 32; j != 0; j >>= 1, m ^= m << j) {
            for (int k = 0; k < 64; k = ((k | j) + 1) & ~j) {
                long t = ((a[k] >>> j) ^ a[k | j]) & m;
                a[k] ^= t << j;
                a[k | j] ^= t;
            }
        }
    }

    /** Mask of the lanes {@code 64·block + s < n} of one block. */
    static long laneMask(int block, int n) {
        int valid = n - 64 * block;
        return valid >= 64 ? -1L : valid <= 0 ? 0L : (1L << valid) - 1;
    }

    /**
     * Sample-sliced bits ({@code in[i·nBlk + β]}, bit s = sample 64β + s) as sample rows
     * ({@code out[s·w + ⌊i/64⌋]}, bit i mod 64; {@code w = ⌈d/64⌉}) for the first {@code n} samples.
     */
    static long[] sampleRows(long[] in, int d, int nBlk, int n) {
        int words = TernaryMatrix.wordsPerRow(d);
        long[] out = new long[n * words];
        ntklc.tensor.Parallel.forRange(words, 4, (from, to) -> {
            long[] tile = new long[64];
            for (int w = from; w < to; w++) {
                for (int blk = 0; blk < nBlk; blk++) {
                    for (int ii = 0; ii < 64; ii++) {
                        int i = 64 * w + ii;
                        tile[ii] = i < d ? in[i * nBlk + blk] : 0;
                    }
                    transpose64(tile);
                    for (int s = 0; s < 64 && 64 * blk + s < n; s++) {
                        out[(64 * blk + s) * words + w] = tile[s];
                    }
                }
            }
        });
        return out;
    }
}
