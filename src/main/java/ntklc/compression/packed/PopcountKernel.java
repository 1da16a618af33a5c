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
 * <p>Slower on the CPU than {@link BitSlicedKernel} (it touches every weight, zero or not, once
 * per sample, at one {@code POPCNT} per 64 weights: Java 17 has no lane-wise vector popcount); kept
 * as the simple, independent second implementation that tests and {@code bench} compare against.
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
        Parallel.forRange(n, 1, (from, to) -> {
            for (int s = from; s < to; s++) {
                int hs = s * words;
                int total = 0;
                if (minus == null) {
                    for (int w = 0; w < words; w++) {
                        total += Long.bitCount(h[hs + w]);
                    }
                }
                for (int j = 0; j < dOut; j++) {
                    int tj = j * words;
                    int pc = 0;
                    int mc = 0;
                    if (minus == null) {
                        for (int w = 0; w < words; w++) {
                            pc += Long.bitCount(plus[tj + w] & h[hs + w]);
                        }
                        mc = total - pc;
                    } else {
                        for (int w = 0; w < words; w++) {
                            long x = h[hs + w];
                            pc += Long.bitCount(plus[tj + w] & x);
                            mc += Long.bitCount(minus[tj + w] & x);
                        }
                    }
                    c[s * dOut + j] = pc - mc;
                }
            }
        });
        return c;
    }
}
