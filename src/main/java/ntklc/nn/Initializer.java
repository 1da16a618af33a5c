package ntklc.nn;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

import ntklc.tensor.Parallel;
import ntklc.tensor.Tensor;

/**
 * How a weight matrix {@code W ∈ R^{d_out×d_in}} is drawn: the one weight-law type of the code
 * base, used by the trained networks ({@link Mlp}, {@code train-mlp --init}), the Monte-Carlo
 * kernels ({@code ntklc.spectral.MonteCarloKernels}, {@code spectrum --weights}) and the random
 * feature networks of the compression ({@code ntklc.compression}, {@code compress},
 * {@code activations}). Each law is a record with its parameters; {@link #fill} draws every entry
 * from the given generator.
 *
 * <p>Reproducibility: the rows of {@code w} ({@code w.dim(0)}; for a higher-rank tensor, its
 * leading index) are filled in blocks of {@link #BLOCK_ROWS}, each block from its own generator
 * split off {@code rng} in order, in parallel. The result therefore depends on the seed and the
 * shape only, never on the number of threads. The laws that are not i.i.d. ({@link SparseTernary}
 * with exact counts, {@link MagnitudePrune}) say how they differ.
 *
 * <p>Command-line spellings ({@link #parse}): {@value #SPELLINGS}.
 */
public sealed interface Initializer {
    /** Rows per independently seeded block of {@link #fill}. */
    int BLOCK_ROWS = 64;

    /** Every spelling {@link #parse} accepts, for help texts and error messages. */
    String SPELLINGS = "gaussian | gaussian:<std> | kaiming | bernoulli | ternary:<ε> | ternary-exact:<ε>"
            + " | student-t:<dof> | naive-sparse:<fraction> | magnitude-prune:<fraction>";

    /**
     * Overwrites {@code w} (any shape, usually {@code d_out×d_in}; Modified) with a draw of this law.
     *
     * @param rng the source of randomness (Modified)
     */
    void fill(Tensor w, SplittableRandom rng);

    /** The text a user types on the command line for this law; {@link #parse} reads it back. */
    String spec();

    /**
     * Fourth cumulant {@code κ4 = E[w⁴] − 3(E[w²])²} of one entry; for the unit-variance laws
     * this is {@code E[w⁴] − 3}, the term Theorem 1 omits (docs/theory.md §4.2). {@code NaN} where the law is
     * not i.i.d. and no closed form is given here.
     */
    double fourthCumulant();

    /** A fresh {@code rows×cols} matrix drawn by {@link #fill}. */
    default Tensor sample(int rows, int cols, SplittableRandom rng) {
        Tensor w = Tensor.zeros(rows, cols);
        fill(w, rng);
        return w;
    }

    /**
     * {@code W_ij ~ N(0, σ²)} i.i.d.; {@code σ = 1} is the paper's choice for the random layers
     * (Assumption 2, docs/theory.md §2.1), whose outputs are then scaled by {@code 1/√d_in} in the forward
     * map. Also the dense network and the naive-quantized baseline of the compression (docs/theory.md §8.2).
     */
    record Gaussian(double std) implements Initializer {
        public Gaussian {
            if (!(std >= 0)) {
                throw new IllegalArgumentException("standard deviation must be ≥ 0, got " + std);
            }
        }

        /** N(0, 1). */
        public static Gaussian standard() {
            return new Gaussian(1);
        }

        @Override
        public void fill(Tensor w, SplittableRandom rng) {
            fillIid(w, rng, g -> (float) (std * g.nextGaussian()));
        }

        @Override
        public String spec() {
            return std == 1 ? "gaussian" : "gaussian:" + std;
        }

        @Override
        public double fourthCumulant() {
            return 0;
        }
    }

    /**
     * Kaiming (He) normal: {@code W_ij ~ N(0, 2/d_in)} i.i.d., which keeps the second moment of
     * ReLU activations constant across layers (He et al., ICCV 2015, Eq. (10)); {@code d_in} is
     * {@code w.cols()}.
     */
    record KaimingNormal() implements Initializer {
        @Override
        public void fill(Tensor w, SplittableRandom rng) {
            double std = Math.sqrt(2.0 / w.cols());
            fillIid(w, rng, g -> (float) (std * g.nextGaussian()));
        }

        @Override
        public String spec() {
            return "kaiming";
        }

        @Override
        public double fourthCumulant() {
            return 0;
        }
    }

