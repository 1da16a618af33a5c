package ntklc.compression.packed;

import static jdk.incubator.vector.VectorOperators.XOR;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SlicedCounts} with the Vector API: the carry-save counting of {@link BitSlicedKernel#count}
 * on 256-bit vectors, each holding the words of four consecutive blocks of one input, sixteen words
 * per step of a Harley–Seal tree ({@link #tree}).
 */
final class VectorSlicedCounts implements SlicedCounts {
    private static final VectorSpecies<Long> S = LongVector.SPECIES_256;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    private static final int W = 4;
    /** Levels of {@link #tree}'s state: ones, twos, fours, eights, then five levels of sixteens. */
    private static final int STATE = 9;
    /**
     * Words per call of {@link #tree}: 31 steps of 16, so that its sixteens, at most 31, fit the five
     * levels s16 … s256 (the ≤ 15 words already in ones … eights never make a 32nd).
     */
    private static final int CHUNK = 31 * 16;
    /** The indices 0 … 15: one step of {@link #tree} over a padded tail. */
    private static final int[] STEP = java.util.stream.IntStream.range(0, 16).toArray();

    /** Row {@code b} (8 ints): the positions of the set bits of the byte b, ascending, then zeros. */
    private static final int[] BYTE_BITS = new int[256 * 8];

    static {
        for (int b = 0; b < 256; b++) {
            int k = 0;
            for (int i = 0; i < 8; i++) {
                if ((b >>> i & 1) != 0) {
                    BYTE_BITS[b * 8 + k++] = i;
                }
            }
        }
    }

    @Override
    public int blocks() {
        return W;
    }

    /**
     * Byte by byte without a branch: the byte's row of {@link #BYTE_BITS} plus its first column,
     * stored whole (8 ints) at the count so far, which then grows by the byte's bit count. Twice
     * as fast as a loop over the set bits of each word (0.59 against 1.1 ns per index, one core
     * of the AMD EPYC (Zen 3) of docs/bench/README.md, half the bits set), whose exit mispredicts once a word.
     */
    @Override
    public int indices(long[] bits, int from, int words, int[] out) {
        int at = 0;
        for (int w = 0; w < words; w++) {
            long x = bits[from + w];
            for (int k = 0; k < 8; k++) {
                int b = (int) (x >>> (8 * k)) & 255;
                IntVector.fromArray(I, BYTE_BITS, b << 3).add((w << 6) + 8 * k).intoArray(out, at);
                at += Integer.bitCount(b);
            }
        }
        return at;
    }

    @Override
    public void count(long[] in, int nBlk, int block, int[] idx, int m, long[] c, int levels) {
        java.util.Arrays.fill(c, 0, levels * W, 0L);
        // the count is at most m, so levels from bitLength(m) up stay 0
        int top = Math.min(levels, 33 - Integer.numberOfLeadingZeros(m));
        long[] state = new long[(STATE + 1) * W]; // level STATE stays 0 (addSixteens)
        int full = m & ~15;
        for (int q = 0; q < full; q += CHUNK) {
            tree(in, nBlk, block, idx, q, Math.min(full, q + CHUNK), state);
            addSixteens(state, c, top);
        }
        if (full < m) {
            // the last 1 … 15 words, copied and padded with zero words to one step of the tree
            long[] tail = new long[16 * W];
            for (int q = full; q < m; q++) {
                LongVector.fromArray(S, in, idx[q] * nBlk + block).intoArray(tail, (q - full) * W);
            }
            tree(tail, W, 0, STEP, 0, 16, state);
            addSixteens(state, c, top);
        }
        System.arraycopy(state, 0, c, 0, Math.min(4, levels) * W);
    }

    /**
     * Adds the sixteens of {@link #tree} ({@code state[4W … 9W)}, five levels) into levels
     * 4 … {@code top − 1} of {@code c}: a ripple-carry adder on vectors, one level per step.
     */
    private static void addSixteens(long[] state, long[] c, int top) {
        LongVector cy = LongVector.zero(S);
        for (int l = 4; l < top; l++) {
            LongVector x = LongVector.fromArray(S, c, l * W);
            LongVector a = LongVector.fromArray(S, state, Math.min(l, STATE) * W); // level 9: zeros
            LongVector xa = x.lanewise(XOR, a);
            xa.lanewise(XOR, cy).intoArray(c, l * W);
            cy = x.and(a).or(cy.and(xa));
        }
    }

    /**
     * Adds the words of {@code idx[q0 … q1)} ({@code q1 − q0} a multiple of 16, at most
     * {@link #CHUNK}) into the ones, twos, fours, eights held in {@code state[0 … 4W)} and leaves
     * the number of sixteens in {@code state[4W … 9W)}. Per 16 words, 15 carry-save adders in a
     * Harley–Seal tree (Muła, Kurz &amp; Lemire, Comput. J. 61 (2018), §3) leave ones … eights in
     * place and give one sixteens word, which a chain of half adders adds into s16 … s256. Vector
     * values are carried from one iteration to the next only, with no branch in the loop (a vector
     * merged across branches is boxed, and a branch the profile has not seen taken deoptimises).
     */
    private static void tree(long[] in, int nBlk, int block, int[] idx, int q0, int q1, long[] state) {
        LongVector ones = LongVector.fromArray(S, state, 0);
        LongVector twos = LongVector.fromArray(S, state, W);
        LongVector fours = LongVector.fromArray(S, state, 2 * W);
        LongVector eights = LongVector.fromArray(S, state, 3 * W);
        LongVector s16 = LongVector.zero(S);
        LongVector s32 = s16;
        LongVector s64 = s16;
        LongVector s128 = s16;
        LongVector s256 = s16;
        LongVector u;
        for (int q = q0; q < q1; q += 16) {
            // each carry-save adder CSA(h, l; a, b, c): u = a ⊕ b, h = a∧b ∨ u∧c, l = u ⊕ c
            LongVector d0 = LongVector.fromArray(S, in, idx[q] * nBlk + block);
            LongVector d1 = LongVector.fromArray(S, in, idx[q + 1] * nBlk + block);
            u = ones.lanewise(XOR, d0);
            LongVector twosA = ones.and(d0).or(u.and(d1));
            ones = u.lanewise(XOR, d1);
            d0 = LongVector.fromArray(S, in, idx[q + 2] * nBlk + block);
            d1 = LongVector.fromArray(S, in, idx[q + 3] * nBlk + block);
            u = ones.lanewise(XOR, d0);
            LongVector twosB = ones.and(d0).or(u.and(d1));
            ones = u.lanewise(XOR, d1);
            u = twos.lanewise(XOR, twosA);
            LongVector foursA = twos.and(twosA).or(u.and(twosB));
            twos = u.lanewise(XOR, twosB);
            d0 = LongVector.fromArray(S, in, idx[q + 4] * nBlk + block);
            d1 = LongVector.fromArray(S, in, idx[q + 5] * nBlk + block);
            u = ones.lanewise(XOR, d0);
            twosA = ones.and(d0).or(u.and(d1));
            ones = u.lanewise(XOR, d1);
            d0 = LongVector.fromArray(S, in, idx[q + 6] * nBlk + block);
            d1 = LongVector.fromArray(S, in, idx[q + 7] * nBlk + block);
            u = ones.lanewise(XOR, d0);
            twosB = ones.and(d0).or(u.and(d1));
            ones = u.lanewise(XOR, d1);
            u = twos.lanewise(XOR, twosA);
            LongVector foursB = twos.and(twosA).or(u.and(twosB));
            twos = u.lanewise(XOR, twosB);
            u = fours.lanewise(XOR, foursA);
            LongVector eightsA = fours.and(foursA).or(u.and(foursB));
            fours = u.lanewise(XOR, foursB);
            d0 = LongVector.fromArray(S, in, idx[q + 8] * nBlk + block);
            d1 = LongVector.fromArray(S, in, idx[q + 9] * nBlk + block);
            u = ones.lanewise(XOR, d0);
            twosA = ones.and(d0).or(u.and(d1));
            ones = u.lanewise(XOR, d1);
            d0 = LongVector.fromArray(S, in, idx[q + 10] * nBlk + block);
            d1 = LongVector.fromArray(S, in, idx[q + 11] * nBlk + block);
            u = ones.lanewise(XOR, d0);
            twosB = ones.and(d0).or(u.and(d1));
            ones = u.lanewise(XOR, d1);
            u = twos.lanewise(XOR, twosA);
            foursA = twos.and(twosA).or(u.and(twosB));
            twos = u.lanewise(XOR, twosB);
            d0 = LongVector.fromArray(S, in, idx[q + 12] * nBlk + block);
            d1 = LongVector.fromArray(S, in, idx[q + 13] * nBlk + block);
            u = ones.lanewise(XOR, d0);
            twosA = ones.and(d0).or(u.and(d1));
            ones = u.lanewise(XOR, d1);
            d0 = LongVector.fromArray(S, in, idx[q + 14] * nBlk + block);
            d1 = LongVector.fromArray(S, in, idx[q + 15] * nBlk + block);
            u = ones.lanewise(XOR, d0);
            twosB = ones.and(d0).or(u.and(d1));
            ones = u.lanewise(XOR, d1);
            u = twos.lanewise(XOR, twosA);
            foursB = twos.and(twosA).or(u.and(twosB));
            twos = u.lanewise(XOR, twosB);
            u = fours.lanewise(XOR, foursA);
            LongVector eightsB = fours.and(foursA).or(u.and(foursB));
            fours = u.lanewise(XOR, foursB);
            u = eights.lanewise(XOR, eightsA);
            LongVector sixteens = eights.and(eightsA).or(u.and(eightsB));
            eights = u.lanewise(XOR, eightsB);
            // half adders: s16 … s256 count the sixteens (≤ 31 per call)
            LongVector next = s16.and(sixteens);
            s16 = s16.lanewise(XOR, sixteens);
            sixteens = s32.and(next);
            s32 = s32.lanewise(XOR, next);
            next = s64.and(sixteens);
            s64 = s64.lanewise(XOR, sixteens);
            sixteens = s128.and(next);
            s128 = s128.lanewise(XOR, next);
            s256 = s256.lanewise(XOR, sixteens);
        }
        ones.intoArray(state, 0);
        twos.intoArray(state, W);
        fours.intoArray(state, 2 * W);
        eights.intoArray(state, 3 * W);
        s16.intoArray(state, 4 * W);
        s32.intoArray(state, 5 * W);
        s64.intoArray(state, 6 * W);
        s128.intoArray(state, 7 * W);
        s256.intoArray(state, 8 * W);
    }
}
