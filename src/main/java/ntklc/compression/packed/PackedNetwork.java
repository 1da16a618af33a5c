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
 * order). Layer 1 runs on the real input by additions ({@link FirstLayerKernel}); layers 2..L count
 * bits exactly ({@link BitSlicedKernel}, {@link UnitThresholds}); σ_1..σ_{L−1} must have two levels
 * (σ_T), σ_L two or three (σ_T or σ_Q).
 *
 * <p>Memory: the weights as {@link TernaryMatrix} (2 bits per weight or less), a few constants per
 * layer, per-unit integer thresholds, and one batch of activations in bits.
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
            hidden.add(l == 0 ? null : new TernaryLayer(layer.weights(), planes.get(l - 1), layers.get(l - 1).centring(),
                    layer.activation()));
            in = layer.width();
        }
    }

    /**
     * Whether the packed engine can hold the network of {@code law} and {@code activations}: sparse
     * ternary weights, step activations, two levels on layers 1..L−1 and at most three on layer L.
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
                if (l < activations.size() - 1 && LevelPlanes.of(pc).planes() != 1) {
                    return false;
                }
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
            throw new IllegalArgumentException("the packed engine needs ternary weights and step activations (σ_T on"
                    + " layers 1..L−1), got " + law.spec() + " and " + activations);
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

    /** Number of non-zero hidden weights. */
    public long nonZeroCount() {
        long n = 0;
        for (Layer l : layers) {
            n += l.weights().nonZero();
        }
        return n;
    }

    /** Bytes the network occupies in memory: weights, per-unit thresholds, per-layer constants. */
    public long residentBytes() {
        long b = 0;
        for (int l = 0; l < layers.size(); l++) {
            b += layers.get(l).weights().residentBytes() + 3 * 8 + 8L * (planes.get(l).thresholds().length + 3);
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
        long[][] h = FirstLayerKernel.apply(layers.get(0).weights(), planes.get(0), x, inputDim, s0, b, nBlk);
        for (int l = 1; l < layers.size(); l++) {
            h = hidden.get(l).apply(h[0], nBlk, b);
        }
        return h;
    }
}
