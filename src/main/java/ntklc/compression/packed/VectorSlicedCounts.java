package ntklc.compression.packed;

import static jdk.incubator.vector.VectorOperators.XOR;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SlicedCounts} with the Vector API: the carry-save counting of {@link BitSlicedKernel#count}
 * on 256-bit vectors, each holding the words of four consecutive blocks of one input, sixteen words
 * per step of a Harley–Seal tree ({@link #chunk}), whose last 1–15 words run as one more step on
 * a zero-padded copy. {@code bench --op=ternary --shape=1024,20000,20000 --epsilon=0}, 2 threads,
 * quiet, AMD EPYC (Zen 3): the layer in 0.65–0.78 s against 6.7–7.9 s for the dense GEMM
 * (9.7–10.4×); the previous loop, which chose per load between the input and the padded tail,
 * 0.92–1.18 s (docs/bench/README.md).
 *
 * <p>C2 compiles this code well only when it keeps speculating on receiver types: after a few
 * uncommon traps at a bytecode it falls back to virtual calls there, the vectors' species is no
 * longer a compile-time constant, the Vector API intrinsics give up ({@code -XX:+PrintIntrinsics}:
 * {@code missing constant: vclass=DecodeN etype=ConP vlen=LoadI}) and every vector is a heap
 * object, 7–9× slower. With HotSpot's default trap limits that happened in about one JVM start
 * in three to five; the launcher therefore starts the commands with higher limits
 * ({@code ntklc.cli.Launcher.JIT_OPTIONS}).
 */
final class VectorSlicedCounts implements SlicedCounts {
    private static final VectorSpecies<Long> S = LongVector.SPECIES_256;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    private static final int W = 4;
    /** Levels of {@link #chunk}'s state: ones, twos, fours, eights, then five levels of sixteens. */
    private static final int STATE = 9;
    /** Words per call of {@link #chunk}: 30 steps of 16, so that its sixteens (≤ 30) fit the five levels s16 … s256. */
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

    /** {@code 0 … 15}: the tail's words lie in {@code scratch} at {@code k·W}, i.e. stride W, block 0. */
    private static final int[] IDENTITY = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

    @Override
    public void count(long[] in, int nBlk, int block, int[] idx, int m, long[] c, int levels) {
        java.util.Arrays.fill(c, 0, levels * W, 0L);
        // the count is at most m, so levels from bitLength(m) up stay 0
        int top = Math.min(levels, 33 - Integer.numberOfLeadingZeros(m));
        long[] state = new long[STATE * W];
        int full = m & ~15;
        for (int q = 0; q < full; q += CHUNK) {
            chunk(in, nBlk, block, idx, q, Math.min(full, q + CHUNK), state);
            addSixteens(state, c, top);
        }
        int rem = m - full;
        if (rem > 0) {
            // the last 1–15 words, padded with zero words to one step of 16
            long[] scratch = new long[16 * W];
            for (int k = 0; k < rem; k++) {
                System.arraycopy(in, idx[full + k] * nBlk + block, scratch, k * W, W);
            }
            chunk(scratch, W, 0, IDENTITY, 0, 16, state);
            addSixteens(state, c, top);
        }
        System.arraycopy(state, 0, c, 0, Math.min(4, levels) * W);
    }

    /** Adds the sixteens of the last {@link #chunk} (levels 4 … 8 of state) into c, lane by lane, and clears them. */
    private static void addSixteens(long[] state, long[] c, int top) {
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
        java.util.Arrays.fill(state, 4 * W, STATE * W, 0L);
    }

    /**
     * Adds the words of {@code idx[q0 … q1)}, a multiple of 16 of them, into the ones, twos, fours,
     * eights held in {@code state[0 … 4W)} and the sixteens into {@code state[4W … 9W)} (five levels,
     * ≤ 30 sixteens per call). Per 16 words, 15 carry-save adders in a Harley–Seal tree (Muła, Kurz
     * &amp; Lemire, "Faster population counts using AVX2 instructions", Comput. J. 61 (2018), §3) leave
     * ones … eights in place and give one sixteens word, which a chain of half adders adds into
     * s16 … s256. The loop has no branch (a branch the profile has not seen taken becomes a
     * deoptimisation, after which this method ran interpreted, with every vector boxed).
     *
     * <p>The state is stored in every step, not once after the loop (nine stores per sixteen
     * loads): this is the loop that was measured. Storing in the loop did not by itself keep C2
     * from boxing the vectors; the HotSpot options of {@code ntklc.cli.Launcher.JIT_OPTIONS} do
     * (docs/bench/README.md).
     */
    private static void chunk(long[] src, int stride, int block, int[] idx, int q0, int q1, long[] state) {
        LongVector ones = LongVector.fromArray(S, state, 0);
        LongVector twos = LongVector.fromArray(S, state, W);
        LongVector fours = LongVector.fromArray(S, state, 2 * W);
        LongVector eights = LongVector.fromArray(S, state, 3 * W);
        LongVector s16 = LongVector.fromArray(S, state, 4 * W);
        LongVector s32 = LongVector.fromArray(S, state, 5 * W);
        LongVector s64 = LongVector.fromArray(S, state, 6 * W);
        LongVector s128 = LongVector.fromArray(S, state, 7 * W);
        LongVector s256 = LongVector.fromArray(S, state, 8 * W);
        LongVector u;
        for (int q = q0; q < q1; q += 16) {
            // each carry-save adder CSA(h, l; a, b, c): u = a ⊕ b, h = a∧b ∨ u∧c, l = u ⊕ c
            LongVector d0 = LongVector.fromArray(S, src, idx[q] * stride + block);
            LongVector d1 = LongVector.fromArray(S, src, idx[q + 1] * stride + block);
            u = ones.lanewise(XOR, d0);
            LongVector twosA = ones.and(d0).or(u.and(d1));
            ones = u.lanewise(XOR, d1);
            d0 = LongVector.fromArray(S, src, idx[q + 2] * stride + block);
            d1 = LongVector.fromArray(S, src, idx[q + 3] * stride + block);
            u = ones.lanewise(XOR, d0);
            LongVector twosB = ones.and(d0).or(u.and(d1));
            ones = u.lanewise(XOR, d1);
            u = twos.lanewise(XOR, twosA);
            LongVector foursA = twos.and(twosA).or(u.and(twosB));
            twos = u.lanewise(XOR, twosB);
            d0 = LongVector.fromArray(S, src, idx[q + 4] * stride + block);
            d1 = LongVector.fromArray(S, src, idx[q + 5] * stride + block);
            u = ones.lanewise(XOR, d0);
            twosA = ones.and(d0).or(u.and(d1));
            ones = u.lanewise(XOR, d1);
            d0 = LongVector.fromArray(S, src, idx[q + 6] * stride + block);
            d1 = LongVector.fromArray(S, src, idx[q + 7] * stride + block);
            u = ones.lanewise(XOR, d0);
            twosB = ones.and(d0).or(u.and(d1));
            ones = u.lanewise(XOR, d1);
            u = twos.lanewise(XOR, twosA);
            LongVector foursB = twos.and(twosA).or(u.and(twosB));
            twos = u.lanewise(XOR, twosB);
            u = fours.lanewise(XOR, foursA);
            LongVector eightsA = fours.and(foursA).or(u.and(foursB));
            fours = u.lanewise(XOR, foursB);
            d0 = LongVector.fromArray(S, src, idx[q + 8] * stride + block);
            d1 = LongVector.fromArray(S, src, idx[q + 9] * stride + block);
            u = ones.lanewise(XOR, d0);
            twosA = ones.and(d0).or(u.and(d1));
            ones = u.lanewise(XOR, d1);
            d0 = LongVector.fromArray(S, src, idx[q + 10] * stride + block);
            d1 = LongVector.fromArray(S, src, idx[q + 11] * stride + block);
            u = ones.lanewise(XOR, d0);
            twosB = ones.and(d0).or(u.and(d1));
            ones = u.lanewise(XOR, d1);
            u = twos.lanewise(XOR, twosA);
            foursA = twos.and(twosA).or(u.and(twosB));
            twos = u.lanewise(XOR, twosB);
            d0 = LongVector.fromArray(S, src, idx[q + 12] * stride + block);
            d1 = LongVector.fromArray(S, src, idx[q + 13] * stride + block);
            u = ones.lanewise(XOR, d0);
            twosA = ones.and(d0).or(u.and(d1));
            ones = u.lanewise(XOR, d1);
            d0 = LongVector.fromArray(S, src, idx[q + 14] * stride + block);
            d1 = LongVector.fromArray(S, src, idx[q + 15] * stride + block);
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
            // half adders: s16 … s256 count the sixteens
            LongVector next = s16.and(sixteens);
            s16 = s16.lanewise(XOR, sixteens);
            sixteens = s32.and(next);
            s32 = s32.lanewise(XOR, next);
            next = s64.and(sixteens);
            s64 = s64.lanewise(XOR, sixteens);
            sixteens = s128.and(next);
            s128 = s128.lanewise(XOR, next);
            s256 = s256.lanewise(XOR, sixteens);
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
}
