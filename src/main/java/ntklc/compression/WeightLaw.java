package ntklc.compression;

import java.util.Arrays;
import java.util.SplittableRandom;

import ntklc.tensor.Parallel;

/**
 * How the frozen hidden weights {@code W_ℓ ∈ R^{d_ℓ×d_{ℓ−1}}} are drawn (spec §3.1, §7.1, §9 E2).
 * Every law is sampled from a seeded generator; rows are filled in fixed blocks of
 * {@link #BLOCK_ROWS}, each with its own generator split off in order, so the matrix depends on
 * the seed only (not on the number of threads).
 *
 * <p>Command-line spellings: {@code gaussian}, {@code ternary:<ε>}, {@code ternary-exact:<ε>},
 * {@code naive-sparse:<fraction>}, {@code magnitude-prune:<fraction>}.
 */
public sealed interface WeightLaw {
    /** Rows per independently seeded block. */
    int BLOCK_ROWS = 64;

    /**
     * Draws a {@code rows×cols} matrix, row-major.
     *
     * @param rng seeded generator (Modified: advanced by one split per block)
     */
    float[] sample(int rows, int cols, SplittableRandom rng);

    /** The command-line spelling. */
    String spec();

    /** i.i.d. N(0, 1) (Assumption 2; the dense network and the naive-quantized baseline). */
    record Gaussian() implements WeightLaw {
        @Override
        public float[] sample(int rows, int cols, SplittableRandom rng) {
            return fill(rows, cols, rng, g -> (float) g.nextGaussian());
        }

        @Override
        public String spec() {
            return "gaussian";
        }
    }

    /**
     * Sparse ternary law of paper Eq. (16): 0 with probability ε, ±1/√(1−ε) with probability
     * (1−ε)/2 each; mean 0, variance 1. With {@code exactCount} the reference code's variant:
     * exactly {@code round(½(1−ε)N)} entries of each sign, shuffled over the {@code N = rows·cols}
     * positions (spec §7.1).
     */
    record Ternary(double epsilon, boolean exactCount) implements WeightLaw {
        public Ternary {
            if (!(epsilon >= 0 && epsilon < 1)) {
                throw new IllegalArgumentException("ternary sparsity ε must be in [0, 1), got " + epsilon);
            }
        }

        @Override
        public float[] sample(int rows, int cols, SplittableRandom rng) {
            float level = (float) (1 / Math.sqrt(1 - epsilon));
            if (!exactCount) {
                double half = (1 - epsilon) / 2;
                return fill(rows, cols, rng, g -> {
                    double u = g.nextDouble();
                    return u < half ? level : u < 2 * half ? -level : 0f;
                });
            }
            int n = rows * cols;
            int each = (int) Math.round(0.5 * (1 - epsilon) * n);
            float[] w = new float[n];
            Arrays.fill(w, 0, each, level);
            Arrays.fill(w, each, 2 * each, -level);
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                float t = w[i];
                w[i] = w[j];
                w[j] = t;
            }
            return w;
        }

