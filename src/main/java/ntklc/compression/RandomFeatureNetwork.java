package ntklc.compression;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import ntklc.activation.Activation;
import ntklc.activation.Moments;
import ntklc.activation.PiecewiseConstant;
import ntklc.nn.Initializer;
import ntklc.tensor.MatMul;
import ntklc.tensor.Parallel;
import ntklc.tensor.Tensor;

/**
 * A random-feature network with frozen hidden layers (paper Eqs. (2)–(3), docs/theory.md §2.1):
 *
 * <pre>
 *   Σ_0 = X,   Σ_ℓ = (1/√d_ℓ)·( σ_ℓ(W_ℓ Σ_{ℓ−1}) − E[σ_ℓ(s_ℓ ξ)] ),   ℓ = 1..L,
 * </pre>
 * no biases. The centring constant uses the pre-activation scale {@code s_ℓ = √(w̄²_ℓ)·τ_{ℓ−1}},
 * where {@code w̄²_ℓ} is the realised mean square of W_ℓ (1 for Gaussian and ternary laws, less
 * for the sparsified baselines) and {@code τ_ℓ = √v_ℓ(s_ℓ)}, τ_0 = τ0 of the data. For NTK-LC
 * this is the compressed τ' chain of docs/theory.md §6.4.
 *
 * <p>Layout: samples are rows, so the paper's {@code W_ℓ Σ_{ℓ−1}} is computed as
 * {@code H_{ℓ−1}·W_ℓᵀ} with {@code H_{ℓ−1}: b×d_{ℓ−1}}; each layer keeps {@code W_ℓᵀ} stored
 * {@code d_{ℓ−1}×d_ℓ} row-major so the product needs no transposition. {@link #features} streams
 * the samples in batches so only {@code b×max d_ℓ} activations are alive besides the weights.
 *
 * <p>Ternary weights and step activations (NTK-LC and the quantised baselines: {@link #exact}) are
 * computed exactly ({@link ExactSums}, docs/theory.md §6.7): each layer holds its signs T_ℓ and its
 * level a_ℓ, the input rows and the values each σ_ℓ emits into the next layer lie on grids on which
 * the float GEMM sums exactly, and every pre-activation {@code a_ℓ·(T_ℓ h)} is formed in double, so
 * the packed engine decides every step on the same number and the features agree bit for bit.
 */
public final class RandomFeatureNetwork {
    /**
     * One frozen layer.
     *
     * @param activation σ_ℓ
     * @param weightsT   {@code W_ℓᵀ/level}, shape {@code d_{ℓ−1}×d_ℓ}: the weights, or the signs T_ℓᵀ of
     *                   an {@link #exact} network
     * @param level      1, or a_ℓ of an exact network ({@code W_ℓ = a_ℓ·T_ℓ})
     * @param centring   E[σ_ℓ(s_ℓ ξ)], subtracted after σ_ℓ
     * @param preScale   s_ℓ, the standard deviation of a pre-activation
     * @param tauOut     τ_ℓ = √Var σ_ℓ(s_ℓ ξ)
     * @param nonZero    number of non-zero weights
     * @param emitted    exact networks, ℓ < L: the value each piece of σ_ℓ emits into layer ℓ + 1
     *                   ({@link ExactSums#gridValues}); null otherwise
     */
    public record Layer(Activation activation, Tensor weightsT, float level, double centring, double preScale,
                        double tauOut, long nonZero, float[] emitted) {
        /** d_ℓ. */
        public int width() {
            return weightsT.cols();
        }
    }

    private final int inputDim;
    private final List<Layer> layers;
    private final boolean exact;

    private RandomFeatureNetwork(int inputDim, List<Layer> layers, boolean exact) {
        this.inputDim = inputDim;
        this.layers = List.copyOf(layers);
        this.exact = exact;
    }

    /**
     * Whether a network of this law and these activations is computed exactly (class comment):
     * ternary weights and step activations on every layer.
     */
    public static boolean exact(Initializer law, List<Activation> activations) {
        return law instanceof Initializer.SparseTernary
                && activations.stream().allMatch(a -> a instanceof PiecewiseConstant);
    }

    /** Whether this network is computed exactly ({@link #exact(Initializer, List)}). */
    public boolean exact() {
        return exact;
    }

