package ntklc.compression.packed;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import ntklc.activation.Activation;
import ntklc.activation.Moments;
import ntklc.activation.PiecewiseConstant;
import ntklc.compression.RandomFeatureNetwork;
import ntklc.nn.Initializer;
import ntklc.tensor.Tensor;

/**
 * An NTK-LC random-feature network (paper Eqs. (2)–(3) with the ternary weights of Eq. (16) and the
 * step activations of Algorithm 1; {@code docs/theory.md §2.1, §6.1–§6.3}) held and run in bits:
 * <pre>
 *   Σ_0 = X,   Σ_ℓ = (1/√d_ℓ)·( σ_ℓ(W_ℓ Σ_{ℓ−1}) − m0_ℓ ),   W_ℓ = a_ℓ·T_ℓ,
 * </pre>
 * the same network as {@link RandomFeatureNetwork} of the same law, activations, τ0 and seed (it
 * draws the weights through the same sampler and computes the same centring constants in the same
 * order). Layer 1 runs on the real input by additions ({@link FirstLayerKernel}); layers 2..L run
 * on the planes of the previous activation ({@link TernaryLayer}: exact bit counts against integer
 * thresholds after a two-level σ_T, exact per-plane counts or additions of the decoded levels after
 * σ_Q or a staircase). Every σ_ℓ is a step function of 2 to 16 distinct levels: σ_T and σ_Q of the
 * paper's variants, σ_Q on every layer ({@code tau-matched}), the K-level staircases
 * ({@code tau-matched-2bit/3bit/4bit}, K = 4, 8, 16).
 *
 * <p>Memory: the weights as {@link TernaryMatrix} (2 bits per weight or less), a few constants per
 * layer (m0, s, τ, the thresholds and levels of σ_ℓ), per-unit integer thresholds after a two-level
 * σ (4 bytes each), and one batch of activations in bits: K − 1 one-hot planes in flight, the
 * last layer's features stored as ⌈log2 K⌉-bit level codes ({@link PackedFeatures}).
 */
public final class PackedNetwork {
    /**
     * One layer.
     *
     * @param activation σ_ℓ
     * @param weights    T_ℓ and a_ℓ, {@code d_ℓ×d_{ℓ−1}}
     * @param centring   m0_ℓ = E[σ_ℓ(s_ℓ ξ)]
     * @param preScale   s_ℓ
     * @param tauOut     τ_ℓ
     */
    public record Layer(PiecewiseConstant activation, TernaryMatrix weights, double centring, double preScale,
                        double tauOut) {
        /** d_ℓ. */
        public int width() {
            return weights.rows();
        }

        /** The planes of σ_ℓ. */
        public LevelPlanes planes() {
            return LevelPlanes.of(activation);
        }
    }

    private final int inputDim;
    private final List<Layer> layers;
    private final List<LevelPlanes> planes = new ArrayList<>();
    /** hidden.get(ℓ) for layers 2..L (index 0 is null). */
    private final List<TernaryLayer> hidden = new ArrayList<>();

    /**
     * Assembles a network from its layers (e.g. read from a model file).
     *
     * @throws IllegalArgumentException if shapes do not chain or an activation does not fit the engine
     */
    public PackedNetwork(int inputDim, List<Layer> layers) {
        this(inputDim, layers, null);
    }