        @Override
        public String spec() {
            return (exactCount ? "ternary-exact:" : "ternary:") + epsilon;
        }
    }

    /**
     * The "naive sparse" baseline (spec §9 E2): Gaussian weights of which a uniformly random
     * {@code fraction} is set to zero (no rescaling, as in the paper; the network accounts for the
     * lower variance when it computes its centring constants).
     */
    record NaiveSparse(double fraction) implements WeightLaw {
        public NaiveSparse {
            if (!(fraction >= 0 && fraction < 1)) {
                throw new IllegalArgumentException("naive-sparse fraction must be in [0, 1), got " + fraction);
            }
        }

        @Override
        public float[] sample(int rows, int cols, SplittableRandom rng) {
            return fill(rows, cols, rng, g -> {
                float w = (float) g.nextGaussian();
                return g.nextDouble() < fraction ? 0f : w;
            });
        }

        @Override
        public String spec() {
            return "naive-sparse:" + fraction;
        }
    }

    /**
     * Magnitude pruning (the rebuttal baseline, spec §9 E2 {@code mnist_magnitude_pruning.py}):
     * Gaussian weights, then per layer the {@code fraction} of entries with the smallest |w| set
     * to zero; the rest keep their values (no rescaling).
     */
    record MagnitudePrune(double fraction) implements WeightLaw {
        public MagnitudePrune {
            if (!(fraction >= 0 && fraction < 1)) {
                throw new IllegalArgumentException("magnitude-prune fraction must be in [0, 1), got " + fraction);
            }
        }

        @Override
        public float[] sample(int rows, int cols, SplittableRandom rng) {
            float[] w = new Gaussian().sample(rows, cols, rng);
            int prune = (int) Math.round(fraction * w.length);
            if (prune == 0) {
                return w;
            }
            float[] magnitudes = new float[w.length];
            for (int i = 0; i < w.length; i++) {
                magnitudes[i] = Math.abs(w[i]);
            }
            // NOTE: O(N log N) sort of a copy; ~1.6 GB extra at d = 20 000. A selection
            // algorithm would do, but pruning is a baseline run at moderate widths.
            Arrays.sort(magnitudes);
            float threshold = magnitudes[prune - 1];
            int zeroed = 0;
            // ties at the threshold: zero them in index order until exactly `prune` are gone
            for (int i = 0; i < w.length; i++) {
                if (Math.abs(w[i]) < threshold) {
                    w[i] = 0;
                    zeroed++;
                }
            }
            for (int i = 0; i < w.length && zeroed < prune; i++) {
                if (w[i] != 0 && Math.abs(w[i]) == threshold) {
                    w[i] = 0;
                    zeroed++;
                }
            }
            return w;
        }

        @Override
        public String spec() {
            return "magnitude-prune:" + fraction;
        }
    }

    /** Parses a command-line spelling; IllegalArgumentException with the choices otherwise. */
    static WeightLaw parse(String text) {
        String t = text.trim();
        int colon = t.indexOf(':');
        String kind = colon < 0 ? t : t.substring(0, colon);
        if (kind.equals("gaussian") && colon < 0) {
            return new Gaussian();
        }
        if (colon < 0) {
            throw new IllegalArgumentException("unknown weight law '" + t
                    + "' (gaussian, ternary:<ε>, ternary-exact:<ε>, naive-sparse:<fraction>, magnitude-prune:<fraction>)");
        }
        double x;
        try {
            x = Double.parseDouble(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("weight law '" + t + "': parameter is not a number");
        }
        return switch (kind) {
            case "ternary" -> new Ternary(x, false);
            case "ternary-exact" -> new Ternary(x, true);
            case "naive-sparse" -> new NaiveSparse(x);
            case "magnitude-prune" -> new MagnitudePrune(x);
            default -> throw new IllegalArgumentException("unknown weight law '" + t + "'");
        };
    }

    /** Per-entry sampler drawing from the given block generator. */
    @FunctionalInterface
    interface EntrySampler {
        float next(SplittableRandom g);
    }

    /** Fills rows in blocks, each block from its own generator split from {@code rng} in order. */
    private static float[] fill(int rows, int cols, SplittableRandom rng, EntrySampler sampler) {
        float[] w = new float[Math.multiplyExact(rows, cols)];
        int blocks = (rows + BLOCK_ROWS - 1) / BLOCK_ROWS;
        SplittableRandom[] gens = new SplittableRandom[blocks];
        for (int b = 0; b < blocks; b++) {
            gens[b] = rng.split();
        }
        Parallel.forRange(blocks, 1, (from, to) -> {
            for (int b = from; b < to; b++) {
                SplittableRandom g = gens[b];
                int end = Math.min(rows, (b + 1) * BLOCK_ROWS) * cols;
                for (int i = b * BLOCK_ROWS * cols; i < end; i++) {
                    w[i] = sampler.next(g);
                }
            }
        });
        return w;
    }
}