    /**
     * Draws the hidden weights and computes the centring constants.
     *
     * @param p           input dimension d_0
     * @param widths      d_1..d_L
     * @param activations σ_1..σ_L (same length as widths)
     * @param law         weight law of every hidden layer
     * @param tau0        τ0 = √(mean ‖x_i‖²) of the training data (docs/theory.md §1.2)
     * @param rng         seeded generator (Modified)
     */
    public static RandomFeatureNetwork sample(int p, int[] widths, List<Activation> activations, Initializer law,
                                              double tau0, SplittableRandom rng) {
        if (widths.length != activations.size() || widths.length == 0) {
            throw new IllegalArgumentException(widths.length + " widths but " + activations.size() + " activations");
        }
        boolean exact = exact(law, activations);
        float a = exact ? (float) ((Initializer.SparseTernary) law).level() : 1f;
        List<Layer> layers = new ArrayList<>();
        int in = p;
        double tau = tau0;
        for (int l = 0; l < widths.length; l++) {
            int d = widths[l];
            // sampled as W_ℓ (d×in), the paper's orientation, then transposed once for the forward pass
            float[] w = law.sample(d, in, rng).data();
            double sumSq = 0;
            long nonZero = 0;
            for (float x : w) {
                sumSq += (double) x * x;
                nonZero += x != 0 ? 1 : 0;
            }
            double preScale = Math.sqrt(sumSq / w.length) * tau;
            Moments m = activations.get(l).moments(preScale);
            if (exact) {
                for (int k = 0; k < w.length; k++) {
                    w[k] /= a; // ±a/a = ±1 exactly
                }
            }
            Tensor wT = MatMul.transpose(Tensor.wrap(w, d, in));
            float[] emitted = exact && l + 1 < widths.length
                    ? ExactSums.gridValues(((PiecewiseConstant) activations.get(l)).levels(), m.m0(), d) : null;
            layers.add(new Layer(activations.get(l), wT, a, m.m0(), preScale, Math.sqrt(m.v()), nonZero, emitted));
            in = d;
            tau = Math.sqrt(m.v());
        }
        return new RandomFeatureNetwork(p, layers, exact);
    }

    /** The layers 1..L. */
    public List<Layer> layers() {
        return layers;
    }

    /** d_L, the number of features given to the readout. */
    public int outputDim() {
        return layers.get(layers.size() - 1).width();
    }

    /** Σ_ℓ d_{ℓ−1}·d_ℓ, the number of hidden weights. */
    public long weightCount() {
        long n = 0;
        for (Layer l : layers) {
            n += (long) l.weightsT().rows() * l.weightsT().cols();
        }
        return n;
    }

    /** Bytes the hidden layers occupy in memory: float32 weights and three double constants per layer. */
    public long residentBytes() {
        long b = 0;
        for (Layer l : layers) {
            b += 4L * l.weightsT().size() + 3 * 8;
        }
        return b;
    }

    /** Number of non-zero hidden weights. */
    public long nonZeroCount() {
        long n = 0;
        for (Layer l : layers) {
            n += l.nonZero();
        }
        return n;
    }

    /**
     * The last-layer features Σ_Lᵀ: row i is the feature vector of sample i.
     *
     * @param x     {@code n×p}, one sample per row (Not modified)
     * @param batch samples per forward batch (≥ 1)
     * @return {@code n×d_L}
     */
    public Tensor features(Tensor x, int batch) {
        if (x.cols() != inputDim) {
            throw new IllegalArgumentException("network expects p = " + inputDim + ", data has " + x.cols());
        }
        int n = x.rows();
        int dOut = outputDim();
        Tensor out = Tensor.zeros(n, dOut);
        for (int start = 0; start < n; start += batch) {
            int b = Math.min(batch, n - start);
            Tensor h = Tensor.wrap(Arrays.copyOfRange(x.data(), start * inputDim, (start + b) * inputDim), b, inputDim);
            if (exact) {
                for (int s = 0; s < b; s++) {
                    ExactSums.gridRow(h.data(), s * inputDim, inputDim);
                }
            }
            for (Layer layer : layers) {
                h = MatMul.matmul(h, layer.weightsT());
                if (exact) {
                    applyExact(layer, h);
                } else {
                    apply(layer, h);
                }
            }
            System.arraycopy(h.data(), 0, out.data(), start * dOut, b * dOut);
        }
        return out;
    }

    /** In place: {@code h ← (σ(h) − centring)/√d}. Modified: h. */
    private static void apply(Layer layer, Tensor h) {
        float[] z = h.data();
        Activation sigma = layer.activation();
        double c = layer.centring();
        double scale = 1 / Math.sqrt(layer.width());
        Parallel.forRange(z.length, 1 << 14, (from, to) -> {
            for (int i = from; i < to; i++) {
                z[i] = (float) ((sigma.value(z[i]) - c) * scale);
            }
        });
    }

    /**
     * In place, exact networks: {@code h ← σ(a·h)} with {@code a·h} in double (exact), emitted as the
     * layer's grid values, or as {@code (σ − centring)/√d} on the last layer. Modified: h.
     */
    private static void applyExact(Layer layer, Tensor h) {
        float[] z = h.data();
        PiecewiseConstant sigma = (PiecewiseConstant) layer.activation();
        double[] thresholds = sigma.thresholds();
        double a = layer.level();
        float[] values = layer.emitted();
        if (values == null) {
            double[] levels = sigma.levels();
            double scale = 1 / Math.sqrt(layer.width());
            values = new float[levels.length];
            for (int k = 0; k < levels.length; k++) {
                values[k] = (float) ((levels[k] - layer.centring()) * scale);
            }
        }
        float[] emit = values;
        Parallel.forRange(z.length, 1 << 14, (from, to) -> {
            for (int i = from; i < to; i++) {
                double u = a * z[i];
                int piece = 0;
                while (piece < thresholds.length && u >= thresholds[piece]) {
                    piece++;
                }
                z[i] = emit[piece];
            }
        });
    }

    /** τ0 = √((1/n) Σ_i ‖x_i‖²) of a data matrix {@code n×p} (docs/theory.md §1.2). */
    public static double tau0(Tensor x) {
        double s = 0;
        for (float v : x.data()) {
            s += (double) v * v;
        }
        return Math.sqrt(s / x.rows());
    }
}
