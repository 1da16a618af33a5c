package ntklc.compression;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

import ntklc.activation.Activation;
import ntklc.activation.Moments;

/**
 * Solves the NTK-LC layer-matching equations (paper Algorithm 1 and App. A.4; docs/theory.md §6.3).
 *
 * <p>Walking the original chain (τ_ℓ = √v_ℓ(τ_{ℓ−1}), τ_0 = τ0) and the compressed chain
 * (τ'_ℓ = √v'_ℓ(τ'_{ℓ−1}), τ'_0 = τ0) side by side, layer ℓ &lt; L solves
 * <pre>
 *   F(s1, s2, a) = (m1_T² − D1*)² + (m2_T² − D2*)² + (m3_T − D3*)²,    s1 ≤ s2,
 * </pre>
 * where (D1*, D2*, D3*) = (m1², m2², m3) of σ_ℓ at τ_{ℓ−1} and the σ_T moments are taken at
 * τ'_{ℓ−1}. The last layer depends on {@link LastLayerVariant}; code and paper variants add the
 * equation {@code (v_Q − τ_L²)²}. The tau-matched variant (ours) solves that four-equation
 * σ_Q system, with all six σ_Q parameters free, on every layer.
 *
 * <p>Method: {@code restarts} seeded random starts, each polished by {@link LevenbergMarquardt}.
 * Each variant names, per layer, a {@link Parametrisation} (the unknowns and their random start)
 * and its equations ({@code LayerSystem}); orderings are kept by reparametrisation rather than
 * constraints ({@code s2 = s1 + e^u}, {@code r2 = r1 + e^{u1}}, …). The best F is kept (for tau-preserving: the
 * small-F solution whose τ'_ℓ is closest to τ_ℓ). A layer whose F exceeds {@link #SMALL_RESIDUAL}
 * produces a warning in the result; nothing is printed here.
 */
public final class NtkLcSolver {
    /** F above this is reported as "not solved" (residuals of about 1e−5 in each equation). */
    public static final double SMALL_RESIDUAL = 1e-10;
    private static final int MAX_ITERATIONS = 300;

    private NtkLcSolver() {
    }

    /** One local solution: the activation, its F and its output scale τ'. */
    private record Candidate(Activation activation, double residual, double tauOut) {
    }

    /**
     * The system one layer solves: a compressed family, the targets (D1*, D2*, D3*) and, where
     * {@code v = τ_ℓ²} is an equation, τ_ℓ. Residual vector (the order LM sees):
     * {@code (v − τ_ℓ², m1² − D1*, m2² − D2*, m3 − D3*)}, the first entry only with τ_ℓ.
     */
    private record LayerSystem(Parametrisation family, MomentTargets targets, OptionalDouble tau) {
        /**
         * The family and equations of {@code kind} for layer σ_ℓ with targets t, original output
         * scale τ_ℓ and compressed input scale τ'_{ℓ−1} = {@code tauIn}.
         */
        static LayerSystem of(LastLayerVariant kind, Activation sigma, double tauIn, MomentTargets t, double tauOut) {
            OptionalDouble tau = OptionalDouble.of(tauOut);
            if (kind.staircaseLevels() > 0) {
                return new LayerSystem(Parametrisation.Staircase.lloyd(sigma, tauIn, kind.staircaseLevels()), t, tau);
            }
            return switch (kind) {
                case STEPWISE -> new LayerSystem(new Parametrisation.SigmaT(), t, OptionalDouble.empty());
                case CODE -> {
                    if (!(t.d2() > 0)) {
                        throw new IllegalArgumentException(
                                "the code variant needs E[σ''] ≠ 0 at the last layer (b = √(D3²/D2 + 4τ_L²))");
                    }
                    yield new LayerSystem(new Parametrisation.SigmaQCode(Parametrisation.levelScale(t, tauOut)), t, tau);
                }
                case PAPER, TAU_PRESERVING ->
                        new LayerSystem(new Parametrisation.SigmaQPaper(Parametrisation.levelScale(t, tauOut)), t, tau);
                case TAU_MATCHED ->
                        new LayerSystem(new Parametrisation.SigmaQFree(Parametrisation.levelScale(t, tauOut)), t, tau);
                case TAU_MATCHED_2BIT, TAU_MATCHED_3BIT, TAU_MATCHED_4BIT ->
                        throw new AssertionError("staircase handled above");
            };
        }

        int equationCount() {
            return tau.isPresent() ? 4 : 3;
        }

        double[] residuals(Moments m) {
            double[] r = {m.m1() * m.m1() - targets.d1(), m.m2() * m.m2() - targets.d2(), m.m3() - targets.d3()};
            if (tau.isEmpty()) {
                return r;
            }
            double t = tau.getAsDouble();
            return new double[] {m.v() - t * t, r[0], r[1], r[2]};
        }
    }

