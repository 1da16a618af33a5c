package ntklc.experiments;

import java.util.List;
import java.util.SplittableRandom;

import ntklc.activation.Activation;
import ntklc.activation.Activations;
import ntklc.cli.Cli;
import ntklc.cli.Command;
import ntklc.cli.OptionSpec;
import ntklc.cli.ParsedOptions;
import ntklc.cli.UserError;
import ntklc.compression.CompressionSolution;
import ntklc.compression.LastLayerVariant;
import ntklc.compression.LayerSolution;
import ntklc.compression.NtkLcSolver;
import ntklc.report.RunFolder;
import ntklc.report.Table;
import ntklc.spectral.Coefficients;

/**
 * {@code solve}: the NTK-LC layer-matching equations of paper Algorithm 1 (docs/theory.md §6.3) for one
 * activation chain and τ0. Prints, per layer, the solved activation (in command-line syntax, ready
 * to paste into other commands), F, τ of both chains, and the matched (D1, D2, D3) beside the
 * targets; warns on standard error when a layer's F is not small. Writes {@code solution.csv}.
 */
public final class Solve implements Command {
    public static void main(String[] args) {
        Cli.runAndExit(new Solve(), args);
    }

    @Override
    public String name() {
        return "solve";
    }

    @Override
    public String summary() {
        return "solve the NTK-LC moment-matching equations for an activation chain (Algorithm 1)";
    }

    @Override
    public OptionSpec options() {
        return new OptionSpec()
                .add("activations", "relu,relu,relu", "original activation of each layer, comma-separated")
                .add("tau0", "1.0", "τ0 of the data, √(mean ‖x_i‖²) (docs/theory.md §1.2); MNIST ≈ 1.0021")
                .add("variant", "paper", "last-layer system: " + LastLayerVariant.help()
                        + " (docs/theory.md §6.2–6.6)")
                .add("restarts", "200", "random starts per layer (the reference code uses 1000–2000 with SLSQP)")
                .add("seed", "1", "seed of the random starts")
                .add("out", "", "run folder (default out/solve-<timestamp>)");
    }

    @Override
    public int run(ParsedOptions o) {
        List<Activation> chain = parseChain(o, "activations");
        double tau0 = tau0(o);
        requireMeaningful(o, "activations", chain, tau0);
        LastLayerVariant variant = LastLayerVariant.parse(o.getChoice("variant", LastLayerVariant.spellings()));
        int restarts = restarts(o);
        RunFolder run = RunFolder.create(o.getString("out"), name());
        run.writeConfig(o.effective());
        CompressionSolution solution;
        try {
            solution = NtkLcSolver.solve(chain, tau0, variant, restarts, new SplittableRandom(o.getLong("seed")));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new UserError(name() + ": " + e.getMessage() + " (τ0 = " + tau0 + ")");
        }
        Table table = solutionTable(solution);
        run.writeCsv("solution.csv", table);
        System.out.print(table.format(6));
        System.out.printf(java.util.Locale.ROOT, "identity shift τ_L² − τ'_L² = %.6g%n", solution.identityShift());
        for (String w : solution.warnings()) {
            System.err.println("warning: " + w);
        }
        System.out.println(run.dir());
        return 0;
    }

    /**
     * Bounds of {@code --tau0}: the recursions of docs/theory.md §4.1 use τ0⁴ (the identity coefficient
     * of K̃, §4.2), which must stay a normal double: {@code MIN_NORMAL^{1/4} ≈ 1.2e−77} to
     * {@code MAX_VALUE^{1/4} ≈ 1.2e77}. Data normalised as in §1.3 have τ0 ≈ 1.
     */
    static final double TAU0_MIN = Math.sqrt(Math.sqrt(Double.MIN_NORMAL));
    static final double TAU0_MAX = Math.sqrt(Math.sqrt(Double.MAX_VALUE));
    /** τ0 of data normalised as in docs/theory.md §1.2–§1.3, at which commands check chains before loading data. */
    static final double NOMINAL_TAU0 = 1;
    /** Most solver restarts per layer accepted: the reference code uses 1000–2000; 10⁶ already takes hours. */
    static final int MAX_RESTARTS = 1_000_000;

