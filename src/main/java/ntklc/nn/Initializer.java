package ntklc.nn;

import java.util.SplittableRandom;

import ntklc.tensor.Tensor;

/**
 * How a weight matrix {@code W ∈ R^{d_out×d_in}} is drawn. Each law is a record with its
 * parameters; {@link #fill} draws every entry from the given generator.
 */
public sealed interface Initializer {
    /**
     * Overwrites {@code w} ({@code d_out×d_in}, Modified) with a draw of this law.
     *
     * @param rng the source of randomness (Modified)
     */
    void fill(Tensor w, SplittableRandom rng);

    /** The text a user types on the command line for this law. */
    String spec();

    /**
     * {@code W_ij ~ N(0, σ²)} i.i.d.; {@code σ = 1} is the paper's choice for the random layers
     * (spec §3.1), whose outputs are then scaled by {@code 1/√d_in} in the forward map.
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
            float[] d = w.data();
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) (std * rng.nextGaussian());
            }
        }

        @Override
        public String spec() {
            return std == 1 ? "gaussian" : "gaussian:" + std;
        }
    }

    /**
     * Kaiming (He) normal: {@code W_ij ~ N(0, 2/d_in)} i.i.d., which keeps the second moment of
     * ReLU activations constant across layers (He et al., ICCV 2015, Eq. (10)).
     */
    record KaimingNormal() implements Initializer {
        @Override
        public void fill(Tensor w, SplittableRandom rng) {
            double std = Math.sqrt(2.0 / w.cols());
            float[] d = w.data();
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) (std * rng.nextGaussian());
            }
        }

        @Override
        public String spec() {
            return "kaiming";
        }
    }

    /**
     * Sparse ternary weights of sparsity ε (paper Eq. (16), spec §7.1): {@code W_ij = 0} with
     * probability ε and {@code ±1/√(1−ε)} with probability {@code (1−ε)/2} each, so mean 0 and
     * variance 1.
     *
     * <p>With {@code exactCount} false the entries are i.i.d. With {@code exactCount} true (what
     * the reference code does) exactly {@code round(½(1−ε)·N)} entries are {@code +1/√(1−ε)}, as many
     * are {@code −1/√(1−ε)}, the rest 0, in a uniformly random order (Fisher–Yates shuffle);
     * {@code N = d_out·d_in}.
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
            float[] d = w.data();
            if (!exactCount) {
                double half = (1 - epsilon) / 2;
                for (int i = 0; i < d.length; i++) {
                    double u = rng.nextDouble();
                    d[i] = u < half ? level : u < 2 * half ? -level : 0f;
                }
                return;
            }
            int count = signedCount(epsilon, d.length);
            java.util.Arrays.fill(d, 0f);
            java.util.Arrays.fill(d, 0, count, level);
            java.util.Arrays.fill(d, count, 2 * count, -level);
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
    }

    /**
     * Parses {@code gaussian}, {@code gaussian:STD}, {@code kaiming}, {@code ternary:EPS} or
     * {@code ternary-exact:EPS}.
     *
     * @throws IllegalArgumentException on anything else
     */
    static Initializer parse(String text) {
        String[] parts = text.trim().split(":", -1);
        try {
            switch (parts[0]) {
                case "gaussian":
                    return parts.length == 1 ? Gaussian.standard() : new Gaussian(Double.parseDouble(parts[1]));
                case "kaiming":
                    if (parts.length == 1) {
                        return new KaimingNormal();
                    }
                    break;
                case "ternary":
                case "ternary-exact":
                    if (parts.length == 2) {
                        return new SparseTernary(Double.parseDouble(parts[1]), parts[0].equals("ternary-exact"));
                    }
                    break;
                default:
                    break;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("unknown initializer '" + text
                + "' (expected gaussian, gaussian:STD, kaiming, ternary:EPS or ternary-exact:EPS)");
    }
}
