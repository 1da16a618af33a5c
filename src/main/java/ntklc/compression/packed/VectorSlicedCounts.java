package ntklc.compression.packed;

import static jdk.incubator.vector.VectorOperators.XOR;

import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SlicedCounts} with the Vector API: the Harley–Seal tree of {@link BitSlicedKernel#count} on
 * 256-bit vectors, each holding the words of four consecutive blocks of one input. A last group of
 * fewer than 16 words is copied, padded with zero words, into a scratch buffer and run through the
 * same tree.
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
        int[] off = new int[16];
        long[] scratch = new long[16 * W];
        for (int q = 0; q < m; q += CHUNK) {
            chunk(in, nBlk, block, idx, q, Math.min(m, q + CHUNK), state, off, scratch);
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

    /** Words per {@link #chunk}: 7 groups of 16, so that its sixteens fit three levels. */
    private static final int CHUNK = 7 * 16;

    /**
     * Adds the words of {@code idx[q0 … q1)} into the ones, twos, fours, eights held in
     * {@code state[0 … 4W)} and leaves the number of sixteens in {@code state[4W … 7W)} (three
     * levels). One loop whose vector values are carried from one iteration to the next only (a
     * vector merged across branches would be boxed).
     */
    private static void chunk(long[] in, int nBlk, int block, int[] idx, int q0, int q1, long[] state, int[] off,
                              long[] scratch) {
        LongVector zero = LongVector.zero(S);
        LongVector ones = LongVector.fromArray(S, state, 0);
        LongVector twos = LongVector.fromArray(S, state, W);
        LongVector fours = LongVector.fromArray(S, state, 2 * W);
        LongVector eights = LongVector.fromArray(S, state, 3 * W);
        LongVector s16 = zero;
        LongVector s32 = zero;
        LongVector s64 = zero;
        for (int q = q0; q < q1; q += 16) {
            long[] src = in;
            if (q + 16 <= q1) {
                for (int k = 0; k < 16; k++) {
                    off[k] = idx[q + k] * nBlk + block;
                }
            } else {
                java.util.Arrays.fill(scratch, 0L);
                for (int k = 0; k < 16; k++) {
                    off[k] = k * W;
                    if (q + k < q1) {
                        System.arraycopy(in, idx[q + k] * nBlk + block, scratch, k * W, W);
                    }
                }
                src = scratch;
            }
            // Straight-line tree (no vector value merged across branches, which would box it).
            // CSA(h, l; a, b, c): u = a ⊕ b, h = a∧b ∨ u∧c, l = u ⊕ c (as in BitSlicedKernel.count)
            LongVector d0 = LongVector.fromArray(S, src, off[0]);
            LongVector d1 = LongVector.fromArray(S, src, off[1]);
            LongVector u = ones.lanewise(XOR, d0);
            LongVector twosA = ones.and(d0).or(u.and(d1));
            ones = u.lanewise(XOR, d1);
            d0 = LongVector.fromArray(S, src, off[2]);
            d1 = LongVector.fromArray(S, src, off[3]);
            u = ones.lanewise(XOR, d0);
            LongVector twosB = ones.and(d0).or(u.and(d1));
            ones = u.lanewise(XOR, d1);
            u = twos.lanewise(XOR, twosA);
            LongVector foursA = twos.and(twosA).or(u.and(twosB));
            twos = u.lanewise(XOR, twosB);
            d0 = LongVector.fromArray(S, src, off[4]);
            d1 = LongVector.fromArray(S, src, off[5]);
            u = ones.lanewise(XOR, d0);
            twosA = ones.and(d0).or(u.and(d1));
            ones = u.lanewise(XOR, d1);
            d0 = LongVector.fromArray(S, src, off[6]);
            d1 = LongVector.fromArray(S, src, off[7]);
            u = ones.lanewise(XOR, d0);
            twosB = ones.and(d0).or(u.and(d1));
            ones = u.lanewise(XOR, d1);
            u = twos.lanewise(XOR, twosA);
            LongVector foursB = twos.and(twosA).or(u.and(twosB));
            twos = u.lanewise(XOR, twosB);
            u = fours.lanewise(XOR, foursA);
            LongVector eightsA = fours.and(foursA).or(u.and(foursB));
            fours = u.lanewise(XOR, foursB);
            d0 = LongVector.fromArray(S, src, off[8]);
            d1 = LongVector.fromArray(S, src, off[9]);
            u = ones.lanewise(XOR, d0);
            twosA = ones.and(d0).or(u.and(d1));
            ones = u.lanewise(XOR, d1);
            d0 = LongVector.fromArray(S, src, off[10]);
            d1 = LongVector.fromArray(S, src, off[11]);
            u = ones.lanewise(XOR, d0);
            twosB = ones.and(d0).or(u.and(d1));
            ones = u.lanewise(XOR, d1);
            u = twos.lanewise(XOR, twosA);
            foursA = twos.and(twosA).or(u.and(twosB));
            twos = u.lanewise(XOR, twosB);
            d0 = LongVector.fromArray(S, src, off[12]);
            d1 = LongVector.fromArray(S, src, off[13]);
            u = ones.lanewise(XOR, d0);
            twosA = ones.and(d0).or(u.and(d1));
            ones = u.lanewise(XOR, d1);
            d0 = LongVector.fromArray(S, src, off[14]);
            d1 = LongVector.fromArray(S, src, off[15]);
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
            LongVector c32 = s16.and(sixteens);
            s16 = s16.lanewise(XOR, sixteens);
            LongVector c64 = s32.and(c32);
            s32 = s32.lanewise(XOR, c32);
            s64 = s64.lanewise(XOR, c64); // at most 7 sixteens per chunk: no carry out of s64
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
