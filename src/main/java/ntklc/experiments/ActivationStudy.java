package ntklc.experiments;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import ntklc.activation.Activation;
import ntklc.activation.Activations;
import ntklc.backend.Devices;
import ntklc.cli.Cli;
import ntklc.cli.Command;
import ntklc.cli.DeviceOption;
import ntklc.cli.Footprint;
import ntklc.cli.OptionSpec;
import ntklc.cli.ParsedOptions;
import ntklc.cli.Resume;
import ntklc.cli.UserError;
import ntklc.compression.RandomFeatureNetwork;
import ntklc.compression.RidgeReadout;
import ntklc.data.DataRequest;
import ntklc.data.DataSource;
import ntklc.data.Preprocess;
import ntklc.data.TrainTest;
import ntklc.nn.Initializer;
import ntklc.report.FinishedRows;
import ntklc.report.RunFolder;
import ntklc.report.Table;
import ntklc.spectral.Coefficients;

/**
 * {@code activations}: experiment E4 (paper App. B, Tables 1–2; docs/theory.md §8.4). For each activation
 * σ, used on all three layers: the CK coefficients α1, α2, α3 and τ at layer 3 (docs/theory.md §4.1, from
 * {@link Coefficients} with τ0 estimated on the training data), and the test accuracy of the
 * random-feature network (Gaussian weights, frozen) with a ridge readout, on MNIST 6 vs 8
 * (Table 1) and GMM {@code var} (Table 2), beside the paper's values. Writes {@code activations.csv},
 * rewritten as each row finishes, from which {@code --resume=RUN_DIR} continues a killed run.
 */
public final class ActivationStudy implements Command {
    public static void main(String[] args) {
        Cli.runAndExit(new ActivationStudy(), args);
    }

    /** The paper's row: α1, α2, α3, τ at layer 3 and the accuracy (docs/theory.md §8.4). */
    private record PaperRow(double alpha1, double alpha2, double alpha3, double tau, double accuracy) {
    }

    /** The activations of Tables 1–2 in their spellings; "leaky" is the code's LReLU(0.1, 1) (docs/theory.md §9 item 5). */
    private static final String TABLE_ACTIVATIONS = "relu,plinear:-1:0.1,step,sign,sigmoid,sin,linear,erf,cos,abs";

    /** Options that may differ between a run and its {@code --resume}. */
    static final Set<String> RESUME_HARMLESS = Set.of(DeviceOption.OPTION);

    /** One row per (data set, activation), rewritten as each finishes. */
    static final String RESULTS = "activations.csv";

    private static final List<String> COLUMNS = List.of("dataset", "activation", "tau0", "alpha1", "alpha2", "alpha3",
            "tau", "test_accuracy", "seconds", "paper_alpha1", "paper_alpha2", "paper_alpha3", "paper_tau",
            "paper_accuracy");

    private static final Map<String, PaperRow> TABLE1 = new LinkedHashMap<>();
    private static final Map<String, PaperRow> TABLE2 = new LinkedHashMap<>();