    /**
     * Sparse ternary weights of sparsity ε (paper Eq. (16), docs/theory.md §6.1): {@code W_ij = 0} with
     * probability ε and {@code ±1/√(1−ε)} with probability {@code (1−ε)/2} each, so mean 0 and
     * variance 1; {@code ε = 0} is the symmetric Bernoulli ±1 law of the paper's Fig. 2 right
     * (spelled {@code bernoulli}).
     *
     * <p>With {@code exactCount} false the entries are i.i.d. With {@code exactCount} true (what
     * the reference code does) exactly {@code round(½(1−ε)·N)} entries are {@code +1/√(1−ε)}, as many
     * are {@code −1/√(1−ε)}, the rest 0, in a uniformly random order (Fisher–Yates shuffle, drawn
     * from {@code rng} itself, sequentially); {@code N = w.size()}.
     *
     * @param epsilon sparsity ε ∈ [0, 1)
     */
    record SparseTernary(double epsilon, boolean exactCount) implements Initializer {
        public SparseTernary {
            if (!(epsilon >= 0 && epsilon < 1)) {
                throw new IllegalArgumentException("sparsity ε must be in [0, 1), got " + epsilon);
            }
        }

        /** The non-zero magnitude {@code 1/√(1−ε)}. */
        public double level() {
            return 1 / Math.sqrt(1 - epsilon);
        }

        /** Number of {@code +level} (and of {@code −level}) entries in the exact-count variant. */
        public static int signedCount(double epsilon, int n) {
            return (int) Math.round(0.5 * (1 - epsilon) * n);
        }

        @Override
        public void fill(Tensor w, SplittableRandom rng) {
            float level = (float) level();
            if (!exactCount) {
                double half = (1 - epsilon) / 2;
                fillIid(w, rng, g -> {
                    double u = g.nextDouble();
                    return u < half ? level : u < 2 * half ? -level : 0f;
                });
                return;
            }
            float[] d = w.data();
            int count = signedCount(epsilon, d.length);
            Arrays.fill(d, 0f);
            Arrays.fill(d, 0, count, level);
            Arrays.fill(d, count, 2 * count, -level);
            for (int i = d.length - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                float t = d[i];
                d[i] = d[j];
                d[j] = t;
            }
        }

        @Override
        public String spec() {
            return (exactCount ? "ternary-exact:" : "ternary:") + epsilon;
        }

        /** {@code E[w⁴] − 3 = 1/(1−ε) − 3} (unit variance); the exact-count variant has the same marginal. */
        @Override
        public double fourthCumulant() {
            return 1 / (1 - epsilon) - 3;
        }
    }

    /**
     * Student t with {@code dof > 2} degrees of freedom, scaled by {@code √((dof−2)/dof)} to unit
     * variance (unlike the reference code, docs/theory.md §9 item 14): a heavy-tailed law for the
     * universality check of docs/theory.md §4.2.
     */
    record StudentT(double dof) implements Initializer {
        public StudentT {
            if (!(dof > 2)) {
                throw new IllegalArgumentException("student-t needs more than 2 degrees of freedom (finite variance), got "
                        + dof);
            }
        }

        @Override
        public void fill(Tensor w, SplittableRandom rng) {
            double unitVariance = Math.sqrt((dof - 2) / dof);
            fillIid(w, rng, g -> {
                // t = Z / √(χ²_ν/ν), χ²_ν = 2·Gamma(ν/2).
                double chi2 = 2 * gamma(dof / 2, g);
                return (float) (g.nextGaussian() / Math.sqrt(chi2 / dof) * unitVariance);
            });
        }

        @Override
        public String spec() {
            return "student-t:" + dof;
        }

        /** {@code 6/(dof − 4)} for {@code dof > 4}, infinite otherwise. */
        @Override
        public double fourthCumulant() {
            return dof > 4 ? 6 / (dof - 4) : Double.POSITIVE_INFINITY;
        }

