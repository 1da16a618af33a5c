package ntklc.compression.packed;

import static jdk.incubator.vector.VectorOperators.XOR;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SlicedCounts} with the Vector API: the carry-save counting of {@link BitSlicedKernel#count}
 * on 256-bit vectors, each holding the words of four consecutive blocks of one input, sixteen words
 * per step of a Harley–Seal tree ({@link #chunk}). It replaced a step of four words (3 carry-save
 * adders and 5 half adders per 4 words): {@code bench --op=ternary --shape=1024,20000,20000
 * --epsilon=0}, 2 threads, under the benchmark lock, AMD EPYC (Zen 3): the layer 0.88 s against
 * 1.62 s, the two jars in one script (docs/bench/README.md).
 */
final class VectorSlicedCounts implements SlicedCounts {
    private static final VectorSpecies<Long> S = LongVector.SPECIES_256;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    private static final int W = 4;
    /** Levels of {@link #chunk}'s state: ones, twos, fours, eights, then five levels of sixteens. */
    private static final int STATE = 9;
    /**
     * Words per call of {@link #chunk}: 30 steps of 16, so that with the last step (≤ 15 more words)
     * and the ≤ 15 already in ones … eights its sixteens, at most 31, fit the five levels s16 … s256.
     */
    private static final int CHUNK = 30 * 16;

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
     * stored whole (8 ints) at the count so far, which then grows by the byte's bit count. About
     * twice as fast as a loop over the set bits of each word, whose exit mispredicts once a word
     * (0.59 against 1.1–1.2 ns per index, 2000 rows of 20000 columns, half the bits set, one thread,
     * AMD EPYC, Zen 3); at ε = 0 decoding is about a tenth of the layer's time.
     */
    @Override
    public int indices(long[] bits, int from, int words, int[] out) {
        // the eight bytes written out, a precaution: a method this long is never inlined into the
        // caller's row loop, so its vector code is compiled on its own, as that of chunk is
        int at = 0;
        for (int w = 0; w < words; w++) {
            long x = bits[from + w];
            int base = w << 6;
            int b;
            b = (int) (x >>> 0) & 255;
            IntVector.fromArray(I, BYTE_BITS, b << 3).add(base + 0).intoArray(out, at);
            at += Integer.bitCount(b);
            b = (int) (x >>> 8) & 255;
            IntVector.fromArray(I, BYTE_BITS, b << 3).add(base + 8).intoArray(out, at);
            at += Integer.bitCount(b);
            b = (int) (x >>> 16) & 255;
            IntVector.fromArray(I, BYTE_BITS, b << 3).add(base + 16).intoArray(out, at);
            at += Integer.bitCount(b);
            b = (int) (x >>> 24) & 255;
            IntVector.fromArray(I, BYTE_BITS, b << 3).add(base + 24).intoArray(out, at);
            at += Integer.bitCount(b);
            b = (int) (x >>> 32) & 255;
            IntVector.fromArray(I, BYTE_BITS, b << 3).add(base + 32).intoArray(out, at);
            at += Integer.bitCount(b);
            b = (int) (x >>> 40) & 255;
            IntVector.fromArray(I, BYTE_BITS, b << 3).add(base + 40).intoArray(out, at);
            at += Integer.bitCount(b);
            b = (int) (x >>> 48) & 255;
            IntVector.fromArray(I, BYTE_BITS, b << 3).add(base + 48).intoArray(out, at);
            at += Integer.bitCount(b);
            b = (int) (x >>> 56) & 255;
            IntVector.fromArray(I, BYTE_BITS, b << 3).add(base + 56).intoArray(out, at);
            at += Integer.bitCount(b);
        }
        return at;
    }

    @Override
    public void count(long[] in, int nBlk, int block, int[] idx, int m, long[] c, int levels) {
        java.util.Arrays.fill(c, 0, levels * W, 0L);
        // the count is at most m, so levels from bitLength(m) up stay 0
        int top = Math.min(levels, 33 - Integer.numberOfLeadingZeros(m));
        long[] state = new long[STATE * W];
        long[] scratch = new long[16 * W];
        for (int q = 0; q < m; q += CHUNK) {
            chunk(in, nBlk, block, idx, q, Math.min(m, q + CHUNK), state, scratch);
            // add the chunk's sixteens (levels 4 … 8 of state) into c, lane by lane
            for (int k = 0; k < W; k++) {
                long cy = 0;
                for (int l = 4; l < top && (l < STATE || cy != 0); l++) {
                    long a = l < STATE ? state[l * W + k] : 0;
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
     * Adds the words of {@code idx[q0 … q1)} into the ones, twos, fours, eights held in
     * {@code state[0 … 4W)} and leaves the number of sixteens in {@code state[4W … 9W)} (five
     * levels). Per 16 words, 15 carry-save adders in a Harley–Seal tree (Muła, Kurz &amp; Lemire,
     * "Faster population counts using AVX2 instructions", Comput. J. 61 (2018), §3) leave ones …
     * eights in place and give one sixteens word, which a chain of half adders adds into s16 … s256.
     * Full steps of 16 words from {@code in}, then always one step from {@code scratch} holding the
     * last 0–15 words and zeros: no branch (a branch the profile has not seen taken becomes a
     * deoptimisation, after which this method ran interpreted, with every vector boxed), and vector
     * values carried from one iteration to the next only (a vector merged across branches is
     * boxed). The shape of the loop (one method, the zero-padded last step inside the loop) is the
     * one that compiled reliably in 8 of 8 runs of {@code bench --op=ternary
     * --shape=1024,4000,4000}; at 20000² the layer still ran 7–9× slower in 4 of 19 JVM starts. Of
     * 8 starts checked with {@code -XX:+PrintInlining}, the 2 slow ones were exactly those where C2
     * reported the final {@code intoArray} stores of this method "failed to inline (intrinsic)"
     * (cause not found; docs/bench/README.md). A version without the per-load choice of
     * {@code src}, the tail run as a separate call on a padded copy and the sixteens added in
     * vector code, was faster when compiled (the 20000² layer in 0.69 s against 0.88 s) but left 2
     * of 6 such runs, and one of the 20000² layer, with this loop's vectors boxed (the profile's top frames
     * {@code LongVector.intoArray} and {@code bOpTemplate}), 7–9× slower for the whole run.
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
        LongVector s128 = s16;
        LongVector s256 = s16;
        LongVector u;
        int full = (q1 - q0) & ~15;
        int rem = q1 - q0 - full;
        for (int k = 0; k < 16; k++) {
            long keep = (long) ((k - rem) >> 31); // all ones for k < rem, else 0
            int from = idx[q0 + full + Math.min(k, rem - 1)] * nBlk + block;
            for (int w = 0; w < W; w++) {
                scratch[k * W + w] = in[from + w] & keep;
            }
        }
        for (int q = q0; q <= q0 + full; q += 16) {
            boolean last = q == q0 + full;
            long[] src = last ? scratch : in;
            // each carry-save adder CSA(h, l; a, b, c): u = a ⊕ b, h = a∧b ∨ u∧c, l = u ⊕ c
            LongVector d0 = LongVector.fromArray(S, src, last ? 0 : idx[q] * nBlk + block);
            LongVector d1 = LongVector.fromArray(S, src, last ? W : idx[q + 1] * nBlk + block);
            u = ones.lanewise(XOR, d0);
            LongVector twosA = ones.and(d0).or(u.and(d1));
            ones = u.lanewise(XOR, d1);
            d0 = LongVector.fromArray(S, src, last ? 2 * W : idx[q + 2] * nBlk + block);
            d1 = LongVector.fromArray(S, src, last ? 3 * W : idx[q + 3] * nBlk + block);
            u = ones.lanewise(XOR, d0);
            LongVector twosB = ones.and(d0).or(u.and(d1));
            ones = u.lanewise(XOR, d1);
            u = twos.lanewise(XOR, twosA);
            LongVector foursA = twos.and(twosA).or(u.and(twosB));
            twos = u.lanewise(XOR, twosB);
            d0 = LongVector.fromArray(S, src, last ? 4 * W : idx[q + 4] * nBlk + block);
            d1 = LongVector.fromArray(S, src, last ? 5 * W : idx[q + 5] * nBlk + block);
            u = ones.lanewise(XOR, d0);
            twosA = ones.and(d0).or(u.and(d1));
            ones = u.lanewise(XOR, d1);
            d0 = LongVector.fromArray(S, src, last ? 6 * W : idx[q + 6] * nBlk + block);
            d1 = LongVector.fromArray(S, src, last ? 7 * W : idx[q + 7] * nBlk + block);
            u = ones.lanewise(XOR, d0);
            twosB = ones.and(d0).or(u.and(d1));
            ones = u.lanewise(XOR, d1);
            u = twos.lanewise(XOR, twosA);
            LongVector foursB = twos.and(twosA).or(u.and(twosB));
            twos = u.lanewise(XOR, twosB);
            u = fours.lanewise(XOR, foursA);
            LongVector eightsA = fours.and(foursA).or(u.and(foursB));
            fours = u.lanewise(XOR, foursB);
            d0 = LongVector.fromArray(S, src, last ? 8 * W : idx[q + 8] * nBlk + block);
            d1 = LongVector.fromArray(S, src, last ? 9 * W : idx[q + 9] * nBlk + block);
            u = ones.lanewise(XOR, d0);
            twosA = ones.and(d0).or(u.and(d1));
            ones = u.lanewise(XOR, d1);
            d0 = LongVector.fromArray(S, src, last ? 10 * W : idx[q + 10] * nBlk + block);
            d1 = LongVector.fromArray(S, src, last ? 11 * W : idx[q + 11] * nBlk + block);
            u = ones.lanewise(XOR, d0);
            twosB = ones.and(d0).or(u.and(d1));
            ones = u.lanewise(XOR, d1);
            u = twos.lanewise(XOR, twosA);
            foursA = twos.and(twosA).or(u.and(twosB));
            twos = u.lanewise(XOR, twosB);
            d0 = LongVector.fromArray(S, src, last ? 12 * W : idx[q + 12] * nBlk + block);
            d1 = LongVector.fromArray(S, src, last ? 13 * W : idx[q + 13] * nBlk + block);
            u = ones.lanewise(XOR, d0);
            twosA = ones.and(d0).or(u.and(d1));
            ones = u.lanewise(XOR, d1);
            d0 = LongVector.fromArray(S, src, last ? 14 * W : idx[q + 14] * nBlk + block);
            d1 = LongVector.fromArray(S, src, last ? 15 * W : idx[q + 15] * nBlk + block);
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
