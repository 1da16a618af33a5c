package ntklc.spectral;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

import ntklc.activation.Activation;
import ntklc.linalg.Matrix;
import ntklc.linalg.Products;
import ntklc.nn.Initializer;
import ntklc.tensor.MatMul;
import ntklc.tensor.Tensor;

/**
 * Kernels of <b>finite</b> random networks (docs/theory.md §2.1–2.2), the Monte-Carlo side of E1:
 *
 * <ul>
 *   <li>{@link #conjugateKernel}: the empirical CK {@code (1/R) Σ_r Σ_L⁽ʳ⁾ᵀ Σ_L⁽ʳ⁾} averaged over
 *       R independent draws of all hidden weights (what the reference code's
 *       {@code calculate_CK_loop} computes), with
 *       {@code Σ_ℓ = σ̄_ℓ(W_ℓ Σ_{ℓ−1})/√d_ℓ}, {@code Σ_0 = X}, {@code σ̄_ℓ = σ_ℓ − E[σ_ℓ(τ_{ℓ−1}ξ)]}.
 *       Forward passes run in float through {@link MatMul}; the per-draw Gram matrices are
 *       accumulated in double.</li>
 *   <li>{@link #neuralTangentKernel}: the empirical NTK of the scalar network
 *       {@code f(x) = wᵀ Σ_L(x)}, {@code w ~} the same law, with respect to all weights
 *       {@code (W_1..W_L, w)}: {@code Θ_ij = Σ_θ ∂f(x_i)/∂θ · ∂f(x_j)/∂θ}, averaged over draws. Its
 *       infinite-width limit is the recursion {@code K_NTK,L = K_CK,L + K_NTK,L−1 ∘ K'_L} of
 *       {@link ExactKernels}. Computed by the explicit layer recursion (back-propagation written
 *       out): with pre-activations {@code H_ℓ = Σ_{ℓ−1} W_ℓᵀ} (n×d_ℓ),
 *       {@code Δ_L = (w ∘ σ_L'(H_L))/√d_L}, {@code Δ_ℓ = (Δ_{ℓ+1} W_{ℓ+1}) ∘ σ_ℓ'(H_ℓ)/√d_ℓ},
 *       {@code ∂f/∂W_ℓ = Δ_ℓᵀ Σ_{ℓ−1}}, so
 *       {@code Θ = Σ_L Σ_Lᵀ + Σ_ℓ (Δ_ℓ Δ_ℓᵀ) ∘ (Σ_{ℓ−1} Σ_{ℓ−1}ᵀ)} (rows are samples). In double;
 *       meant for small networks; the weights are drawn in float32 by the
 *       same {@link Initializer#fill} as everywhere else, then widened to double.</li>
 * </ul>
 * Samples are rows: {@code x} is n×p, every kernel n×n.
 */
public final class MonteCarloKernels {
    private MonteCarloKernels() {
    }

    /**
     * Empirical CK averaged over {@code draws} weight draws.
     *
     * @param x       n×p data (not modified)
     * @param tau0    τ0 of the data (fixes the centring constants through the τ-recursion)
     * @param layers  σ_1..σ_L
     * @param widths  d_1..d_L
     * @param law     law of every hidden weight
     * @param draws   R ≥ 1
     * @param rng     seeded generator (Modified)
     * @param onDraw  called with the number of draws done after each draw (progress; may be null)
     */
    public static Matrix conjugateKernel(Tensor x, double tau0, List<? extends Activation> layers, int[] widths,
                                         Initializer law, int draws, SplittableRandom rng, IntConsumer onDraw) {
        checkShapes(layers, widths, draws);
        double[] m0 = centring(tau0, layers);
        int n = x.rows();
        double[] acc = new double[n * n];
        for (int r = 0; r < draws; r++) {
            Tensor s = x;
            for (int l = 0; l < layers.size(); l++) {
                s = layer(s, law.sample(widths[l], s.cols(), rng), layers.get(l), m0[l]);
            }
            float[] g = MatMul.matmulTransB(s, s).data();
            for (int i = 0; i < acc.length; i++) {
                acc[i] += g[i];
            }
            if (onDraw != null) {
                onDraw.accept(r + 1);
            }
        }
        for (int i = 0; i < acc.length; i++) {
            acc[i] /= draws;
        }
        // Symmetrise away the float round-off of the two triangles.
        Matrix k = Matrix.wrap(acc, n, n);
        return k.plus(k.transpose()).times(0.5);
    }

