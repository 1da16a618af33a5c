package ntklc.spectral;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

import ntklc.activation.Activation;
import ntklc.linalg.Cholesky;
import ntklc.linalg.Matrix;
import ntklc.linalg.Products;
import ntklc.nn.Initializer;
import ntklc.tensor.MatMul;
import ntklc.tensor.Parallel;
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
     * Empirical CK averaged over {@code draws} weight draws; draw {@code r} (0-based) uses the
     * {@code (r+1)}-th generator split from {@code rng}, so a run can be continued draw by draw
     * ({@link #addConjugateDraw}).
     *
     * @param x       n×p data (not modified)
     * @param tau0    τ0 of the data (fixes the centring constants through the τ-recursion)
     * @param layers  σ_1..σ_L
     * @param widths  d_1..d_L
     * @param law     law of every hidden weight
     * @param draws   R ≥ 1
     * @param rng     seeded generator (Modified: split once per draw)
     * @param onDraw  called with the number of draws done after each draw (progress; may be null)
     */
    public static Matrix conjugateKernel(Tensor x, double tau0, List<? extends Activation> layers, int[] widths,
                                         Initializer law, int draws, SplittableRandom rng, IntConsumer onDraw) {
        checkShapes(layers, widths, draws);
        double[] sum = new double[x.rows() * x.rows()];
        ConjugateDraws draw = new ConjugateDraws(x.rows(), x.cols(), widths);
        for (int r = 0; r < draws; r++) {
            draw.add(sum, x, tau0, layers, law, rng.split());
            if (onDraw != null) {
                onDraw.accept(r + 1);
            }
        }
        return mean(sum, x.rows(), draws);
    }

    /**
     * Adds one draw's {@code Σ_L Σ_Lᵀ} (n×n, float products accumulated in double) to {@code sum}.
     *
     * @param sum n×n running sum, row-major (Modified)
     * @param rng the draw's own generator (Modified)
     */
    public static void addConjugateDraw(double[] sum, Tensor x, double tau0, List<? extends Activation> layers,
                                        int[] widths, Initializer law, SplittableRandom rng) {
        checkShapes(layers, widths, 1);
        new ConjugateDraws(x.rows(), x.cols(), widths).add(sum, x, tau0, layers, law, rng);
    }

    /**
     * The buffers of one CK draw, allocated once and reused by every draw added through
     * {@link #add} (for a loop of draws; {@link #addConjugateDraw} allocates them per call): the
     * weights {@code W_ℓ} (refilled in place by {@link Initializer#fill}, the same stream as
     * {@code law.sample}), the layer outputs {@code Σ_ℓ} and the Gram blocks ({@link GramBlocks}).
     * Not thread-safe: one instance per loop.
     */
    public static final class ConjugateDraws {
        private final int n;
        private final int p;
        private final Tensor[] w;
        private final Tensor[] sigma;
        private final GramBlocks gram;
        /** The factor L of {@link #drawFirstLayerByFactor} (n×n, lower triangular), or null. */
        private Tensor factor;
        /** The data and the law L was set up for; other data or laws go through the weights. */
        private Tensor factorData;
        private Initializer factorLaw;
        /** {@code Gᵀ} ({@code d_1×n}), drawn in place of {@code W_1} when L is used. */
        private Tensor factorNoise;

        /** Buffers for {@code n×p} data and hidden widths {@code d_1..d_L}. */
        public ConjugateDraws(int n, int p, int[] widths) {
            this.n = n;
            this.p = p;
            this.w = new Tensor[widths.length];
            this.sigma = new Tensor[widths.length];
            int fanIn = p;
            for (int l = 0; l < widths.length; l++) {
                w[l] = Tensor.zeros(widths[l], fanIn);
                sigma[l] = Tensor.zeros(n, widths[l]);
                fanIn = widths[l];
            }
            this.gram = new GramBlocks(n);
        }

        /**
         * Adds one draw's {@code Σ_L Σ_Lᵀ} to {@code sum} (Modified), exactly as
         * {@link #addConjugateDraw}: {@code x} must be {@code n×p} and {@code layers} one per width.
         *
         * @param rng the draw's own generator (Modified)
         */
        public void add(double[] sum, Tensor x, double tau0, List<? extends Activation> layers, Initializer law,
                        SplittableRandom rng) {
            if (x.rows() != n || x.cols() != p || layers.size() != w.length) {
                throw new IllegalArgumentException("draw buffers are for " + n + "×" + p + " data and " + w.length
                        + " layers, got " + x.shapeString() + " and " + layers.size());
            }
            checkSum(sum, n);
            double[] m0 = centring(tau0, layers);
            Tensor s = x;
            for (int l = 0; l < w.length; l++) {
                if (l == 0 && factor != null && x == factorData && law.equals(factorLaw)) {
                    // X W_1ᵀ drawn as L G (see drawFirstLayerByFactor): G = factorNoiseᵀ.
                    law.fill(factorNoise, rng);
                    layer(factor, factorNoise, layers.get(0), m0[0], sigma[0]);
                } else {
                    law.fill(w[l], rng);
                    layer(s, w[l], layers.get(l), m0[l], sigma[l]);
                }
                s = sigma[l];
            }
            gram.addSymmetric(s.data(), s.cols(), sum);
        }

        /**
         * From now on, draws of {@link #add} on this {@code x} with this {@code law} take the first
         * layer's pre-activations {@code H_1 = X W_1ᵀ} (n×d_1) as {@code L G}, where
         * {@code L Lᵀ = X Xᵀ} (Cholesky, in double) and {@code G} is n×d_1 with i.i.d. entries of
         * the law. The two have the same distribution when the law is Gaussian: the columns
         * {@code X w_j} of {@code H_1}, {@code w_j ~ N(0, s² I_p)} independent, are independent
         * {@code N(0, s² X Xᵀ)} vectors, and so are the columns {@code L g_j} (docs/theory.md §2.2).
         * A draw then costs {@code n²d_1} multiply-adds in the first layer instead of
         * {@code n·p·d_1} (a quarter at the paper's Fig. 2 left, n = 2000, p = 8000) and
         * {@code n·d_1} normal draws instead of {@code p·d_1}; the sum is a different sample of the
         * same estimator, not the same numbers. Only for {@link Initializer.Gaussian} (other laws
         * are not closed under linear maps) and {@code n < p}; returns false, leaving the draws as
         * they are, otherwise and when {@code X Xᵀ} is not numerically positive definite (e.g.
         * repeated samples).
         *
         * @param x   the n×p data that {@link #add} will be given (not modified)
         * @param law the law {@link #add} will be given
         * @return whether the factor will be used
         */
        public boolean drawFirstLayerByFactor(Tensor x, Initializer law) {
            if (x.rows() != n || x.cols() != p || !firstLayerFactorApplies(law, n, p)) {
                return false;
            }
            Matrix l;
            try {
                l = Cholesky.factor(Products.gram(Matrix.fromTensor(x))).factorL();
            } catch (IllegalArgumentException notPositiveDefinite) {
                return false;
            }
            float[] lf = new float[n * n];
            double[] ld = l.data();
            for (int i = 0; i < lf.length; i++) {
                lf[i] = (float) ld[i];
            }
            factor = Tensor.wrap(lf, n, n);
            factorData = x;
            factorLaw = law;
            factorNoise = Tensor.zeros(w[0].rows(), n);
            return true;
        }
    }

    /**
     * Whether the first layer of a CK draw with this law on n×p data may be drawn through the factor
     * of {@code X Xᵀ} ({@link ConjugateDraws#drawFirstLayerByFactor}): Gaussian weights and
     * {@code n < p}. (The factor also needs {@code X Xᵀ} positive definite, which only the data tell.)
     */
    public static boolean firstLayerFactorApplies(Initializer law, long n, long p) {
        return law instanceof Initializer.Gaussian && n < p;
    }

    /**
     * A Gram matrix {@code Σ Σᵀ} (n×n from n×d rows) added to a double accumulator by a symmetric
     * rank-k update: only the blocks {@code (I, J)}, {@code J ≤ I}, of {@link #BLOCK} rows are
     * multiplied (float GEMMs through {@link MatMul}, one block per core at a time), about half
     * the multiply-adds of {@code Σ·Σᵀ}; each block is added at {@code (I, J)} and, transposed, at
     * {@code (J, I)}, so the increment is exactly symmetric. Holds one float block per core.
     */
    static final class GramBlocks {
        /** Rows per block: a 192×192 float block (144 KiB) stays in L2 while it is added to the accumulator. */
        static final int BLOCK = 192;
        private final int n;
        private final int blocks;
        private final ThreadLocal<float[]> buffer = ThreadLocal.withInitial(() -> new float[BLOCK * BLOCK]);

        GramBlocks(int n) {
            this.n = n;
            this.blocks = (n + BLOCK - 1) / BLOCK;
        }

        /**
         * {@code acc[i·n + j] += Σ_p s[i·d + p]·s[j·d + p]} for all i, j, the value computed once for
         * {@code j ≤ i} and mirrored. {@code acc} is Modified.
         */
        void addSymmetric(float[] s, int d, double[] acc) {
            int pairs = blocks * (blocks + 1) / 2;
            boolean split = MatMul.splitAcrossCores(n, n / 2, d);
            // Pair t ↦ (I, J), J ≤ I, in row order; contiguous ranges of pairs carry similar work.
            Parallel.forRange(pairs, split ? 1 : pairs, (t0, t1) -> {
                float[] c = buffer.get();
                for (int t = t0; t < t1; t++) {
                    int bi = (int) ((Math.sqrt(8.0 * t + 1) - 1) / 2);
                    while (bi * (bi + 1) / 2 > t) {
                        bi--;
                    }
                    while ((bi + 1) * (bi + 2) / 2 <= t) {
                        bi++;
                    }
                    int bj = t - bi * (bi + 1) / 2;
                    int i0 = bi * BLOCK;
                    int j0 = bj * BLOCK;
                    int rows = Math.min(BLOCK, n - i0);
                    int cols = Math.min(BLOCK, n - j0);
                    MatMul.gemm(false, true, rows, cols, d, s, i0 * d, s, j0 * d, c, 0, false, false);
                    for (int i = 0; i < rows; i++) {
                        int jEnd = bi == bj ? i : cols;
                        int at = (i0 + i) * n + j0;
                        for (int j = 0; j < jEnd; j++) {
                            acc[at + j] += c[i * cols + j];
                        }
                        if (bi == bj) {
                            acc[at + i] += c[i * cols + i];
                        }
                    }
                    // The transpose, into (J, I): column j of the block becomes row j0 + j.
                    for (int j = 0; j < (bi == bj ? rows : cols); j++) {
                        int at = (j0 + j) * n + i0;
                        for (int i = bi == bj ? j + 1 : 0; i < rows; i++) {
                            acc[at + i] += c[i * cols + j];
                        }
                    }
                }
            });
        }
    }

    /**
     * The average {@code sum / draws}, symmetrised ({@code (A + Aᵀ)/2}, which removes the float
     * round-off between the two triangles of the CK and leaves the NTK, symmetric by construction,
     * unchanged).
     *
     * @param sum n×n running sum, row-major (not modified)
     */
    public static Matrix mean(double[] sum, int n, int draws) {
        checkSum(sum, n);
        double[] acc = sum.clone();
        for (int i = 0; i < acc.length; i++) {
            acc[i] /= draws;
        }
        Matrix k = Matrix.wrap(acc, n, n);
        return k.plus(k.transpose()).times(0.5);
    }

    /**
     * Empirical NTK of {@code f(x) = wᵀ Σ_L(x)} averaged over {@code draws} draws of all weights
     * (see the class comment for the recursion); draw {@code r} uses the {@code (r+1)}-th
     * generator split from {@code rng} ({@link #addTangentDraw}).
     *
     * @param x      n×p data (not modified)
     * @param tau0   τ0 of the data
     * @param layers σ_1..σ_L (each with a derivative)
     * @param widths d_1..d_L
     * @param law    law of every weight, readout included
     * @param draws  R ≥ 1
     * @param rng    seeded generator (Modified: split once per draw)
     */
    public static Matrix neuralTangentKernel(Matrix x, double tau0, List<? extends Activation> layers, int[] widths,
                                             Initializer law, int draws, SplittableRandom rng) {
        checkShapes(layers, widths, draws);
        double[] sum = new double[x.rows() * x.rows()];
        for (int r = 0; r < draws; r++) {
            addTangentDraw(sum, x, tau0, layers, widths, law, rng.split());
        }
        return mean(sum, x.rows(), draws);
    }

    /**
     * Adds one draw's empirical NTK {@code Θ = Σ_L Σ_Lᵀ + Σ_ℓ (Δ_ℓ Δ_ℓᵀ) ∘ (Σ_{ℓ−1} Σ_{ℓ−1}ᵀ)}
     * (n×n, double) to {@code sum}; weights drawn W_1..W_L, then w.
     *
     * @param sum n×n running sum, row-major (Modified)
     * @param rng the draw's own generator (Modified)
     */
    public static void addTangentDraw(double[] sum, Matrix x, double tau0, List<? extends Activation> layers,
                                      int[] widths, Initializer law, SplittableRandom rng) {
        checkShapes(layers, widths, 1);
        checkSum(sum, x.rows());
        double[] m0 = centring(tau0, layers);
        int depth = layers.size();
        int n = x.rows();
        Matrix theta = Matrix.wrap(sum, n, n);
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

    private static void checkSum(double[] sum, int n) {
        if (sum.length != n * n) {
            throw new IllegalArgumentException("running sum has " + sum.length + " entries, need n² = " + n * n);
        }
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

    /**
     * {@code out = (σ(S Wᵀ) − m0)/√d}: S is n×d_in, W is d×d_in, {@code out} n×d (Modified). Each
     * core multiplies its own rows of S and centres them while they are still in cache (one fork
     * for the product and the activation together).
     */
    private static void layer(Tensor s, Tensor w, Activation act, double m0, Tensor out) {
        int n = s.rows();
        int dIn = s.cols();
        int d = w.rows();
        float[] sd = s.data();
        float[] wd = w.data();
        float[] hd = out.data();
        float scale = (float) (1 / Math.sqrt(d));
        boolean split = MatMul.splitAcrossCores(n, d, dIn);
        Parallel.forRange(n, split ? 1 : n, (r0, r1) -> {
            MatMul.gemm(false, true, r1 - r0, d, dIn, sd, r0 * dIn, wd, 0, hd, r0 * d, false, false);
            for (int i = r0 * d; i < r1 * d; i++) {
                hd[i] = (float) ((act.value(hd[i]) - m0) * scale);
            }
        });
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