    /**
     * Solves the whole chain.
     *
     * @param originals σ_1..σ_L of the dense network (L ≥ 1)
     * @param tau0      τ0 of the data (docs/theory.md §1.2)
     * @param variant   last-layer treatment
     * @param restarts  random starts per layer (≥ 1)
     * @param rng       seeded generator (Modified: advanced)
     */
    public static CompressionSolution solve(List<Activation> originals, double tau0, LastLayerVariant variant,
                                            int restarts, SplittableRandom rng) {
        if (originals.isEmpty() || restarts < 1 || !(tau0 > 0)) {
            throw new IllegalArgumentException("need at least one layer, one restart and τ0 > 0");
        }
        List<LayerSolution> layers = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        double tau = tau0;
        double tauC = tau0;
        int depth = originals.size();
        for (int l = 1; l <= depth; l++) {
            Activation sigma = originals.get(l - 1);
            Moments m = sigma.moments(tau);
            MomentTargets target = MomentTargets.of(m);
            double tauOut = Math.sqrt(m.v());
            boolean last = l == depth;
            LastLayerVariant kind = last || variant.matchesTauOnEveryLayer() ? variant : LastLayerVariant.STEPWISE;
            LayerSystem system = LayerSystem.of(kind, sigma, tauC, target, tauOut);
            List<Candidate> candidates = new ArrayList<>();
            for (int r = 0; r < restarts; r++) {
                Candidate c = polish(system, tauC, rng);
                if (c != null) {
                    candidates.add(c);
                }
            }
            if (candidates.isEmpty()) {
                throw new IllegalStateException("layer " + l + ": no restart produced a finite residual");
            }
            boolean preferTau = variant == LastLayerVariant.TAU_PRESERVING && !last;
            Candidate best = choose(candidates, preferTau ? tauOut : Double.NaN);
            Moments matchedMoments = best.activation().moments(tauC);
            LayerSolution sol = new LayerSolution(l, sigma, best.activation(), best.residual(), tau, tauC, tauOut,
                    best.tauOut(), target, MomentTargets.of(matchedMoments), system.tau().isPresent(),
                    countDistinct(candidates));
            layers.add(sol);
            if (!sol.solved()) {
                warnings.add(String.format(Locale.ROOT,
                        "layer %d (%s): F = %.3g is not small (> %.0e); the compressed moments do not match the targets",
                        l, variant.spelling(), best.residual(), SMALL_RESIDUAL));
            }
            tau = tauOut;
            tauC = best.tauOut();
        }
        double shift = tau * tau - tauC * tauC;
        return new CompressionSolution(variant, tau0, layers, shift, warnings);
    }

    /** Lowest F; with a finite {@code preferredTau}, the small-F candidate with τ' closest to it. */
    private static Candidate choose(List<Candidate> candidates, double preferredTau) {
        Candidate best = candidates.get(0);
        for (Candidate c : candidates) {
            if (c.residual() < best.residual()) {
                best = c;
            }
        }
        if (Double.isNaN(preferredTau)) {
            return best;
        }
        double admissible = Math.max(SMALL_RESIDUAL, 10 * best.residual());
        Candidate closest = best;
        for (Candidate c : candidates) {
            if (c.residual() <= admissible
                    && Math.abs(c.tauOut() - preferredTau) < Math.abs(closest.tauOut() - preferredTau)) {
                closest = c;
            }
        }
        return closest;
    }

    /** Number of distinct τ' (to 1e−6 relative) among the small-residual candidates. */
    private static int countDistinct(List<Candidate> candidates) {
        List<Double> seen = new ArrayList<>();
        for (Candidate c : candidates) {
            if (c.residual() > SMALL_RESIDUAL) {
                continue;
            }
            boolean known = false;
            for (double t : seen) {
                known |= Math.abs(t - c.tauOut()) <= 1e-6 * Math.max(1, Math.abs(t));
            }
            if (!known) {
                seen.add(c.tauOut());
            }
        }
        return seen.size();
    }

    /**
     * Runs LM from one random start on the residuals of {@code system} at τ' = {@code tauIn};
     * null if the start itself is not finite.
     */
    private static Candidate polish(LayerSystem system, double tauIn, SplittableRandom rng) {
        Parametrisation family = system.family();
        LevenbergMarquardt.Residuals residuals = x -> {
            Activation act;
            try {
                act = family.activation(x);
            } catch (IllegalArgumentException e) {
                return nanVector(system.equationCount());
            }
            return system.residuals(act.moments(tauIn));
        };
        LevenbergMarquardt.Result res = LevenbergMarquardt.minimize(residuals, family.start(tauIn, rng), MAX_ITERATIONS);
        if (!Double.isFinite(res.f())) {
            return null;
        }
        Activation act = family.activation(res.x());
        return new Candidate(act, res.f(), Math.sqrt(act.moments(tauIn).v()));
    }

    private static double[] nanVector(int n) {
        double[] r = new double[n];
        java.util.Arrays.fill(r, Double.NaN);
        return r;
    }
}
