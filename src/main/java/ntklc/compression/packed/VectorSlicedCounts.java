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
        LongVector zero = LongVector.zero(S);
        LongVector ones = zero;
        LongVector twos = zero;
        LongVector fours = zero;
        LongVector eights = zero;
        // the count is at most m, so levels from bitLength(m) up stay 0
        int top = Math.min(levels, 33 - Integer.numberOfLeadingZeros(m));
        for (int l = 4; l < levels; l++) {
            zero.intoArray(c, l * W);
        }
        long[] scratch = null;
        int[] off = new int[16];
        for (int q = 0; q < m; q += 16) {
            long[] src = in;
            if (q + 16 <= m) {
                for (int k = 0; k < 16; k++) {
                    off[k] = idx[q + k] * nBlk + block;
                }
            } else {
                scratch = scratch == null ? new long[16 * W] : scratch;
                java.util.Arrays.fill(scratch, 0L);
                for (int k = 0; k < 16; k++) {
                    off[k] = k * W;
                    if (q + k < m) {
                        System.arraycopy(in, idx[q + k] * nBlk + block, scratch, k * W, W);
                    }
                }
                src = scratch;
            }
            // CSA(h, l; a, b, c): u = a ⊕ b, h = a∧b ∨ u∧c, l = u ⊕ c (as in BitSlicedKernel.count)
            LongVector foursA = zero;
            LongVector eightsA = zero;
            LongVector eightsB = zero;
            for (int quad = 0; quad < 4; quad++) {
                LongVector d0 = LongVector.fromArray(S, src, off[4 * quad]);
                LongVector d1 = LongVector.fromArray(S, src, off[4 * quad + 1]);
                LongVector u = ones.lanewise(XOR, d0);
                LongVector twosA = ones.and(d0).or(u.and(d1));
                ones = u.lanewise(XOR, d1);
                d0 = LongVector.fromArray(S, src, off[4 * quad + 2]);
                d1 = LongVector.fromArray(S, src, off[4 * quad + 3]);
                u = ones.lanewise(XOR, d0);
                LongVector twosB = ones.and(d0).or(u.and(d1));
                ones = u.lanewise(XOR, d1);
                u = twos.lanewise(XOR, twosA);
                LongVector foursB = twos.and(twosA).or(u.and(twosB));
                twos = u.lanewise(XOR, twosB);
                if ((quad & 1) == 0) {
                    foursA = foursB;
                    continue;
                }
                u = fours.lanewise(XOR, foursA);
                LongVector e = fours.and(foursA).or(u.and(foursB));
                fours = u.lanewise(XOR, foursB);
                if (quad == 1) {
                    eightsA = e;
                } else {
                    eightsB = e;
                }
            }
            LongVector u = eights.lanewise(XOR, eightsA);
            LongVector sixteens = eights.and(eightsA).or(u.and(eightsB));
            eights = u.lanewise(XOR, eightsB);
            for (int l = 4; l < top; l++) {
                LongVector cl = LongVector.fromArray(S, c, l * W);
                cl.lanewise(XOR, sixteens).intoArray(c, l * W);
                sixteens = cl.and(sixteens);
            }
        }
        ones.intoArray(c, 0);
        if (levels > 1) {
            twos.intoArray(c, W);
        }
        if (levels > 2) {
            fours.intoArray(c, 2 * W);
        }
        if (levels > 3) {
            eights.intoArray(c, 3 * W);
        }
    }
}