    static {
        // docs/theory.md §8.4 (paper App. B). Table 1's "sign" row duplicates "sin" (docs/theory.md §9 item 5); kept as printed.
        TABLE1.put("relu", new PaperRow(0.0156, 0.0105, 0.0112, 0.1994, 0.971));
        TABLE1.put("plinear:-1:0.1", new PaperRow(0.0083, 0.0097, 0.0081, 0.1750, 0.9654));
        TABLE1.put("step", new PaperRow(0.0642, 0, 0, 0.5, 0.9665));
        TABLE1.put("sign", new PaperRow(0.1779, 0, 0, 0.4689, 0.9715));
        TABLE1.put("sigmoid", new PaperRow(0.0002, 0, 0, 0.0129, 0.9637));
        TABLE1.put("sin", new PaperRow(0.1779, 0, 0, 0.4689, 0.9749));
        TABLE1.put("linear", new PaperRow(1, 0, 0, 1.0021, 0.981));
        TABLE1.put("erf", new PaperRow(0.2166, 0, 0, 0.5053, 0.9788));
        TABLE1.put("cos", new PaperRow(0, 0.0003, 0, 0.0116, 0.5257));
        TABLE1.put("abs", new PaperRow(0, 0.0209, 0, 0.2195, 0.5709));
        TABLE2.put("relu", new PaperRow(0.0156, 0.0092, 0.0099, 0.2128, 0.8945));
        TABLE2.put("plinear:-1:0.1", new PaperRow(0.0083, 0.0085, 0.0071, 0.1867, 0.9079));
        TABLE2.put("step", new PaperRow(0.0564, 0, 0, 0.5, 0.5028));
        TABLE2.put("sign", new PaperRow(0.2256, 0, 0, 1, 0.4916));
        TABLE2.put("sigmoid", new PaperRow(0.0002, 0, 0, 0.0135, 0.5173));
        TABLE2.put("sin", new PaperRow(0.1512, 0, 0, 0.4729, 0.5025));
        TABLE2.put("linear", new PaperRow(1, 0, 0, 1.0693, 0.5045));
        TABLE2.put("erf", new PaperRow(0.1912, 0, 0, 0.51, 0.4989));
        TABLE2.put("cos", new PaperRow(0, 0.0003, 0, 0.015, 0.9598));
        TABLE2.put("abs", new PaperRow(0, 0.0184, 0, 0.2342, 0.9302));
    }

    @Override
    public String name() {
        return "activations";
    }

    @Override
    public String summary() {
        return "α1, α2, α3, τ and accuracy per activation (paper Tables 1–2, E4)";
    }

    @Override
    public OptionSpec options() {
        return Resume.addOption(DeviceOption.addOption(new OptionSpec()
                .add("activations", TABLE_ACTIVATIONS, "activations to compare, comma-separated (each on all layers)")
                .add("datasets", "mnist-6v8,gmm-var", "mnist-6v8 (Table 1) and/or gmm-var (Table 2)")
                .add("depth", "3", "number of layers L (the paper: 3)")
                // The paper's sizes (--preset=paper) take about an hour per data set on two cores; the
                // defaults keep the comparison in minutes: widths and samples reduced 3× and 6×.
                .add("widths", "1000,1000,500", "hidden widths (paper: 3000,3000,1000)")
                .add("train-per-class", "1000", "training samples per class (paper: 6000)")
                .add("test-per-class", "500", "test samples per class (paper: 900)")
                .add("p", "784", "GMM dimension (τ0 = 1.0693 in Table 2 implies p ≈ 784)")
                .add("data-dir", "data", "folder of the real data sets")
                .add("lambda", "", "ridge λ (empty: 1e-3·tr(G)/n)")
                .add("preset", "", "paper: the paper's sizes (widths 3000,3000,1000, 6000/900 per class; MNIST's "
                        + "training split has only 5851 eights, so mnist-6v8 needs --train-per-class=5851 beside it)")
                .add("seed", "1", "seed of data and weights")
                .add("out", "", "run folder (default out/activations-<timestamp>)")
                .flag("dry-run", "check the options and print the coefficients only (no data, no networks)")),
                "the rows already in its " + RESULTS, RESUME_HARMLESS);
    }

    @Override
    public int run(ParsedOptions given) {
        try (Devices.Route route = DeviceOption.routeMatrixProducts(given, System.err::println)) {
            return compute(given);
        }
    }

