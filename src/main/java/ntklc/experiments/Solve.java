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
        double tau0 = o.getDouble("tau0");
        if (!(tau0 > 0)) {
            throw o.bad("tau0", o.getString("tau0"), "a positive number");
        }
        LastLayerVariant variant = LastLayerVariant.parse(o.getChoice("variant", LastLayerVariant.spellings()));
        int restarts = o.getInt("restarts");
        if (restarts < 1) {
            throw o.bad("restarts", o.getString("restarts"), "a positive integer");
        }
        RunFolder run = RunFolder.create(o.getString("out"), name());
        run.writeConfig(o.effective());
        CompressionSolution solution;
        try {
            solution = NtkLcSolver.solve(chain, tau0, variant, restarts, new SplittableRandom(o.getLong("seed")));
        } catch (IllegalArgumentException e) {
            throw new UserError(name() + ": " + e.getMessage());
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
