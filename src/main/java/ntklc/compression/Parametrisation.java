package ntklc.compression;

import java.util.SplittableRandom;

import ntklc.activation.Activation;
import ntklc.activation.Activations;

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