    /**
     * Checks the sizes and estimates the dominant allocations ({@link Footprint}): per data set, the
     * data ({@code 2·(train + test)} samples: MNIST's files or the mixture of dimension {@code --p})
     * and one random-feature network with its features and ridge readout
     * ({@link Footprints#randomFeatures}, forward batches of 512); the two data sets are loaded one
     * after the other.
     */
    @Override
    public Footprint footprint(ParsedOptions given) {
        ParsedOptions o = Resume.options(options(), given, RESUME_HARMLESS);
        ExperimentOptions.applyPreset(o, ActivationStudy::preset);
        int depth = o.getPositiveInt("depth");
        int[] widths = Footprints.positiveWidths(o, "widths");
        if (widths.length != depth) {
            throw new UserError(name() + ": --widths needs one width per layer (--depth=" + depth + ")");
        }
        long nTrain = 2L * o.getPositiveInt("train-per-class");
        long nTest = 2L * o.getPositiveInt("test-per-class");
        long p = o.getPositiveInt("p");
        if (!o.getString("lambda").isBlank()) {
            o.getPositiveDouble("lambda");
        }
        for (String a : o.getString("activations").split(",")) {
            Activation sigma;
            try {
                sigma = Activations.parse(a.trim());
            } catch (IllegalArgumentException e) {
                throw new UserError(name() + ": --activations: " + e.getMessage());
            }
            Solve.requireMeaningful(o, "activations", Collections.nCopies(depth, sigma), Solve.NOMINAL_TAU0);
        }
        if (nTrain > Integer.MAX_VALUE || nTest > Integer.MAX_VALUE) {
            throw new UserError(name() + ": --train-per-class and --test-per-class must stay below 2^30");
        }
        if (o.getBoolean("dry-run")) {
            return Footprint.none(); // checks the options only: nothing large is built
        }
        Footprint worst = Footprint.none();
        for (String dataset : o.getString("datasets").split(",")) {
            boolean mnist = dataset.trim().equals("mnist-6v8");
            DataSource source = DataSource.parse(mnist ? "mnist" : "gmm-var");
            long n = mnist ? Math.min(nTrain, Footprints.IDX_IMAGES) : nTrain;
            long t = mnist ? Math.min(nTest, Footprints.IDX_IMAGES) : nTest;
            Footprint f = Footprints.data(source, n, t, p)
                    .plus(Footprints.randomFeatures(n, t, Footprints.dimension(source, p), widths, 512));
            if (f.bytes() >= worst.bytes()) {
                worst = f;
            }
        }
        return worst;
    }

    /** The preset {@code paper}: the paper's sizes. */
    private static ExperimentOptions.NamedPreset preset(String name) {
        if (!name.equals("paper")) {
            throw new IllegalArgumentException("unknown preset '" + name + "' (paper)");
        }
        return new ExperimentOptions.NamedPreset(name, Map.of("widths", "3000,3000,1000", "train-per-class", "6000",
                "test-per-class", "900"));
    }

