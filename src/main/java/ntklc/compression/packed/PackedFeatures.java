package ntklc.compression.packed;

import ntklc.compression.FeatureRows;
import ntklc.tensor.Parallel;
import ntklc.tensor.Tensor;

/**
 * The last-layer features {@code Σ_Lᵀ = (σ_L(·) − m0)/√d_L} of n samples held in bits: the level
 * code of every unit ({@link LevelPlanes#codeBits()} bits: 1 for σ_T, 2 for σ_Q or a 4-level
 * staircase, 4 for 16 levels), bit r of the codes in plane r, each plane {@code n×⌈d/64⌉} words,
 * sample s's word w holding units {@code 64w … 64w+63} (bit {@code i mod 64}). A feature is
 * {@code (float) ((level − m0)·(1/√d))}, the very expression of the dense network
 * ({@code RandomFeatureNetwork}), so unpacked rows equal the dense features bit for bit wherever
 * the two networks take the same piece of σ_L.
 */
public final class PackedFeatures implements FeatureRows {
    /** SPREAD[b]: bit i of the byte b moved to bit 8i, so that eight units' code bits sit one per byte. */
    private static final long[] SPREAD = new long[256];

    static {
        for (int b = 0; b < 256; b++) {
            for (int i = 0; i < 8; i++) {
                SPREAD[b] |= (long) (b >>> i & 1) << 8 * i;
            }
        }
    }

    private final int n;
    private final int d;
    private final int words;
    private final long[][] planes;
    /** value[code]: the feature of a unit whose level code is {@code code} (codes past the last level: 0). */
    private final float[] value;

    PackedFeatures(int n, int d, LevelPlanes levels, double centring) {
        this.n = n;
        this.d = d;
        this.words = TernaryMatrix.wordsPerRow(d);
        this.planes = new long[levels.codeBits()][Math.multiplyExact(n, words)];
        this.value = new float[1 << levels.codeBits()];
        double scale = 1 / Math.sqrt(d);
        for (int code = 0; code <= levels.planes(); code++) {
            value[code] = (float) ((levels.levelOfCode(code) - centring) * scale);
        }
    }

    /**
     * Stores the sample-sliced one-hot output planes of one batch ({@code out[q][j·nBlk + β]}, bit
     * s is sample {@code 64β + s}) as the level codes of rows {@code s0 … s0+b−1}; {@code s0} a
     * multiple of 64. Code bit r is the OR of the planes q with bit r of {@code q + 1} set.
     */
    void store(long[][] out, int nBlk, int s0, int b) {
        int words = out[0].length;
        for (int r = 0; r < planes.length; r++) {
            long[] code = new long[words];
            for (int q = 0; q < out.length; q++) {
                if ((q + 1 >>> r & 1) != 0) {
                    long[] plane = out[q];
                    for (int w = 0; w < words; w++) {
                        code[w] |= plane[w];
                    }
                }
            }
            long[] rows = Bits.sampleRows(code, d, nBlk, b);
            System.arraycopy(rows, 0, planes[r], s0 * this.words, rows.length);
        }
    }

    @Override
    public int rows() {
        return n;
    }

    @Override
    public int cols() {
        return d;
    }

    /** Level code (bit r from code plane r; {@link LevelPlanes#levelOfCode}) of sample s, unit j. */
    public int bits(int s, int j) {
        int b = 0;
        for (int q = 0; q < planes.length; q++) {
            b |= (int) (planes[q][s * words + (j >>> 6)] >>> j & 1) << q;
        }
        return b;
    }

    @Override
    public Tensor gather(int[] rows) {
        Tensor t = Tensor.zeros(rows.length, d);
        float[] f = t.data();
        Parallel.forRange(rows.length, 64, (from, to) -> {
            for (int r = from; r < to; r++) {
                unpackRow(rows[r], f, r * d);
            }
        });
        return t;
    }

    /**
     * The features of sample s into {@code f[at … at+d)}, eight units at a time: the byte of each
     * code plane spread one bit per byte ({@link #SPREAD}) and shifted to its code bit gives the eight
     * codes as the bytes of one long. Same values as {@code value[bits(s, j)]} unit by unit, which
     * read every plane's word again for each unit: a readout epoch over 4000 rows of 4000 four-bit
     * units unpacked in 1.8–2.0 against 4.7–6.2 ns per unit (quiet, 2 threads, AMD EPYC Zen 3).
     */
    private void unpackRow(int s, float[] f, int at) {
        int base = s * words;
        int k = planes.length;
        for (int j0 = 0; j0 < d; j0 += 8) {
            int w = base + (j0 >>> 6);
            int shift = j0 & 63;
            long codes = 0;
            for (int r = 0; r < k; r++) {
                codes |= SPREAD[(int) (planes[r][w] >>> shift) & 255] << r;
            }
            int count = Math.min(8, d - j0);
            for (int i = 0; i < count; i++) {
                f[at + j0 + i] = value[(int) (codes >>> 8 * i) & 15];
            }
        }
    }

    /** Bytes of the code planes: {@code codeBits·n·⌈d/64⌉·8}. */
    public long residentBytes() {
        return 8L * planes.length * planes[0].length;
    }
}
