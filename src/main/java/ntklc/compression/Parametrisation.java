package ntklc.compression;

import java.util.SplittableRandom;

import ntklc.activation.Activation;
import ntklc.activation.Activations;
import ntklc.special.Gaussian;

/**
 * How the solver's unknown vector {@code x} spells one compressed activation family (paper
 * Algorithm 1; docs/theory.md §6.3–6.4). Orderings are kept by reparametrisation rather than by
 * constraints: every threshold after the first is the previous one plus {@code e^u}, so the
 * unknowns are {@code (t_1, u_1, …, u_{k−1}, levels…)} and any real {@code x} is a valid activation.
 *
 * <p>Random starts (one per restart): {@code t_1 ~ 2τ'·N(0,1)}, each {@code u ~ ln τ' + N(0,1)}
 * (gaps of the order of the input scale τ'_{ℓ−1}), each free level {@code ~ scale·N(0,1)}; the
 * draws are taken in that order.
 */
sealed interface Parametrisation {
    /** The activation at {@code x}; IllegalArgumentException if x is not finite. Not modified: x. */
    Activation activation(double[] x);

    /** A random start for input scale τ' = {@code tauIn}. rng: Modified. */
    double[] start(double tauIn, SplittableRandom rng);

    /**
     * σ_T ({@code binary-zero}, paper Eq. (17)): unknowns {@code (s1, u, a)}, {@code s2 = s1 + e^u}.
     * Matched to (D1, D2, D3) only.
     */
    record SigmaT() implements Parametrisation {
        @Override
        public Activation activation(double[] x) {
            return Activations.binaryZero(x[0], x[0] + Math.exp(x[1]), x[2]);
        }

        @Override
        public double[] start(double tauIn, SplittableRandom rng) {
            return randomStart(tauIn, 2, 1, 2, rng);
        }
    }

    /**
     * σ_Q of the reference code: unknowns {@code (r1, u1, u2)}, {@code r2 = r1 + e^{u1}},
     * {@code r3 = r2 + e^{u2}}, {@code r4 = r3 + r2 − r1}, both levels fixed to
     * {@code b1 = b2 = b = √(D3²/D2 + 4τ_L²)}.
     */
    record SigmaQCode(double b) implements Parametrisation {
        @Override
        public Activation activation(double[] x) {
            double r1 = x[0];
            double r2 = r1 + Math.exp(x[1]);
            double r3 = r2 + Math.exp(x[2]);
            return Activations.binaryLast(r1, r2, r3, r3 + r2 - r1, b, b);
        }

        @Override
        public double[] start(double tauIn, SplittableRandom rng) {
            return randomStart(tauIn, 3, 0, 0, rng);
        }
    }

    /**
     * σ_Q of the paper: unknowns {@code (r1, u1, u2, b1, b2)} with {@code r4 − r3 = r2 − r1};
     * levels start at {@code levelScale·N(0,1)}.
     */
    record SigmaQPaper(double levelScale) implements Parametrisation {
        @Override
        public Activation activation(double[] x) {
            double r1 = x[0];
            double r2 = r1 + Math.exp(x[1]);
            double r3 = r2 + Math.exp(x[2]);
            return Activations.binaryLast(r1, r2, r3, r3 + r2 - r1, x[3], x[4]);
        }

        @Override
        public double[] start(double tauIn, SplittableRandom rng) {
            return randomStart(tauIn, 3, 2, levelScale, rng);
        }
    }

    /**
     * σ_Q with all six parameters free: unknowns {@code (r1, u1, u2, u3, b1, b2)},
     * {@code r_{k+1} = r_k + e^{u_k}}; levels start at {@code levelScale·N(0,1)}.
     */
    record SigmaQFree(double levelScale) implements Parametrisation {
        @Override
        public Activation activation(double[] x) {
            double r1 = x[0];
            double r2 = r1 + Math.exp(x[1]);
            double r3 = r2 + Math.exp(x[2]);
            return Activations.binaryLast(r1, r2, r3, r3 + Math.exp(x[3]), x[4], x[5]);
        }