    /**
     * As above with every hidden layer after a multi-plane activation on {@code path} (COUNTS,
     * ADDITIONS or GEMM; null: {@link TernaryLayer#choose}), for tests and {@code bench}.
     */
    PackedNetwork(int inputDim, List<Layer> layers, TernaryLayer.Path path) {
        this.inputDim = inputDim;
        this.layers = List.copyOf(layers);
        int in = inputDim;
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            if (layer.weights().cols() != in) {
                throw new IllegalArgumentException("layer " + (l + 1) + " expects " + layer.weights().cols()
                        + " inputs, the previous layer has " + in);
            }
            planes.add(layer.planes());
            LevelPlanes before = l == 0 ? null : planes.get(l - 1);
            TernaryLayer.Path p = l == 0 ? null
                    : path == null || before.planes() == 1 ? TernaryLayer.choose(layer.weights(), before) : path;
            hidden.add(l == 0 ? null : new TernaryLayer(layer.weights(), before, layers.get(l - 1).centring(),
                    layer.activation(), p));
            in = layer.width();
        }
    }

    /**
     * Whether the packed engine can hold the network of {@code law} and {@code activations}: sparse
     * ternary weights and step activations of 2 to {@code LevelPlanes.MAX_PLANES + 1} distinct levels.
     */
    public static boolean supports(Initializer law, List<Activation> activations) {
        if (!(law instanceof Initializer.SparseTernary)) {
            return false;
        }
        for (int l = 0; l < activations.size(); l++) {
            if (!(activations.get(l) instanceof PiecewiseConstant pc)) {
                return false;
            }
            try {
                LevelPlanes.of(pc);
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return true;
    }

    /**
     * Draws the network exactly as {@link RandomFeatureNetwork#sample} does with the same arguments
     * (same weights, same constants), packing each weight matrix block by block.
     *
     * @param rng seeded generator (Modified, as by the dense sampler)
     * @throws IllegalArgumentException if {@link #supports} is false
     */
    public static PackedNetwork sample(int p, int[] widths, List<Activation> activations, Initializer law,
                                       double tau0, SplittableRandom rng) {
        if (widths.length != activations.size() || widths.length == 0) {
            throw new IllegalArgumentException(widths.length + " widths but " + activations.size() + " activations");
        }
        if (!supports(law, activations)) {
            throw new IllegalArgumentException("the packed engine needs ternary weights and step activations of at"
                    + " most " + (LevelPlanes.MAX_PLANES + 1) + " levels, got " + law.spec() + " and " + activations);
        }
        Initializer.SparseTernary ternary = (Initializer.SparseTernary) law;
        List<Layer> layers = new ArrayList<>();
        int in = p;
        double tau = tau0;
        for (int l = 0; l < widths.length; l++) {
            TernaryMatrix t = TernaryMatrix.sample(ternary, widths[l], in, rng);
            double preScale = Math.sqrt(meanSquare(t)) * tau;
            PiecewiseConstant sigma = (PiecewiseConstant) activations.get(l);
            Moments m = sigma.moments(preScale);
            layers.add(new Layer(sigma, t, m.m0(), preScale, Math.sqrt(m.v())));
            in = widths[l];
            tau = Math.sqrt(m.v());
        }
        return new PackedNetwork(p, layers);
    }

    /**
     * The realised mean square {@code w̄²} summed as the dense sampler sums it (every entry's square
     * added in double, in order; the zeros add nothing), so that s_ℓ agrees to the last bit.
     */
    private static double meanSquare(TernaryMatrix t) {
        double square = (double) t.level() * t.level();
        double sum = 0;
        for (long k = 0; k < t.nonZero(); k++) {
            sum += square;
        }
        return sum / (t.rows() * t.cols());
    }

    /** The layers 1..L. */
    public List<Layer> layers() {
        return layers;
    }

    /** d_0. */
    public int inputDim() {
        return inputDim;
    }

    /** d_L. */
    public int outputDim() {
        return layers.get(layers.size() - 1).width();
    }

    /** The same network with the hidden layers after multi-plane activations on {@code path} (see the constructor). */
    PackedNetwork onPath(TernaryLayer.Path path) {
        return new PackedNetwork(inputDim, layers, path);
    }

    /** The path of each hidden layer 2..L ({@link TernaryLayer#choose}). */
    public List<TernaryLayer.Path> paths() {
        List<TernaryLayer.Path> out = new ArrayList<>();
        for (int l = 1; l < hidden.size(); l++) {
            out.add(hidden.get(l).path());
        }
        return out;
    }

    /** Number of non-zero hidden weights. */
    public long nonZeroCount() {
        long n = 0;
        for (Layer l : layers) {
            n += l.weights().nonZero();
        }
        return n;
    }

    /**
     * Bytes the network occupies in memory: weights, per-unit constants ({@link TernaryLayer#thresholdBytes}),
     * per-layer constants (m0, s, τ and the level a: 4 × 8) and the level tables of σ_ℓ (its K − 1
     * thresholds and K distinct levels, 8 bytes each).
     */
    public long residentBytes() {
        long b = 0;
        for (int l = 0; l < layers.size(); l++) {
            LevelPlanes q = planes.get(l);
            b += layers.get(l).weights().residentBytes() + 4 * 8 + 8L * (q.thresholds().length + q.planes() + 1);
            if (hidden.get(l) != null) {
                b += hidden.get(l).thresholdBytes();
            }
        }
        return b;
    }

    /** The features as a dense tensor, equal to {@link RandomFeatureNetwork#features} of the same network (see class comment). */
    public Tensor features(Tensor x, int batch) {
        return packedFeatures(x, batch).toTensor();
    }

    /**
     * The last-layer features Σ_Lᵀ in bits.
     *
     * @param x     {@code n×p} (Not modified)
     * @param batch samples per forward batch (rounded up to a multiple of 64)
     */
    public PackedFeatures packedFeatures(Tensor x, int batch) {
        if (x.cols() != inputDim) {
            throw new IllegalArgumentException("network expects p = " + inputDim + ", data has " + x.cols());
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be ≥ 1, got " + batch);
        }
        int n = x.rows();
        int step = (batch + 63) / 64 * 64;
        Layer last = layers.get(layers.size() - 1);
        PackedFeatures out = new PackedFeatures(n, last.width(), planes.get(layers.size() - 1), last.centring());
        for (int s0 = 0; s0 < n; s0 += step) {
            int b = Math.min(step, n - s0);
            int nBlk = (b + 63) / 64;
            long[][] h = forwardBatch(x.data(), s0, b, nBlk);
            out.store(h, nBlk, s0, b);
        }
        return out;
    }

    /** Planes of σ_L for samples {@code s0 … s0+b−1}, sample-sliced ({@code out[q][j·nBlk + β]}). */
    long[][] forwardBatch(float[] x, int s0, int b, int nBlk) {
        long[][] h = FirstLayerKernel.apply(layers.get(0).weights(), planes.get(0), x, inputDim, s0, b, true, nBlk);
        for (int l = 1; l < layers.size(); l++) {
            h = hidden.get(l).apply(h, nBlk, b);
        }
        return h;
    }
}
