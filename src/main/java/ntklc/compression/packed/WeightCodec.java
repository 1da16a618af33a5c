package ntklc.compression.packed;

import ntklc.compression.packed.ModelFile.ModelFormatException;

/**
 * The weight payloads of a {@link ModelFile} (the encodings are described there): signs, planes,
 * or Rice-coded runs of zeros with a sign bit per non-zero entry.
 */
final class WeightCodec {
    static final int SIGNS = 0;
    static final int PLANES = 1;
    static final int RICE = 2;
    static final String[] NAMES = {"signs", "planes", "rice"};
    /** Largest Rice parameter tried. */
    private static final int MAX_K = 30;

    private WeightCodec() {
    }

    /** One encoded matrix. */
    record Encoded(int encoding, int parameter, byte[] payload) {
    }

    /** The smallest of the three encodings of {@code t}. */
    static Encoded encode(TernaryMatrix t) {
        long n = (long) t.rows() * t.cols();
        long[] plus = t.plusPlane();
        long[] minus = t.minusPlane();
        long[] riceBits = new long[MAX_K + 1];
        long[] last = {-1};
        forEachNonZero(t, plus, minus, (pos, sign) -> {
            long g = pos - last[0] - 1;
            last[0] = pos;
            for (int k = 0; k <= MAX_K; k++) {
                riceBits[k] += (g >>> k) + 1 + k + 1;
            }
        });
        int bestK = 0;
        for (int k = 1; k <= MAX_K; k++) {
            if (riceBits[k] < riceBits[bestK]) {
                bestK = k;
            }
        }
        long signsBits = t.nonZero() == n ? n : Long.MAX_VALUE;
        BitWriter w = new BitWriter();
        if (signsBits <= riceBits[bestK] && signsBits <= 2 * n) {
            forEachEntry(t, plus, minus, (pos, e) -> w.write(e > 0 ? 1 : 0, 1));
            return new Encoded(SIGNS, 0, w.toBytes());
        }
        if (2 * n <= riceBits[bestK]) {
            forEachEntry(t, plus, minus, (pos, e) -> w.write((e > 0 ? 2 : 0) | (e < 0 ? 1 : 0), 2));
            return new Encoded(PLANES, 0, w.toBytes());
        }
        int k = bestK;
        last[0] = -1;
        forEachNonZero(t, plus, minus, (pos, sign) -> {
            long g = pos - last[0] - 1;
            last[0] = pos;
            for (long q = g >>> k; q > 0; q -= Math.min(q, 32)) {
                int ones = (int) Math.min(q, 32);
                w.write((1L << ones) - 1, ones);
            }
            w.write(0, 1);
            w.write(g & ((1L << k) - 1), k);
            w.write(sign > 0 ? 1 : 0, 1);
        });
        return new Encoded(RICE, k, w.toBytes());
    }

    /** Reads a payload back into a matrix. */
    static TernaryMatrix decode(int encoding, int k, byte[] payload, int rows, int cols, float level, long nonZero)
            throws ModelFormatException {
        long n = (long) rows * cols;
        TernaryMatrix.Builder b = new TernaryMatrix.Builder(rows, cols, level);
        BitReader r = new BitReader(payload);
        long found = 0;
        switch (encoding) {
            case SIGNS -> {
                for (long pos = 0; pos < n; pos++) {
                    b.set((int) (pos / cols), (int) (pos % cols), r.read(1) == 1 ? 1 : -1);
                }
                found = n;
            }
            case PLANES -> {
                for (long pos = 0; pos < n; pos++) {
                    int e = (int) r.read(2);
                    if (e == 3) {
                        throw new ModelFormatException("weight entry " + pos + " flagged both +1 and −1");
                    }
                    if (e != 0) {
                        b.set((int) (pos / cols), (int) (pos % cols), e == 2 ? 1 : -1);
                        found++;
                    }
                }
            }
            case RICE -> {
                if (k < 0 || k > MAX_K) {
                    throw new ModelFormatException("Rice parameter " + k + " out of range");
                }
                long pos = -1;
                for (long q = 0; q < nonZero; q++) {
                    long g = 0;
                    while (r.read(1) == 1) {
                        g++;
                        if (g > n) {
                            throw new ModelFormatException("a run of zeros longer than the matrix");
                        }
                    }
                    g = (g << k) | r.read(k);
                    pos += g + 1;
                    if (pos >= n) {
                        throw new ModelFormatException("non-zero weight " + q + " lies past the end of the matrix");
                    }
                    b.set((int) (pos / cols), (int) (pos % cols), r.read(1) == 1 ? 1 : -1);
                }
                found = nonZero;
            }
            default -> throw new ModelFormatException("unknown weight encoding " + encoding);
        }
        TernaryMatrix t = b.pack();
        if (found != nonZero || t.nonZero() != nonZero) {
            throw new ModelFormatException("weights have " + t.nonZero() + " non-zeros, the header says " + nonZero);
        }
        return t;
    }

