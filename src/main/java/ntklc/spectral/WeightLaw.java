package ntklc.spectral;

import java.util.SplittableRandom;

import ntklc.tensor.Parallel;

/**
 * Laws of the i.i.d. hidden weights, each with mean 0 and variance 1 (Assumption 2, spec §3.1,
 * §7.1). Spelled on the command line as {@code gaussian}, {@code ternary:<ε>},
 * {@code bernoulli} (= {@code ternary:0}, the "symmetric Bernoulli" ±1 law of the paper's
 * Fig. 2 right) and {@code student-t:<dof>} (dof &gt; 2, rescaled to unit variance — unlike the
 * reference code, spec §10 item 14).
 */
public sealed interface WeightLaw permits WeightLaw.Gaussian, WeightLaw.Ternary, WeightLaw.StudentT {

    /** One weight. */
    double sample(SplittableRandom rng);

    /** The command-line spelling, parseable by {@link #parse}. */
    String spec();

    /** Fourth cumulant κ4 = E[w⁴] − 3 (spec §5.5: the term Theorem 1 omits). */
    double fourthCumulant();

    /**
     * Fills {@code w} with i.i.d. weights. Chunks are filled in parallel, each from its own
     * generator split off {@code rng} in order, so the result depends only on {@code rng}'s state
     * and the array length. {@code w} and {@code rng} are Modified.
     */
    default void fill(float[] w, SplittableRandom rng) {
        final int chunk = 1 << 16;
        int chunks = (w.length + chunk - 1) / chunk;
        SplittableRandom[] rngs = new SplittableRandom[chunks];
        for (int c = 0; c < chunks; c++) {
            rngs[c] = rng.split();
        }
        Parallel.forRange(chunks, 1, (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                int end = Math.min(w.length, (c + 1) * chunk);
                for (int i = c * chunk; i < end; i++) {
                    w[i] = (float) sample(rngs[c]);
                }
            }
        });
    }

    /** N(0, 1), by the Marsaglia polar method. */
    record Gaussian() implements WeightLaw {
        @Override
        public double sample(SplittableRandom rng) {
            return standardNormal(rng);
        }

        @Override
        public String spec() {
            return "gaussian";
        }

        @Override
        public double fourthCumulant() {
            return 0;
        }
    }

    /**
     * Sparse ternary law of paper Eq. (16): 0 with probability ε, ±1/√(1−ε) with probability
     * (1−ε)/2 each.
     */
    record Ternary(double epsilon) implements WeightLaw {
        public Ternary {
            if (!(epsilon >= 0 && epsilon < 1)) {
                throw new IllegalArgumentException("ternary sparsity ε must be in [0, 1), got " + epsilon);
            }
        }

        @Override
        public double sample(SplittableRandom rng) {
            double u = rng.nextDouble();
            if (u < epsilon) {
                return 0;
            }
            double a = 1 / Math.sqrt(1 - epsilon);
            return u < epsilon + (1 - epsilon) / 2 ? a : -a;
        }

        @Override
        public String spec() {
            return "ternary:" + epsilon;
        }

        @Override
        public double fourthCumulant() {
            return 1 / (1 - epsilon) - 3;
        }
    }

    /** Student t with {@code dof > 2} degrees of freedom, scaled by √((dof−2)/dof) to unit variance. */
    record StudentT(double dof) implements WeightLaw {
        public StudentT {
            if (!(dof > 2)) {
                throw new IllegalArgumentException("student-t needs more than 2 degrees of freedom (finite variance), got "
                        + dof);
            }
        }

        @Override
        public double sample(SplittableRandom rng) {
            // t = Z / √(χ²_ν/ν), χ²_ν = 2·Gamma(ν/2).
            double chi2 = 2 * gamma(dof / 2, rng);
            return standardNormal(rng) / Math.sqrt(chi2 / dof) * Math.sqrt((dof - 2) / dof);
        }

        @Override
        public String spec() {
            return "student-t:" + dof;
        }

        @Override
        public double fourthCumulant() {
            return dof > 4 ? 6 / (dof - 4) : Double.POSITIVE_INFINITY;
        }
    }

    /**
     * Parses {@code gaussian}, {@code bernoulli}, {@code ternary:<ε>}, {@code student-t:<dof>}.
     *
     * @throws IllegalArgumentException with the accepted spellings
     */
    static WeightLaw parse(String text) {
        String[] parts = text.split(":", -1);
        try {
            switch (parts[0]) {
                case "gaussian":
                    if (parts.length == 1) {
                        return new Gaussian();
                    }
                    break;
                case "bernoulli":
                    if (parts.length == 1) {
                        return new Ternary(0);
                    }
                    break;
                case "ternary":
                    if (parts.length == 2) {
                        return new Ternary(Double.parseDouble(parts[1]));
                    }
                    break;
                case "student-t":
                    if (parts.length == 2) {
                        return new StudentT(Double.parseDouble(parts[1]));
                    }
                    break;
                default:
                    break;
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw new IllegalArgumentException("unknown weight law '" + text
                + "' (expected gaussian, bernoulli, ternary:<ε in [0,1)>, student-t:<dof > 2>)");
    }

    /** A standard normal variate (Marsaglia polar method). */
    static double standardNormal(SplittableRandom rng) {
        double u;
        double v;
        double s;
        do {
            u = 2 * rng.nextDouble() - 1;
            v = 2 * rng.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        return u * Math.sqrt(-2 * Math.log(s) / s);
    }

    /** Gamma(shape, 1) variate: Marsaglia &amp; Tsang (2000), with the shape &lt; 1 boost. */
    static double gamma(double shape, SplittableRandom rng) {
        if (shape < 1) {
            return gamma(shape + 1, rng) * Math.pow(rng.nextDouble(), 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double z = standardNormal(rng);
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
