package ntklc.compression.packed;

import ntklc.tensor.Parallel;

/**
 * The reference kernel of the hidden layers and the CPU reference of {@code kernels/popcount.cl}:
 * <pre>
 *   C[s, j] = Σ_w bitCount(T⁺[j, w] ∧ H[s, w]) − bitCount(T⁻[j, w] ∧ H[s, w])
 * </pre>
 * for {@code s < n}, {@code j < d_out}, {@code w < words = ⌈d_in/64⌉} ({@code docs/theory.md §6.2}).
 * Layout ("sample rows"): {@code H[s, w] = h[s·words + w]}, bit {@code i mod 64} of word
 * {@code ⌊i/64⌋} is {@code b_i} of sample s; the planes of {@link TernaryMatrix} likewise per row
 * j. Padding bits are 0. Output {@code C: n×d_out} row-major.
 *
 * <p>When {@code minus} is null (the SIGNS form, no zero weight) it uses
 * {@code count(T⁻ ∧ H) = count(H) − count(T⁺ ∧ H)}, one plane instead of two.
 *
 * <p>It touches every weight, zero or not, once per sample, at one {@code POPCNT} per 64 weights
 * (Java 17 has no lane-wise vector popcount): the engine's kernel for the SIGNS form (ε = 0) only
 * where the Vector API is absent (then 2× the 64-bit bit-sliced one); with it, and at ε = 0.9, the
 * bit-sliced kernel is the faster (figures there). Rows of T
 * are processed in cache tiles of {@link #TILE}, two rows per pass over a sample's words.
 */
public final class PopcountKernel {
    private PopcountKernel() {
    }

    /**
     * @param h     {@code n·words} (Not modified)
     * @param plus  {@code d_out·words} (Not modified)
     * @param minus {@code d_out·words} or null (SIGNS) (Not modified)
     * @return {@code C}, {@code n×d_out}
     */
    public static int[] counts(long[] h, int n, long[] plus, long[] minus, int dOut, int words) {
        if (h.length != n * words || plus.length != dOut * words || (minus != null && minus.length != plus.length)) {
            throw new IllegalArgumentException("popcount: inconsistent buffer lengths");
        }
        int[] c = new int[n * dOut];
        int[] total = new int[n];
        if (minus == null) {
            for (int s = 0; s < n; s++) {
                for (int w = 0; w < words; w++) {
                    total[s] += Long.bitCount(h[s * words + w]);
                }
            }
        }
        // Tiles of TILE rows of T stay in cache while every sample streams past them; rows in pairs
        // so that each word of H is loaded once for two rows.
        int tiles = (dOut + TILE - 1) / TILE;
        Parallel.forRange(tiles, 1, (fromTile, toTile) -> {
            for (int tile = fromTile; tile < toTile; tile++) {
                int j0 = tile * TILE;
                int j1 = Math.min(dOut, j0 + TILE);
                for (int s = 0; s < n; s++) {
                    int hs = s * words;
                    int j = j0;
                    for (; j + 1 < j1; j += 2) {
                        int ta = j * words;
                        int tb = ta + words;
                        int pa = 0;
                        int pb = 0;
                        int ma = 0;
                        int mb = 0;
                        if (minus == null) {
                            for (int w = 0; w < words; w++) {
                                long x = h[hs + w];
                                pa += Long.bitCount(plus[ta + w] & x);
                                pb += Long.bitCount(plus[tb + w] & x);
                            }
                            ma = total[s] - pa;
                            mb = total[s] - pb;
                        } else {
                            for (int w = 0; w < words; w++) {
                                long x = h[hs + w];
                                pa += Long.bitCount(plus[ta + w] & x);
                                pb += Long.bitCount(plus[tb + w] & x);
                                ma += Long.bitCount(minus[ta + w] & x);
                                mb += Long.bitCount(minus[tb + w] & x);
                            }
                        }
                        c[s * dOut + j] = pa - ma;
                        c[s * dOut + j + 1] = pb - mb;
                    }
                    if (j < j1) {
                        c[s * dOut + j] = single(h, hs, plus, minus, j * words, words, total[s]);
                    }
                }
            }
        });
        return c;
    }

    /** Rows of T per cache tile (16 rows of 20 000 columns: 40 kB per plane). */
    static final int TILE = 16;

    private static int single(long[] h, int hs, long[] plus, long[] minus, int tj, int words, int total) {
        int pc = 0;
        int mc = 0;
        for (int w = 0; w < words; w++) {
            long x = h[hs + w];
            pc += Long.bitCount(plus[tj + w] & x);
            if (minus != null) {
                mc += Long.bitCount(minus[tj + w] & x);
            }
        }
        return minus == null ? 2 * pc - total : pc - mc;
    }
}