    /**
     * Empirical NTK of {@code f(x) = wᵀ Σ_L(x)} averaged over {@code draws} draws of all weights
     * (see the class comment for the recursion).
     *
     * @param x      n×p data (not modified)
     * @param tau0   τ0 of the data
     * @param layers σ_1..σ_L (each with a derivative)
     * @param widths d_1..d_L
     * @param law    law of every weight, readout included
     * @param draws  R ≥ 1
     * @param rng    seeded generator (Modified)
     */
    public static Matrix neuralTangentKernel(Matrix x, double tau0, List<? extends Activation> layers, int[] widths,
                                             Initializer law, int draws, SplittableRandom rng) {
        checkShapes(layers, widths, draws);
        double[] m0 = centring(tau0, layers);
        int depth = layers.size();
        int n = x.rows();
        Matrix theta = Matrix.zeros(n, n);
        for (int r = 0; r < draws; r++) {
            Matrix[] sigma = new Matrix[depth + 1];
            Matrix[] w = new Matrix[depth + 1];
            Matrix[] dAct = new Matrix[depth + 1];
            sigma[0] = x;
            for (int l = 1; l <= depth; l++) {
                int d = widths[l - 1];
                w[l] = Matrix.fromTensor(law.sample(d, sigma[l - 1].cols(), rng));
                Matrix h = Products.multiplyTransB(sigma[l - 1], w[l]);
                Activation act = layers.get(l - 1);
                double scale = 1 / Math.sqrt(d);
                sigma[l] = Matrix.zeros(n, d);
                dAct[l] = Matrix.zeros(n, d);
                double[] hd = h.data();
                for (int i = 0; i < hd.length; i++) {
                    sigma[l].data()[i] = (act.value(hd[i]) - m0[l - 1]) * scale;
                    dAct[l].data()[i] = act.derivative(hd[i]) * scale;
                }
            }
            double[] readout = Matrix.fromTensor(law.sample(1, widths[depth - 1], rng)).data();
            theta.addInPlace(1, Products.gram(sigma[depth]));
            // Δ_L = (w ∘ σ'(H_L))/√d_L, then back through the layers.
            Matrix delta = Matrix.zeros(n, readout.length);
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < readout.length; k++) {
                    delta.set(i, k, readout[k] * dAct[depth].get(i, k));
                }
            }
            for (int l = depth; l >= 1; l--) {
                Matrix dd = Products.gram(delta);
                Matrix ss = Products.gram(sigma[l - 1]);
                double[] td = theta.data();
                for (int i = 0; i < td.length; i++) {
                    td[i] += dd.data()[i] * ss.data()[i];
                }
                if (l > 1) {
                    Matrix back = Products.multiply(delta, w[l]);
                    double[] bd = back.data();
                    double[] ad = dAct[l - 1].data();
                    for (int i = 0; i < bd.length; i++) {
                        bd[i] *= ad[i];
                    }
                    delta = back;
                }
            }
        }
        return theta.times(1.0 / draws);
    }

    /** Centring constants {@code m0_ℓ = E[σ_ℓ(τ_{ℓ−1}ξ)]}, ℓ = 1..L, along the τ-recursion. */
    static double[] centring(double tau0, List<? extends Activation> layers) {
        double[] m0 = new double[layers.size()];
        double tau = tau0;
        for (int l = 0; l < layers.size(); l++) {
            var m = layers.get(l).moments(tau);
            m0[l] = m.m0();
            tau = Math.sqrt(m.v());
        }
        return m0;
    }

    /** {@code (σ(S Wᵀ) − m0)/√d}: S is n×d_in, W is d×d_in, the result n×d. */
    private static Tensor layer(Tensor s, Tensor w, Activation act, double m0) {
        Tensor h = MatMul.matmulTransB(s, w);
        float[] hd = h.data();
        float scale = (float) (1 / Math.sqrt(w.rows()));
        ntklc.tensor.Parallel.forRange(hd.length, 1 << 14, (from, to) -> {
            for (int i = from; i < to; i++) {
                hd[i] = (float) ((act.value(hd[i]) - m0) * scale);
            }
        });
        return h;
    }

    private static void checkShapes(List<? extends Activation> layers, int[] widths, int draws) {
        if (layers.size() != widths.length || layers.isEmpty()) {
            throw new IllegalArgumentException(layers.size() + " activations but " + widths.length
                    + " widths (need one width per layer, at least one layer)");
        }
        for (int d : widths) {
            if (d < 1) {
                throw new IllegalArgumentException("widths must be positive, got " + d);
            }
        }
        if (draws < 1) {
            throw new IllegalArgumentException("need at least one weight draw, got " + draws);
        }
    }
}