        @Override
        public double[] start(double tauIn, SplittableRandom rng) {
            return randomStart(tauIn, 4, 2, levelScale, rng);
        }
    }

    /**
     * A K-level staircase {@code σ(u) = c_i for t_i ≤ u < t_{i+1}} (our extension, docs/compression-results.md
     * "tau-matched-Kbit"): unknowns {@code (t_1, u_1, …, u_{K−2}, c_1, …, c_{K−1})} with
     * {@code t_{i+1} = t_i + e^{u_i}}; the bottom level c_0 stays at its start value (a constant
     * offset changes none of D1, D2, D3, v, and the centring removes it). The start is
     * {@code (startThresholds, startLevels)}, the Lloyd–Max quantiser of σ_ℓ at the input scale
     * ({@link #lloyd}), jittered by {@code 0.1·N(0,1)} per unknown: the solver looks for the
     * exact solution of the moment equations next to the L²-best staircase, so that the Hermite
     * coefficients beyond D1, D2 (which the equations do not fix) stay close to σ_ℓ's.
     *
     * @param startThresholds t_1 ≤ … ≤ t_{K−1} of the start (strictly increasing)
     * @param startLevels     c_0 … c_{K−1} of the start
     */
    record Staircase(double[] startThresholds, double[] startLevels) implements Parametrisation {
        /** Grid of the quadrature behind {@link #lloyd}: ξ ∈ [−8, 8] in this many steps (cell means to ~1e−4). */
        private static final int GRID = 40000;
        private static final int LLOYD_ITERATIONS = 20000;
        /** Simpson intervals per cell of {@link #lloyd} (even). */
        private static final int CELL_STEPS = 2000;

        int levels() {
            return startLevels.length;
        }

        @Override
        public Activation activation(double[] x) {
            int k = levels();
            double[] t = new double[k - 1];
            t[0] = x[0];
            for (int i = 1; i < k - 1; i++) {
                t[i] = t[i - 1] + Math.exp(x[i]);
            }
            double[] c = new double[k];
            c[0] = startLevels[0];
            System.arraycopy(x, k - 1, c, 1, k - 1);
            return Activations.staircase(t, c);
        }

        @Override
        public double[] start(double tauIn, SplittableRandom rng) {
            int k = levels();
            double[] x = new double[2 * k - 2];
            x[0] = startThresholds[0];
            for (int i = 1; i < k - 1; i++) {
                x[i] = Math.log(startThresholds[i] - startThresholds[i - 1]);
            }
            System.arraycopy(startLevels, 1, x, k - 1, k - 1);
            for (int i = 0; i < x.length; i++) {
                x[i] += 0.1 * rng.nextGaussian();
            }
            return x;
        }

