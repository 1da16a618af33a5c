package ntklc.compression;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Function;

import ntklc.activation.Activation;
import ntklc.activation.Activations;
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
 * Orderings are kept by reparametrisation rather than constraints: {@code s2 = s1 + e^u},
 * {@code r2 = r1 + e^{u1}}, {@code r3 = r2 + e^{u2}}. The best F is kept (for tau-preserving: the
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
            LastLayerVariant kind = last || variant == LastLayerVariant.TAU_MATCHED ? variant : LastLayerVariant.STEPWISE;
            List<Candidate> candidates = new ArrayList<>();
            for (int r = 0; r < restarts; r++) {
                Candidate c = switch (kind) {
                    case STEPWISE -> solveBinaryZero(target, tauC, rng);
                    case CODE -> solveCode(target, tauOut, tauC, rng);
                    case PAPER, TAU_PRESERVING -> solvePaper(target, tauOut, tauC, rng);
                    case TAU_MATCHED -> solveGeneral(target, tauOut, tauC, rng);
                };
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
            boolean matchesTau = (last && variant != LastLayerVariant.STEPWISE) || variant == LastLayerVariant.TAU_MATCHED;
            LayerSolution sol = new LayerSolution(l, sigma, best.activation(), best.residual(), tau, tauC, tauOut,
                    best.tauOut(), target, MomentTargets.of(matchedMoments), matchesTau, countDistinct(candidates));
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

    /** σ_T(s1, s1 + e^u, a) matched to (D1, D2, D3) at input scale τ'. */
    private static Candidate solveBinaryZero(MomentTargets t, double tauC, SplittableRandom rng) {
        Function<double[], Activation> build = x -> Activations.binaryZero(x[0], x[0] + Math.exp(x[1]), x[2]);
        double[] start = {tauC * 2 * rng.nextGaussian(), Math.log(tauC) + rng.nextGaussian(), 2 * rng.nextGaussian()};
        return polish(build, start, t, Double.NaN, tauC);
    }

    /**
     * σ_Q of the reference code: unknowns (r1, u1, u2), {@code r2 = r1 + e^{u1}}, {@code r3 = r2 + e^{u2}},
     * {@code r4 = r3 + r2 − r1}, {@code b1 = b2 = √(D3²/D2 + 4τ_L²)}.
     */
    private static Candidate solveCode(MomentTargets t, double tauL, double tauC, SplittableRandom rng) {
        if (!(t.d2() > 0)) {
            throw new IllegalArgumentException("the code variant needs E[σ''] ≠ 0 at the last layer (b = √(D3²/D2 + 4τ_L²))");
        }
        double b = Math.sqrt(t.d3() * t.d3() / t.d2() + 4 * tauL * tauL);
        Function<double[], Activation> build = x -> {
            double r1 = x[0];
            double r2 = r1 + Math.exp(x[1]);
            double r3 = r2 + Math.exp(x[2]);
            return Activations.binaryLast(r1, r2, r3, r3 + r2 - r1, b, b);
        };
        double[] start = {tauC * 2 * rng.nextGaussian(), Math.log(tauC) + rng.nextGaussian(),
            Math.log(tauC) + rng.nextGaussian()};
        return polish(build, start, t, tauL, tauC);
    }

    /** σ_Q of the paper: unknowns (r1, u1, u2, b1, b2), {@code r4 − r3 = r2 − r1}. */
    private static Candidate solvePaper(MomentTargets t, double tauL, double tauC, SplittableRandom rng) {
        double scale = Math.sqrt((t.d2() > 0 ? t.d3() * t.d3() / t.d2() : 0) + 4 * tauL * tauL);
        Function<double[], Activation> build = x -> {
            double r1 = x[0];
            double r2 = r1 + Math.exp(x[1]);
            double r3 = r2 + Math.exp(x[2]);
            return Activations.binaryLast(r1, r2, r3, r3 + r2 - r1, x[3], x[4]);
        };
        double[] start = {tauC * 2 * rng.nextGaussian(), Math.log(tauC) + rng.nextGaussian(),
            Math.log(tauC) + rng.nextGaussian(), scale * rng.nextGaussian(), scale * rng.nextGaussian()};
        return polish(build, start, t, tauL, tauC);
    }

    /** σ_Q with all six parameters free: unknowns (r1, u1, u2, u3, b1, b2), {@code r_{k+1} = r_k + e^{u_k}}. */
    private static Candidate solveGeneral(MomentTargets t, double tauL, double tauC, SplittableRandom rng) {
        double scale = Math.sqrt((t.d2() > 0 ? t.d3() * t.d3() / t.d2() : 0) + 4 * tauL * tauL);
        Function<double[], Activation> build = x -> {
            double r1 = x[0];
            double r2 = r1 + Math.exp(x[1]);
            double r3 = r2 + Math.exp(x[2]);
            return Activations.binaryLast(r1, r2, r3, r3 + Math.exp(x[3]), x[4], x[5]);
        };
        double[] start = {tauC * 2 * rng.nextGaussian(), Math.log(tauC) + rng.nextGaussian(),
            Math.log(tauC) + rng.nextGaussian(), Math.log(tauC) + rng.nextGaussian(),
            scale * rng.nextGaussian(), scale * rng.nextGaussian()};
        return polish(build, start, t, tauL, tauC);
    }

    /**
     * Runs LM on the residuals (m1² − D1, m2² − D2, m3 − D3[, v − τ_L²]) of {@code build(x)} at τ';
     * null if the start itself is not finite.
     */
    private static Candidate polish(Function<double[], Activation> build, double[] start, MomentTargets t,
                                    double tauL, double tauC) {
        boolean withTau = !Double.isNaN(tauL);
        LevenbergMarquardt.Residuals residuals = x -> {
            Activation act;
            try {
                act = build.apply(x);
            } catch (IllegalArgumentException e) {
                return nanVector(withTau ? 4 : 3);
            }
            Moments mm = act.moments(tauC);
            double[] r = {mm.m1() * mm.m1() - t.d1(), mm.m2() * mm.m2() - t.d2(), mm.m3() - t.d3()};
            if (!withTau) {
                return r;
            }
            return new double[] {mm.v() - tauL * tauL, r[0], r[1], r[2]};
        };
        LevenbergMarquardt.Result res = LevenbergMarquardt.minimize(residuals, start, MAX_ITERATIONS);
        if (!Double.isFinite(res.f())) {
            return null;
        }
        Activation act = build.apply(res.x());
        return new Candidate(act, res.f(), Math.sqrt(act.moments(tauC).v()));
    }

    private static double[] nanVector(int n) {
        double[] r = new double[n];
        java.util.Arrays.fill(r, Double.NaN);
        return r;
    }
}
