package ntklc.compression.packed;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

import ntklc.activation.Activation;
import ntklc.activation.Activations;
import ntklc.activation.PiecewiseConstant;
import ntklc.compression.Readout;
import ntklc.compression.RidgeReadout;
import ntklc.compression.SoftmaxReadout;
import ntklc.tensor.Tensor;

/**
 * The binary model file of a packed NTK-LC network and its trained readout
 * ({@code docs/theory.md §7.2–§7.3}). Big-endian throughout:
 * <pre>
 *   magic        8 bytes   "NTKLCMDL"
 *   version      int32     1 or {@value #VERSION} (below)
 *   provenance   int32 n, then n bytes of UTF-8 "key=value" lines (method, ε, widths, data options, seed)
 *   p, L         int32, int32
 *   L layers:    rows int32, cols int32,
 *                activation: int32 n + n bytes UTF-8, its command-line spelling (thresholds and levels,
 *                            written with Double.toString so they read back exactly),
 *                centring m0, s, τ_out: 3 × float64,  weight level a: float32,
 *                encoding int8 (0 signs, 1 planes, 2 rice), parameter int8 (Rice k), non-zeros int64,
 *                payload int64 n + n bytes (below)
 *   readout:     kind int8 (0 ridge, 1 softmax), K int32, d int32,
 *                ridge:   μ d × float32, B d·K × float64, ȳ K × float64, λ float64
 *                softmax: W K·d × float32, b K × float32
 *   checksum     int64     CRC-32 of every byte before it
 * </pre>
 * Weight payloads, over the entries of T in row-major order ({@code rows·cols} entries, no padding),
 * as a bit stream, most significant bit of each byte first:
 * <ul>
 *   <li>signs (no zero entry, ε = 0): one bit per entry, 1 for +1 — 1 bit per weight, the entropy
 *       of the symmetric ±1 law;</li>
 *   <li>planes: two bits per entry, (+1, −1) flags — 2 bits per weight;</li>
 *   <li>rice: per non-zero entry, the run of zeros before it (since the previous non-zero or the
 *       start) as a Rice code of parameter k (quotient {@code g >>> k} in unary as ones closed by a
 *       zero, then the k low bits) and one sign bit; the zeros after the last non-zero are implied.
 *       For i.i.d. entries the runs are geometric with p = 1 − ε, for which the best Rice code is
 *       within a few per cent of the entropy {@code H(ε) = h(ε) + (1 − ε)} bits per weight
 *       (Gallager &amp; Van Voorhis, IEEE Trans. Inf. Theory 21 (1975) 228): at ε = 0.9, k = 3 gives
 *       ≈ 0.576 bits per weight against H = 0.569.</li>
 * </ul>
 * The writer picks the smallest encoding per layer. Versions: 1 holds the networks of the paper's
 * variants (σ_T on layers 1..L−1, σ_T or σ_Q on layer L); {@value #VERSION}, the same layout, holds
 * any step activation of 2 to 16 levels on any layer (σ_Q on every layer of {@code tau-matched},
 * the 4-, 8- and 16-level staircases of {@code tau-matched-2bit/3bit/4bit}). The writer writes
 * the lowest version that holds the network, so a program that reads only version 1 refuses a
 * staircase network by its version instead of failing on its activations; both are read. Reading refuses a wrong magic or version, a
 * checksum mismatch (truncated or corrupt file) and any inconsistency, with a
 * {@link ModelFormatException} whose message says which.
 */
public final class ModelFile {
    /** The newest format version, written for networks with more than two levels before a hidden layer or more than three on the last. */
    public static final int VERSION = 2;
    /** The version of the paper's variants (two-level hidden activations), still written for them and read. */
    public static final int VERSION_TWO_LEVEL = 1;
    private static final byte[] MAGIC = "NTKLCMDL".getBytes(StandardCharsets.US_ASCII);

    private ModelFile() {
    }

    /** A saved model: network, readout and where it came from. */
    public record Model(PackedNetwork network, Readout readout, Map<String, String> provenance) {
    }

    /** A model file that cannot be read; the message says why. */
    public static final class ModelFormatException extends Exception {
        public ModelFormatException(String message) {
            super(message);
        }
    }

    /** Per-layer weight bytes of the last {@link #write} (for reports): the payload sizes. */
    public record WeightBits(long[] bits, String[] encodings) {
    }

