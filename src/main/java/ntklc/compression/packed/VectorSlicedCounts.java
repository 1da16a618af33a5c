package ntklc.compression.packed;

import static jdk.incubator.vector.VectorOperators.XOR;

import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SlicedCounts} with the Vector API: carry-save counting as in {@link BitSlicedKernel#count}
 * on 256-bit vectors, each holding the words of four consecutive blocks of one input, four words per
 * step ({@link #chunk}).
 */
final class VectorSlicedCounts implements SlicedCounts {
    private static final VectorSpecies<Long> S = LongVector.SPECIES_256;
    private static final int W = 4;

    @Override
    public int blocks() {
        return W;
    }

    @Override
    public void count(long[] in, int nBlk, int block, int[] idx, int m, long[] c, int levels) {
        java.util.Arrays.fill(c, 0, levels * W, 0L);
        // the count is at most m, so levels from bitLength(m) up stay 0
        int top = Math.min(levels, 33 - Integer.numberOfLeadingZeros(m));
        long[] state = new long[7 * W];
        long[] scratch = new long[4 * W];
        for (int q = 0; q < m; q += CHUNK) {
            chunk(in, nBlk, block, idx, q, Math.min(m, q + CHUNK), state, scratch);
            // add the chunk's sixteens (levels 4, 5, 6 of state) into c, lane by lane
            for (int k = 0; k < W; k++) {
                long cy = 0;
                for (int l = 4; l < top && (l < 7 || cy != 0); l++) {
                    long a = l < 7 ? state[l * W + k] : 0;
                    long x = c[l * W + k];
                    long xa = x ^ a;
                    c[l * W + k] = xa ^ cy;
                    cy = (x & a) | (cy & xa);
                }
            }
        }
        System.arraycopy(state, 0, c, 0, Math.min(4, levels) * W);
    }

    /**
     * Words per {@link #chunk}: 112, at most 28 "fours" words, so that with the ≤ 3 already in fours
     * and eights the count fits five levels (fours … s64) and its sixteens three.
     */
    private static final int CHUNK = 7 * 16;

    /**
     * Adds the words of {@code idx[q0 … q1)} into the ones, twos, fours, eights held in
     * {@code state[0 … 4W)} and leaves the number of sixteens in {@code state[4W … 7W)} (three
     * levels). Four words per step: two carry-save adders into ones and twos, a third giving one
     * "fours" word, which a chain of half adders adds into fours, eights, sixteens, … A small loop
     * body that C2 compiles quickly (the Vector API is very slow until it has), and vector values
     * carried from one iteration to the next only (a vector merged across branches would be boxed).
     */
    private static void chunk(long[] in, int nBlk, int block, int[] idx, int q0, int q1, long[] state,
                              long[] scratch) {
        LongVector ones = LongVector.fromArray(S, state, 0);
        LongVector twos = LongVector.fromArray(S, state, W);
        LongVector fours = LongVector.fromArray(S, state, 2 * W);
        LongVector eights = LongVector.fromArray(S, state, 3 * W);
        LongVector s16 = LongVector.zero(S);
        LongVector s32 = s16;
        LongVector s64 = s16;
        // full steps of four words from `in`, then always one step from `scratch` holding the last
        // 0–3 words and zeros (no branch: a branch the profile has not seen taken becomes a
        // deoptimisation, after which this method ran interpreted, with every vector boxed)
        int full = (q1 - q0) & ~3;
        int rem = q1 - q0 - full;
        for (int k = 0; k < 4; k++) {
            long keep = (long) ((k - rem) >> 31); // all ones for k < rem, else 0
            int from = idx[q0 + full + Math.min(k, rem - 1)] * nBlk + block;
            for (int w = 0; w < W; w++) {
                scratch[k * W + w] = in[from + w] & keep;
            }
        }
        for (int q = q0; q <= q0 + full; q += 4) {
            boolean last = q == q0 + full;
            long[] src = last ? scratch : in;
            int o0 = last ? 0 : idx[q] * nBlk + block;
            int o1 = last ? W : idx[q + 1] * nBlk + block;
            int o2 = last ? 2 * W : idx[q + 2] * nBlk + block;
            int o3 = last ? 3 * W : idx[q + 3] * nBlk + block;
            // CSA(h, l; a, b, c): u = a ⊕ b, h = a∧b ∨ u∧c, l = u ⊕ c (as in BitSlicedKernel.count)
            LongVector d0 = LongVector.fromArray(S, src, o0);
            LongVector d1 = LongVector.fromArray(S, src, o1);
            LongVector u = ones.lanewise(XOR, d0);
            LongVector twosA = ones.and(d0).or(u.and(d1));
            ones = u.lanewise(XOR, d1);
            d0 = LongVector.fromArray(S, src, o2);
            d1 = LongVector.fromArray(S, src, o3);
            u = ones.lanewise(XOR, d0);
            LongVector twosB = ones.and(d0).or(u.and(d1));
            ones = u.lanewise(XOR, d1);
            u = twos.lanewise(XOR, twosA);
            LongVector carry = twos.and(twosA).or(u.and(twosB));
            twos = u.lanewise(XOR, twosB);
            // half adders: fours, eights, s16, s32, s64 count the "fours" words (≤ 31 per chunk)
            LongVector next = fours.and(carry);
            fours = fours.lanewise(XOR, carry);
            carry = eights.and(next);
            eights = eights.lanewise(XOR, next);
            next = s16.and(carry);
            s16 = s16.lanewise(XOR, carry);
            carry = s32.and(next);
            s32 = s32.lanewise(XOR, next);
            s64 = s64.lanewise(XOR, carry);
        }
        ones.intoArray(state, 0);
        twos.intoArray(state, W);
        fours.intoArray(state, 2 * W);
        eights.intoArray(state, 3 * W);
        s16.intoArray(state, 4 * W);
        s32.intoArray(state, 5 * W);
        s64.intoArray(state, 6 * W);
    }
}
