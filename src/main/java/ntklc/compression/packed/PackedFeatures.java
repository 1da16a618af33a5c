package ntklc.compression.packed;

import ntklc.compression.FeatureRows;
import ntklc.tensor.Parallel;
import ntklc.tensor.Tensor;

/**
 * The last-layer features {@code Σ_Lᵀ = (σ_L(·) − m0)/√d_L} of n samples held in bits: one or two
 * planes ({@link LevelPlanes}), each {@code n×⌈d/64⌉} words, sample s's word w holding units
 * {@code 64w … 64w+63} (bit {@code i mod 64}). A feature is
 * {@code (float) ((level − m0)·(1/√d))}, the very expression of the dense network
 * ({@code RandomFeatureNetwork}), so unpacked rows equal the dense features bit for bit wherever
 * the two networks take the same piece of σ_L.
 */
public final class PackedFeatures implements FeatureRows {
    private final int n;
    private final int d;
    private final int words;
    private final long[][] planes;
    /** value[bits]: the feature of a unit whose plane bits are {@code bits}. */
    private final float[] value;

    PackedFeatures(int n, int d, LevelPlanes levels, double centring) {
        this.n = n;
        this.d = d;
        this.words = TernaryMatrix.wordsPerRow(d);
        this.planes = new long[levels.planes()][Math.multiplyExact(n, words)];
        this.value = new float[1 << levels.planes()];
        double scale = 1 / Math.sqrt(d);
        for (int bits = 0; bits < value.length; bits++) {
            value[bits] = (float) ((levels.levelOf(bits) - centring) * scale);
        }
    }

    /**
     * Stores the sample-sliced output planes of one batch ({@code out[q][j·nBlk + β]}, bit s is
     * sample {@code 64β + s}) as rows {@code s0 … s0+b−1}; {@code s0} a multiple of 64.
     */
    void store(long[][] out, int nBlk, int s0, int b) {
        for (int q = 0; q < planes.length; q++) {
            long[] rows = Bits.sampleRows(out[q], d, nBlk, b);
            System.arraycopy(rows, 0, planes[q], s0 * words, rows.length);
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

    /** Plane bits (bit q for plane q) of sample s, unit j. */
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
                int s = rows[r];
                for (int j = 0; j < d; j++) {
                    f[r * d + j] = value[bits(s, j)];
                }
            }
        });
        return t;
    }

    /** Bytes of the planes. */
    public long residentBytes() {
        return 8L * planes.length * planes[0].length;
    }
}