    /**
     * Writes {@code model} to {@code out} (not closed).
     *
     * @return the weight payload size and encoding of each layer
     * @throws IllegalArgumentException for a readout that is neither ridge nor softmax
     */
    public static WeightBits write(Model model, OutputStream out) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(bytes);
        o.write(MAGIC);
        o.writeInt(version(model.network()));
        StringBuilder prov = new StringBuilder();
        model.provenance().forEach((k, v) -> prov.append(k).append('=').append(v).append('\n'));
        writeText(o, prov.toString());
        PackedNetwork net = model.network();
        o.writeInt(net.inputDim());
        o.writeInt(net.layers().size());
        List<PackedNetwork.Layer> layers = net.layers();
        long[] sizes = new long[layers.size()];
        String[] encodings = new String[layers.size()];
        for (int l = 0; l < layers.size(); l++) {
            PackedNetwork.Layer layer = layers.get(l);
            TernaryMatrix t = layer.weights();
            o.writeInt(t.rows());
            o.writeInt(t.cols());
            writeText(o, layer.activation().spec());
            o.writeDouble(layer.centring());
            o.writeDouble(layer.preScale());
            o.writeDouble(layer.tauOut());
            o.writeFloat(t.level());
            WeightCodec.Encoded e = WeightCodec.encode(t);
            o.writeByte(e.encoding());
            o.writeByte(e.parameter());
            o.writeLong(t.nonZero());
            o.writeLong(e.payload().length);
            o.write(e.payload());
            sizes[l] = 8L * e.payload().length;
            encodings[l] = WeightCodec.NAMES[e.encoding()];
        }
        writeReadout(o, model.readout());
        o.flush();
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        o.writeLong(crc.getValue());
        o.flush();
        bytes.writeTo(out);
        return new WeightBits(sizes, encodings);
    }

    /** {@link #VERSION_TWO_LEVEL} if σ_1..σ_{L−1} have two levels and σ_L at most three, else {@link #VERSION}. */
    static int version(PackedNetwork net) {
        List<PackedNetwork.Layer> layers = net.layers();
        for (int l = 0; l < layers.size(); l++) {
            int planes = layers.get(l).planes().planes();
            if (planes > (l == layers.size() - 1 ? 2 : 1)) {
                return VERSION;
            }
        }
        return VERSION_TWO_LEVEL;
    }

    private static void writeReadout(DataOutputStream o, Readout readout) throws IOException {
        if (readout instanceof RidgeReadout r) {
            int k = r.intercept().length;
            o.writeByte(0);
            o.writeInt(k);
            o.writeInt(r.mean().length);
            for (float v : r.mean()) {
                o.writeFloat(v);
            }
            for (double v : r.coefficients()) {
                o.writeDouble(v);
            }
            for (double v : r.intercept()) {
                o.writeDouble(v);
            }
            o.writeDouble(r.lambda());
        } else if (readout instanceof SoftmaxReadout s) {
            o.writeByte(1);
            o.writeInt(s.weight().rows());
            o.writeInt(s.weight().cols());
            for (float v : s.weight().data()) {
                o.writeFloat(v);
            }
            for (float v : s.bias().data()) {
                o.writeFloat(v);
            }
        } else {
            throw new IllegalArgumentException("model files hold ridge or softmax readouts, not " + readout.getClass());
        }
    }

    private static void writeText(DataOutputStream o, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        o.writeInt(b.length);
        o.write(b);
    }

    /**
     * Reads a model from the whole content of a file.
     *
     * @throws ModelFormatException for a wrong magic or version, a checksum mismatch or an inconsistent content
     */
    public static Model read(byte[] file) throws ModelFormatException {
        if (file.length < MAGIC.length + 4 || !java.util.Arrays.equals(java.util.Arrays.copyOf(file, MAGIC.length), MAGIC)) {
            throw new ModelFormatException("not an NTK-LC model file (no NTKLCMDL magic)");
        }
        ByteBuffer b = ByteBuffer.wrap(file);
        b.position(MAGIC.length);
        int version = b.getInt();
        if (version != VERSION && version != VERSION_TWO_LEVEL) {
            throw new ModelFormatException("model file version " + version + ", this program reads versions "
                    + VERSION_TWO_LEVEL + " and " + VERSION);
        }
        if (file.length < MAGIC.length + 12) {
            throw new ModelFormatException("truncated model file (" + file.length + " bytes)");
        }
        CRC32 crc = new CRC32();
        crc.update(file, 0, file.length - 8);
        long stored = ByteBuffer.wrap(file, file.length - 8, 8).getLong();
        if (stored != crc.getValue()) {
            throw new ModelFormatException("checksum mismatch: the model file is truncated or corrupt");
        }
        try {
            Map<String, String> provenance = new LinkedHashMap<>();
            for (String line : readText(b).split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    provenance.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            int p = b.getInt();
            int count = b.getInt();
            if (p < 1 || count < 1 || count > 1000) {
                throw new ModelFormatException("bad shape: p = " + p + ", " + count + " layers");
            }
            List<PackedNetwork.Layer> layers = new ArrayList<>();
            for (int l = 0; l < count; l++) {
                int rows = b.getInt();
                int cols = b.getInt();
                if (rows < 1 || cols < 1) {
                    throw new ModelFormatException("layer " + (l + 1) + ": bad shape " + rows + "×" + cols);
                }
                Activation sigma;
                try {
                    sigma = Activations.parse(readText(b));
                } catch (RuntimeException e) {
                    throw new ModelFormatException("layer " + (l + 1) + ": " + e.getMessage());
                }
                if (!(sigma instanceof PiecewiseConstant pc)) {
                    throw new ModelFormatException("layer " + (l + 1) + ": " + sigma.spec() + " is not a step activation");
                }
                double centring = b.getDouble();
                double preScale = b.getDouble();
                double tauOut = b.getDouble();
                float level = b.getFloat();
                int encoding = b.get();
                int parameter = b.get();
                long nonZero = b.getLong();
                long length = b.getLong();
                if (length < 0 || length > b.remaining()) {
                    throw new ModelFormatException("layer " + (l + 1) + ": weight payload of " + length + " bytes runs past the end");
                }
                byte[] payload = new byte[(int) length];
                b.get(payload);
                TernaryMatrix t = WeightCodec.decode(encoding, parameter, payload, rows, cols, level, nonZero);
                layers.add(new PackedNetwork.Layer(pc, t, centring, preScale, tauOut));
            }
            PackedNetwork net;
            try {
                net = new PackedNetwork(p, layers);
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(e.getMessage());
            }
            Readout readout = readReadout(b, net.outputDim());
            if (b.remaining() != 8) {
                throw new ModelFormatException((b.remaining() - 8) + " unexpected bytes after the readout");
            }
            return new Model(net, readout, provenance);
        } catch (BufferUnderflowException | IllegalArgumentException | ArithmeticException e) {
            throw new ModelFormatException("inconsistent model file: " + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage()));
        }
    }

    private static Readout readReadout(ByteBuffer b, int d) throws ModelFormatException {
        int kind = b.get();
        int k = b.getInt();
        int dd = b.getInt();
        if (kind == 0) {
            if (dd != d || k < 1) {
                throw new ModelFormatException("ridge readout of " + dd + " features and " + k + " classes after " + d + " features");
            }
            float[] mean = new float[d];
            for (int i = 0; i < d; i++) {
                mean[i] = b.getFloat();
            }
            double[] coefficients = new double[Math.multiplyExact(d, k)];
            for (int i = 0; i < coefficients.length; i++) {
                coefficients[i] = b.getDouble();
            }
            double[] intercept = new double[k];
            for (int i = 0; i < k; i++) {
                intercept[i] = b.getDouble();
            }
            return RidgeReadout.of(mean, coefficients, intercept, b.getDouble());
        }
        if (kind == 1) {
            if (dd != d || k < 1) {
                throw new ModelFormatException("softmax readout of " + dd + " features and " + k + " classes after " + d + " features");
            }
            Tensor w = Tensor.zeros(k, d);
            for (int i = 0; i < w.size(); i++) {
                w.data()[i] = b.getFloat();
            }
            Tensor bias = Tensor.zeros(k);
            for (int i = 0; i < k; i++) {
                bias.data()[i] = b.getFloat();
            }
            return SoftmaxReadout.of(w, bias);
        }
        throw new ModelFormatException("unknown readout kind " + kind);
    }

    private static String readText(ByteBuffer b) throws ModelFormatException {
        int n = b.getInt();
        if (n < 0 || n > b.remaining()) {
            throw new ModelFormatException("text field of " + n + " bytes runs past the end");
        }
        byte[] t = new byte[n];
        b.get(t);
        return new String(t, StandardCharsets.UTF_8);
    }
}