    /** {@code --tau0}, refused outside [{@link #TAU0_MIN}, {@link #TAU0_MAX}]. */
    static double tau0(ParsedOptions o) {
        double tau0 = o.getDouble("tau0");
        if (!(tau0 >= TAU0_MIN && tau0 <= TAU0_MAX)) {
            throw o.bad("tau0", o.getString("tau0"), "a positive number between 1.2e-77 and 1.2e77 (τ0⁴ must be a"
                    + " normal double; normalised data have τ0 ≈ 1)");
        }
        return tau0;
    }

    /** {@code --restarts}, in 1..{@link #MAX_RESTARTS}. */
    static int restarts(ParsedOptions o) {
        int restarts = o.getPositiveInt("restarts");
        if (restarts > MAX_RESTARTS) {
            throw o.bad("restarts", o.getString("restarts"), "at most " + MAX_RESTARTS);
        }
        return restarts;
    }

    /**
     * Refuses an activation chain whose coefficient recursion (docs/theory.md §4.1) leaves the
     * doubles at input scale {@code tau0}: some τ_ℓ reaches 0 (a layer constant on the data, e.g.
     * thresholds far beyond the data scale τ_ℓ−1) or ∞ (slopes or polynomial coefficients near the
     * double range), or some α, β is not finite. Commands whose τ0 comes from normalised data check at the nominal τ0 = 1 (§1.2, §1.3).
     *
     * @return the coefficients, all finite (κ may be NaN: undefined for activations with jumps)
     */
    static Coefficients requireMeaningful(ParsedOptions o, String option, List<Activation> chain, double tau0) {
        return requireMeaningful(o, option, chain, tau0, Coefficients.NtkRecursion.RECOMMENDED);
    }

    /** {@link #requireMeaningful(ParsedOptions, String, List, double)} with the given β/κ recursion. */
    static Coefficients requireMeaningful(ParsedOptions o, String option, List<Activation> chain, double tau0,
                                          Coefficients.NtkRecursion recursion) {
        Coefficients c;
        try {
            c = Coefficients.compute(chain, tau0, recursion);
        } catch (IllegalArgumentException e) {
            throw new UserError(o.command() + ": --" + option + ": " + Activations.chainSpec(chain) + " at τ0 = " + tau0
                    + ": " + e.getMessage() + "; keep thresholds and coefficients within a few orders of magnitude of the"
                    + " data scale");
        }
        for (Coefficients.Layer l : c.layers()) {
            double[] values = {l.tau(), l.alpha1(), l.alpha2(), l.alpha3(), l.alpha4(), l.beta1(), l.beta2(), l.beta3()};
            boolean finite = java.util.Arrays.stream(values).allMatch(Double::isFinite);
            if (!finite || !(l.tau() > 0)) {
                String what = finite ? "is constant on data of that scale (τ_" + l.layer() + " = 0)"
                        : "leaves the range of doubles (τ_" + l.layer() + " = " + l.tau() + ")";
                throw new UserError(o.command() + ": --" + option + ": " + Activations.chainSpec(chain) + " at τ0 = "
                        + tau0 + ": layer " + l.layer() + " " + what + "; keep thresholds and coefficients within a few orders"
                        + " of magnitude of the data scale");
            }
        }
        return c;
    }

    /** Parses a comma-separated activation chain option into a {@link UserError} on a mistake. */
    static List<Activation> parseChain(ParsedOptions o, String option) {
        try {
            return Activations.parseChain(o.getString(option));
        } catch (IllegalArgumentException e) {
            throw new UserError(o.command() + ": --" + option + ": " + e.getMessage());
        }
    }

    /**
     * One row per layer: {@code layer,activation,F,tau_original,tau_compressed,target_d1..d3,
     * matched_d1..d3,target_tau,matched_tau} (the last two only where τ_L is an equation).
     */
    static Table solutionTable(CompressionSolution solution) {
        Table t = new Table("layer", "activation", "F", "tau_original", "tau_compressed",
                "target_d1", "target_d2", "target_d3", "matched_d1", "matched_d2", "matched_d3",
                "target_tau", "matched_tau");
        for (LayerSolution l : solution.layers()) {
            t.add(l.layer(), l.compressed().spec(), l.residual(), l.tauOriginal(), l.tauCompressed(),
                    l.target().d1(), l.target().d2(), l.target().d3(),
                    l.matched().d1(), l.matched().d2(), l.matched().d3(),
                    l.matchesTau() ? (Object) l.tauOriginal() : "", l.matchesTau() ? (Object) l.tauCompressed() : "");
        }
        return t;
    }
}