    @FunctionalInterface
    private interface EntryVisitor {
        void visit(long position, int entry);
    }

    /** Visits the non-zero entries in row-major order with their flat position and sign. */
    private static void forEachNonZero(TernaryMatrix t, long[] plus, long[] minus, EntryVisitor v) {
        int words = t.words();
        for (int j = 0; j < t.rows(); j++) {
            for (int w = 0; w < words; w++) {
                long p = plus[j * words + w];
                long x = p | minus[j * words + w];
                while (x != 0) {
                    int bit = Long.numberOfTrailingZeros(x);
                    v.visit((long) j * t.cols() + 64 * w + bit, (p >>> bit & 1) != 0 ? 1 : -1);
                    x &= x - 1;
                }
            }
        }
    }

    /** Visits every entry (0 included) in row-major order. */
    private static void forEachEntry(TernaryMatrix t, long[] plus, long[] minus, EntryVisitor v) {
        int words = t.words();
        for (int j = 0; j < t.rows(); j++) {
            for (int i = 0; i < t.cols(); i++) {
                int w = j * words + (i >>> 6);
                int e = (plus[w] >>> i & 1) != 0 ? 1 : (minus[w] >>> i & 1) != 0 ? -1 : 0;
                v.visit((long) j * t.cols() + i, e);
            }
        }
    }

    /** Bits appended most significant first into bytes. */
    static final class BitWriter {
        private byte[] bytes = new byte[1 << 12];
        private long size; // bits
        private long acc;
        private int accBits;

        /** Appends the low {@code count} (≤ 32) bits of {@code value}. */
        void write(long value, int count) {
            acc = (acc << count) | (value & ((1L << count) - 1));
            accBits += count;
            while (accBits >= 8) {
                accBits -= 8;
                put((byte) (acc >>> accBits));
            }
        }

        private void put(byte v) {
            int at = (int) (size >>> 3);
            if (at == bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.addExact(bytes.length, bytes.length));
            }
            bytes[at] = v;
            size += 8;
        }

        byte[] toBytes() {
            if (accBits > 0) {
                put((byte) (acc << (8 - accBits)));
                accBits = 0;
            }
            return java.util.Arrays.copyOf(bytes, (int) (size >>> 3));
        }
    }

    /** Reads what {@link BitWriter} wrote. */
    static final class BitReader {
        private final byte[] bytes;
        private long position; // bits

        BitReader(byte[] bytes) {
            this.bytes = bytes;
        }

        /** The next {@code count} (≤ 32) bits. */
        long read(int count) throws ModelFormatException {
            long v = 0;
            for (int i = 0; i < count; i++) {
                int at = (int) (position >>> 3);
                if (at >= bytes.length) {
                    throw new ModelFormatException("weight payload ends early");
                }
                v = (v << 1) | ((bytes[at] >>> (7 - (position & 7))) & 1);
                position++;
            }
            return v;
        }
    }
}