        /** Gamma(shape, 1) variate: Marsaglia &amp; Tsang (2000), with the shape &lt; 1 boost. */
        private static double gamma(double shape, SplittableRandom rng) {
            if (shape < 1) {
                return gamma(shape + 1, rng) * Math.pow(rng.nextDouble(), 1 / shape);
            }
            double d = shape - 1.0 / 3;
            double c = 1 / Math.sqrt(9 * d);
            while (true) {
                double z = rng.nextGaussian();
                double v = 1 + c * z;
                if (v <= 0) {
                    continue;
                }
                v = v * v * v;
                double u = rng.nextDouble();
                if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) {
                    return d * v;
                }
            }
        }
    }

    /**
     * The "naive sparse" baseline (docs/theory.md §8.2): N(0, 1) weights of which each is set to zero with
     * probability {@code fraction}, independently (no rescaling, as in the paper; the network
     * accounts for the lower variance {@code 1 − fraction} when it computes its centring constants).
     */
    record NaiveSparse(double fraction) implements Initializer {
        public NaiveSparse {
            if (!(fraction >= 0 && fraction < 1)) {
                throw new IllegalArgumentException("naive-sparse fraction must be in [0, 1), got " + fraction);
            }
        }

        @Override
        public void fill(Tensor w, SplittableRandom rng) {
            fillIid(w, rng, g -> {
                float x = (float) g.nextGaussian();
                return g.nextDouble() < fraction ? 0f : x;
            });
        }

        @Override
        public String spec() {
            return "naive-sparse:" + fraction;
        }

        /** With f = fraction: E[w²] = 1 − f, E[w⁴] = 3(1 − f), so κ4 = 3f(1 − f). */
        @Override
        public double fourthCumulant() {
            return 3 * fraction * (1 - fraction);
        }
    }

    /**
     * Magnitude pruning (the rebuttal baseline, docs/theory.md §8.2 {@code mnist_magnitude_pruning.py}):
     * N(0, 1) weights drawn as by {@link Gaussian}, then the {@code round(fraction·N)} entries of
     * the whole tensor with the smallest |w| set to zero (ties at the threshold in index order);
     * the rest keep their values (no rescaling). Not i.i.d.
     */
    record MagnitudePrune(double fraction) implements Initializer {
        public MagnitudePrune {
            if (!(fraction >= 0 && fraction < 1)) {
                throw new IllegalArgumentException("magnitude-prune fraction must be in [0, 1), got " + fraction);
            }
        }

        @Override
        public void fill(Tensor w, SplittableRandom rng) {
            Gaussian.standard().fill(w, rng);
            float[] d = w.data();
            int prune = (int) Math.round(fraction * d.length);
            if (prune == 0) {
                return;
            }
            float[] magnitudes = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                magnitudes[i] = Math.abs(d[i]);
            }
            // NOTE: O(N log N) sort of a copy; ~1.6 GB extra at d = 20 000. A selection
            // algorithm would do, but pruning is a baseline run at moderate widths.
            Arrays.sort(magnitudes);
            float threshold = magnitudes[prune - 1];
            int zeroed = 0;
            for (int i = 0; i < d.length; i++) {
                if (Math.abs(d[i]) < threshold) {
                    d[i] = 0;
                    zeroed++;
                }
            }
            // ties at the threshold: zero them in index order until exactly `prune` are gone
            for (int i = 0; i < d.length && zeroed < prune; i++) {
                if (d[i] != 0 && Math.abs(d[i]) == threshold) {
                    d[i] = 0;
                    zeroed++;
                }
            }
        }

        @Override
        public String spec() {
            return "magnitude-prune:" + fraction;
        }

        /** Not i.i.d.: no closed form here. */
        @Override
        public double fourthCumulant() {
            return Double.NaN;
        }
    }

    /**
     * Parses one of {@value #SPELLINGS}; surrounding blanks are ignored, {@code bernoulli} is
     * {@code ternary:0}.
     *
     * @throws IllegalArgumentException on anything else, or a parameter out of its range
     */
    static Initializer parse(String text) {
        String[] parts = text.trim().split(":", -1);
        try {
            if (parts.length == 1) {
                switch (parts[0]) {
                    case "gaussian":
                        return Gaussian.standard();
                    case "kaiming":
                        return new KaimingNormal();
                    case "bernoulli":
                        return new SparseTernary(0, false);
                    default:
                        break;
                }
            } else if (parts.length == 2) {
                double x = Double.parseDouble(parts[1]);
                switch (parts[0]) {
                    case "gaussian":
                        return new Gaussian(x);
                    case "ternary":
                        return new SparseTernary(x, false);
                    case "ternary-exact":
                        return new SparseTernary(x, true);
                    case "student-t":
                        return new StudentT(x);
                    case "naive-sparse":
                        return new NaiveSparse(x);
                    case "magnitude-prune":
                        return new MagnitudePrune(x);
                    default:
                        break;
                }
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("unknown initializer (weight law) '" + text + "' (expected "
                + SPELLINGS + ")");
    }

    /**
     * Fills {@code w} entry by entry from {@code sampler} (one entry from a block's generator), in
     * blocks of {@link #BLOCK_ROWS} leading rows, each block from its own generator split off
     * {@code rng} in order (see the interface comment). {@code w} and {@code rng} are Modified.
     */
    private static void fillIid(Tensor w, SplittableRandom rng, ToDoubleFunction<SplittableRandom> sampler) {
        float[] d = w.data();
        if (d.length == 0) {
            return;
        }
        int rows = w.dim(0);
        int rowLength = d.length / rows;
        int blocks = (rows + BLOCK_ROWS - 1) / BLOCK_ROWS;
        SplittableRandom[] gens = new SplittableRandom[blocks];
        for (int b = 0; b < blocks; b++) {
            gens[b] = rng.split();
        }
        Parallel.forRange(blocks, 1, (from, to) -> {
            for (int b = from; b < to; b++) {
                SplittableRandom g = gens[b];
                int end = Math.min(rows, (b + 1) * BLOCK_ROWS) * rowLength;
                for (int i = b * BLOCK_ROWS * rowLength; i < end; i++) {
                    d[i] = (float) sampler.applyAsDouble(g);
                }
            }
        });
    }
}