        /**
         * The Lloyd–Max K-level quantiser of the values {@code σ(τξ)}, ξ ~ N(0,1) (Lloyd 1982,
         * "Least squares quantization in PCM", IEEE Trans. Inf. Theory 28(2), §II). For a
         * non-decreasing σ every cell is an interval [t_i, t_{i+1}) of u, and the method alternates
         * thresholds t_i = the u where σ crosses (c_i + c_{i+1})/2 (bisection) and levels
         * c_i = E[σ(τξ) | t_i ≤ τξ &lt; t_{i+1}] (Simpson on the cell, ξ truncated to [−8, 8], mass by Φ),
         * until no level moves by more than 1e−12·τ (at most 20000 rounds). Started from the
         * (i + ½)/K quantiles of σ(τξ) on a grid of [−8, 8].
         *
         * @throws IllegalArgumentException if σ is not non-decreasing on the grid, or K &lt; 2
         */
        static Staircase lloyd(Activation sigma, double tau, int k) {
            if (k < 2) {
                throw new IllegalArgumentException("a staircase needs at least 2 levels");
            }
            double[] u = new double[GRID + 1];
            double[] y = new double[GRID + 1];
            double[] w = new double[GRID + 1];
            double total = 0;
            for (int j = 0; j <= GRID; j++) {
                double xi = -8 + 16.0 * j / GRID;
                u[j] = tau * xi;
                y[j] = sigma.value(u[j]);
                w[j] = Math.exp(-0.5 * xi * xi);
                total += w[j];
                if (j > 0 && y[j] < y[j - 1]) {
                    throw new IllegalArgumentException("the staircase variants need a non-decreasing activation, "
                            + sigma.spec() + " decreases near u = " + u[j]);
                }
            }
            double[] c = new double[k];
            double cumulative = 0;
            int next = 0;
            for (int j = 0; j <= GRID && next < k; j++) {
                cumulative += w[j] / total;
                while (next < k && cumulative >= (next + 0.5) / k) {
                    c[next++] = y[j];
                }
            }
            double[] t = new double[k - 1];
            double change = Double.POSITIVE_INFINITY;
            for (int iter = 0; iter < LLOYD_ITERATIONS && change > 1e-12 * tau; iter++) {
                for (int i = 0; i < k - 1; i++) {
                    t[i] = crossing(sigma, 0.5 * (c[i] + c[i + 1]), u[0], u[GRID]);
                    if (i > 0 && !(t[i] > t[i - 1])) {
                        t[i] = t[i - 1] + 1e-9 * tau;
                    }
                }
                change = 0;
                for (int i = 0; i < k; i++) {
                    double lo = i == 0 ? -8 : t[i - 1] / tau;
                    double hi = i == k - 1 ? 8 : t[i] / tau;
                    double mass = Gaussian.cdf(hi) - Gaussian.cdf(lo);
                    if (mass > 0 && hi > lo) {
                        double level = cellIntegral(sigma, tau, lo, hi) / mass;
                        change = Math.max(change, Math.abs(level - c[i]));
                        c[i] = level;
                    }
                }
            }
            return new Staircase(t, c);
        }

        /** ∫_lo^hi σ(τξ)φ(ξ) dξ by Simpson's rule on {@link #CELL_STEPS} intervals. */
        private static double cellIntegral(Activation sigma, double tau, double lo, double hi) {
            double h = (hi - lo) / CELL_STEPS;
            double sum = 0;
            for (int j = 0; j <= CELL_STEPS; j++) {
                double xi = lo + j * h;
                double weight = j == 0 || j == CELL_STEPS ? 1 : (j % 2 == 1 ? 4 : 2);
                sum += weight * sigma.value(tau * xi) * Gaussian.pdf(xi);
            }
            return sum * h / 3;
        }

        /** The smallest u in [lo, hi] with σ(u) ≥ level, by bisection (σ non-decreasing). */
        private static double crossing(Activation sigma, double level, double lo, double hi) {
            if (sigma.value(lo) >= level) {
                return lo;
            }
            for (int i = 0; i < 200 && hi - lo > 1e-14 * (1 + Math.abs(lo)); i++) {
                double m = 0.5 * (lo + hi);
                if (sigma.value(m) >= level) {
                    hi = m;
                } else {
                    lo = m;
                }
            }
            return hi;
        }
    }

    /**
     * The common random start: {@code thresholds} threshold unknowns (the first, then log-gaps)
     * followed by {@code levels} level unknowns. rng: Modified.
     */
    static double[] randomStart(double tauIn, int thresholds, int levels, double levelScale, SplittableRandom rng) {
        double[] x = new double[thresholds + levels];
        x[0] = tauIn * 2 * rng.nextGaussian();
        for (int i = 1; i < thresholds; i++) {
            x[i] = Math.log(tauIn) + rng.nextGaussian();
        }
        for (int i = thresholds; i < x.length; i++) {
            x[i] = levelScale * rng.nextGaussian();
        }
        return x;
    }

    /**
     * The usual magnitude of a σ_Q level for the targets: {@code √(D3²/D2 + 4τ_ℓ²)} (the level of
     * the reference code's {0, b} identity, docs/theory.md §6.4), without the first term where D2 = 0.
     */
    static double levelScale(MomentTargets t, double tauOut) {
        return Math.sqrt((t.d2() > 0 ? t.d3() * t.d3() / t.d2() : 0) + 4 * tauOut * tauOut);
    }
}