    private int compute(ParsedOptions given) {
        ParsedOptions o = Resume.options(options(), given, RESUME_HARMLESS);
        ExperimentOptions.applyPreset(o, ActivationStudy::preset);
        List<String> names = new ArrayList<>();
        // parameters inside one activation use ':', so ',' only separates activations
        for (String a : o.getString("activations").split(",")) {
            names.add(a.trim());
        }
        List<Activation> activations = new ArrayList<>();
        for (String n : names) {
            try {
                activations.add(Activations.parse(n));
            } catch (IllegalArgumentException e) {
                throw new UserError(name() + ": --activations: " + e.getMessage());
            }
        }
        int depth = o.getPositiveInt("depth");
        int[] widths = ExperimentOptions.widths(o, "widths", depth);
        List<String> datasets = new ArrayList<>();
        for (String d : o.getString("datasets").split(",")) {
            if (!d.trim().equals("mnist-6v8") && !d.trim().equals("gmm-var")) {
                throw o.bad("datasets", o.getString("datasets"), "a list of mnist-6v8 and gmm-var");
            }
            datasets.add(d.trim());
        }
        int trainPerClass = o.getInt("train-per-class");
        int testPerClass = o.getInt("test-per-class");
        double lambda = ExperimentOptions.ridgeLambda(o).orElse(Double.NaN);
        RunFolder run = Resume.folder(given, o);
        SplittableRandom root = new SplittableRandom(o.getLong("seed"));
        FinishedRows rows = FinishedRows.open(run, RESULTS, COLUMNS, COLUMNS.subList(0, 2));
        if (rows.size() > 0) {
            System.err.println("activations: resuming " + run + ", " + rows.size() + " rows already finished");
        }
        boolean dry = o.getBoolean("dry-run");
        for (String dataset : datasets) {
            TrainTest data = null;
            double tau0 = dataset.equals("mnist-6v8") ? 1.0021 : 1.0693;
            // Generators are split from the root in the order of an uninterrupted run, also for
            // the data and networks a resumed run skips.
            SplittableRandom dataRng = dry ? null : root.split();
            boolean pending = activations.stream().anyMatch(a -> !rows.isFinished(FinishedRows.key(dataset, a.spec())));
            if (!dry && pending) {
                data = load(dataset, o, trainPerClass, testPerClass, dataRng);
                tau0 = RandomFeatureNetwork.tau0(data.train().x());
                System.err.printf(Locale.ROOT, "%s: %d train, %d test, τ0 = %.4f%n", dataset, data.train().n(),
                        data.test().n(), tau0);
            }
            Map<String, PaperRow> paper = dataset.equals("mnist-6v8") ? TABLE1 : TABLE2;
            for (Activation sigma : activations) {
                SplittableRandom netRng = dry ? null : root.split();
                if (rows.isFinished(FinishedRows.key(dataset, sigma.spec()))) {
                    continue;
                }
                List<Activation> chain = Collections.nCopies(depth, sigma);
                Coefficients.Layer last = Coefficients.compute(chain, tau0, Coefficients.NtkRecursion.RECOMMENDED).last();
                double accuracy = Double.NaN;
                double seconds = 0;
                if (!dry) {
                    long t0 = System.nanoTime();
                    RandomFeatureNetwork net = RandomFeatureNetwork.sample(data.train().p(), widths, chain,
                            Initializer.Gaussian.standard(), tau0, netRng);
                    RidgeReadout r = RidgeReadout.fit(net.features(data.train().x(), 512), data.train().labels(),
                            data.train().numClasses(), lambda, 0);
                    accuracy = r.accuracy(net.features(data.test().x(), 512), data.test().labels());
                    seconds = (System.nanoTime() - t0) / 1e9;
                    System.err.printf(Locale.ROOT, "  %-16s acc = %.4f (%.1f s)%n", sigma.spec(), accuracy, seconds);
                }
                PaperRow p = paper.get(sigma.spec());
                rows.add(dataset, sigma.spec(), tau0, last.alpha1(), last.alpha2(), last.alpha3(), last.tau(),
                        Double.isNaN(accuracy) ? "" : (Object) accuracy, seconds,
                        p == null ? "" : (Object) p.alpha1(), p == null ? "" : (Object) p.alpha2(),
                        p == null ? "" : (Object) p.alpha3(), p == null ? "" : (Object) p.tau(),
                        p == null ? "" : (Object) p.accuracy());
            }
        }
        System.out.print(rows.table().format(4));
        System.out.println(run.dir());
        return 0;
    }

    /** MNIST digits 6 and 8 (labels 0, 1) or a two-class GMM var, through {@link DataSource}. */
    private TrainTest load(String dataset, ParsedOptions o, int trainPerClass, int testPerClass, SplittableRandom rng) {
        boolean mnist = dataset.equals("mnist-6v8");
        DataRequest request = new DataRequest(Path.of(o.getString("data-dir")), mnist ? new int[] {6, 8} : new int[] {0, 1},
                2 * trainPerClass, 2 * testPerClass, new double[0], o.getInt("p"), Preprocess.PAPER);
        return DataSource.parse(mnist ? "mnist" : "gmm-var").load(request, rng).data();
    }
}
