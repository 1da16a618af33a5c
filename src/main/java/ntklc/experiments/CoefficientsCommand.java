package ntklc.experiments;

import java.util.List;
import java.util.Locale;

import ntklc.activation.Activation;
import ntklc.activation.Activations;
import ntklc.cli.Cli;
import ntklc.cli.Command;
import ntklc.cli.OptionSpec;
import ntklc.cli.ParsedOptions;
import ntklc.cli.UserError;
import ntklc.report.Charts;
import ntklc.report.RunFolder;
import ntklc.report.Table;
import ntklc.spectral.Coefficients;

/**
 * {@code coefficients}: the per-layer scalars τ_ℓ, α_{ℓ,1..4}, β_{ℓ,1..3}, κ_ℓ of the CK and NTK
 * equivalents (docs/theory.md §4.1, §5.2; paper Theorems 1–2 and App. B Tables 1–2) for a chain of
 * activations, from τ0. Writes {@code coefficients.csv} (one row per layer, 0 = the input; an empty
 * κ cell where it is undefined), {@code coefficients.png} (α and β against ℓ, drawn from that
 * table) and prints the same table. Deterministic: no seed.
 *
 * <p>Example, the ReLU row of Table 2: {@code coefficients --activations=relu,relu,relu --tau0=1.0693}.
 */
public final class CoefficientsCommand implements Command {
    /** The CSV header, in order. */
    public static final List<String> COLUMNS = List.of("layer", "tau", "alpha1", "alpha2", "alpha3", "alpha4",
            "beta1", "beta2", "beta3", "kappa");

    public static void main(String[] args) {
        Cli.runAndExit(new CoefficientsCommand(), args);
    }

    @Override
    public String name() {
        return "coefficients";
    }

    @Override
    public String summary() {
        return "per-layer tau, alpha1..4, beta1..3, kappa of the CK/NTK equivalents (docs/theory.md §4.1, §5.2)";
    }

    @Override
    public OptionSpec options() {
        return new OptionSpec()
                // Three ReLU layers: the network of every experiment in the paper.
                .add("activations", "relu,relu,relu", "comma-separated activations of layers 1..L, each one of: "
                        + Activations.SPELLINGS)
                // τ0 = √(tr C°/p); 1 for unit-variance inputs (paper: 1.0021 MNIST, 1.0693 GMM var).
                .add("tau0", "1.0", "input scale τ0 > 0")
                .add("ntk-recursion", "recommended", "β/κ recursion: recommended (docs/theory.md §5.2) or preprint (paper Eqs. 12, 15)")
                .add("out", "", "run folder (default out/coefficients-<timestamp>)")
                .flag("dry-run", "check the options and print the plan; compute and write nothing");
    }

    @Override
    public int run(ParsedOptions o) {
        List<Activation> chain;
        try {
            chain = Activations.parseChain(o.getString("activations"));
        } catch (IllegalArgumentException e) {
            throw new UserError(name() + ": --activations: " + e.getMessage());
        }
        double tau0 = Solve.tau0(o);
        Coefficients.NtkRecursion recursion = Coefficients.NtkRecursion.valueOf(
                o.getChoice("ntk-recursion", "recommended", "preprint").toUpperCase(Locale.ROOT));
        Coefficients c = Solve.requireMeaningful(o, "activations", chain, tau0, recursion);
        if (o.getBoolean("dry-run")) {
            System.out.println("coefficients: " + chain.size() + " layers (" + Activations.chainSpec(chain)
                    + "), tau0=" + tau0 + ", ntk-recursion=" + recursion.word() + " (dry run: nothing written)");
            return 0;
        }
        Table table = table(c);
        RunFolder run = RunFolder.create(o.getString("out"), name());
        run.writeConfig(o.effective());
        run.writeCsv("coefficients.csv", table);
        Charts.savePng(run, "coefficients.png", Charts.lines("CK (α) and NTK (β) coefficients per layer, τ0 = " + tau0,
                "layer ℓ", "coefficient", Charts.fromTable(table, "layer", "alpha1", "alpha2", "alpha3", "beta1",
                        "beta2", "beta3"), true, false), 800, 500);
        System.out.print(table.format(6));
        System.out.println(run.dir());
        return 0;
    }

    /** One row per layer with the columns {@link #COLUMNS}; κ is an empty cell where undefined. */
    static Table table(Coefficients c) {
        Table t = new Table(COLUMNS);
        for (Coefficients.Layer l : c.layers()) {
            t.add(l.layer(), l.tau(), l.alpha1(), l.alpha2(), l.alpha3(), l.alpha4(), l.beta1(), l.beta2(), l.beta3(),
                    Double.isNaN(l.kappa()) ? null : l.kappa());
        }
        return t;
    }
}
