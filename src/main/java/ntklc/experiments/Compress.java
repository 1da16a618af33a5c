package ntklc.experiments;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import ntklc.activation.Activation;
import ntklc.backend.Devices;
import ntklc.cli.Cli;
import ntklc.cli.Command;
import ntklc.cli.Footprint;
import ntklc.cli.OptionSpec;
import ntklc.cli.ParsedOptions;
import ntklc.cli.UserError;
import ntklc.compression.CompressedNetworks;
import ntklc.compression.CompressionMethod;
import ntklc.compression.CompressionSolution;
import ntklc.compression.LastLayerVariant;
import ntklc.compression.MemoryBreakdown;
import ntklc.compression.NtkLcSolver;
import ntklc.compression.RandomFeatureNetwork;
import ntklc.compression.Readout;
import ntklc.compression.RidgeReadout;
import ntklc.compression.SoftmaxReadout;
import ntklc.data.DataRequest;
import ntklc.data.DataSource;
import ntklc.data.FeatureFile;
import ntklc.data.Preprocess;
import ntklc.data.Preprocessing;
import ntklc.data.TrainTest;
import ntklc.report.Charts;
import ntklc.report.RunFolder;
import ntklc.report.Table;
import ntklc.tensor.Tensor;

/**
 * {@code compress}: experiments E2/E3 (paper Fig. 3–4, spec §9, reduced version §12 R6/R7).
 * For every width set and method (and every ε for NTK-LC) it samples a frozen random-feature
 * network, trains only the readout, and records test accuracy and memory (paper convention and
 * explicit breakdown, spec §8). Outputs {@code results.csv} (one row per network),
 * {@code summary.csv} (gap and memory ratio to the dense network of the same widths),
 * {@code solution.csv} (the NTK-LC activations) and {@code accuracy-vs-memory.png} (log memory
 * axis, as the paper's Fig. 3).
 */
public final class Compress implements Command {
    public static void main(String[] args) {
        Cli.runAndExit(new Compress(), args);
    }

    @Override
    public String name() {
        return "compress";
    }

    @Override
    public String summary() {
        return "accuracy vs memory of NTK-LC and baselines (paper Fig. 3–4, E2/E3)";
    }

    @Override
    public OptionSpec options() {
        return Devices.addOption(new OptionSpec()
                .add("preset", "", "paper settings: " + CompressPresets.NAMES + " (typed options override it)")
                // spec §12 R6: GMM mixed, p = 512, 2000/1000 samples, widths 1024,1024,512, ridge
                .add("data", "gmm-mixed", "gmm-mixed|gmm-var|mnist|fashion-mnist|cifar10-features")
                .add("features", "", "VGG feature file for --data=cifar10-features")
                .add("data-dir", "data", "folder of the real data sets")
                .add("classes", "0,1", "class labels to keep (real data); for GMM their count is K")
                .add("train-per-class", "1000", "training samples per class")
                .add("test-per-class", "500", "test samples per class")
                .add("n", "0", "GMM only: total training samples, split equally (0: use --train-per-class)")
                .add("p", "512", "GMM only: dimension p")
                .add("activations", "relu,relu,relu", "original activation of each layer")
                .add("widths", "1024,1024,512", "hidden widths d_1..d_L; several sets separated by ';'")
                .add("epsilons", "0,0.5,0.9", "sparsity levels ε of the NTK-LC ternary weights")
                .add("methods", "original,ntk-lc,naive-sparse,naive-quantized,magnitude-prune",
                        "networks to compare (original|ntk-lc|naive-sparse|naive-quantized|magnitude-prune)")
                .add("compressed", "", "NTK-LC activation chain to use instead of solving (e.g. pasted from solve)")
                .add("variant", "paper", "NTK-LC last-layer system: " + String.join("|", LastLayerVariant.spellings()))
                .add("restarts", "200", "solver random starts per layer")
                .add("ternary", "iid", "NTK-LC weight sampler: iid (paper Eq. 16) or exact (reference code's counts)")
                .add("sparse-fraction", "0.8", "fraction zeroed by naive sparse (paper: 0.8 in Fig. 3, 0.9 in Fig. 4)")
                .add("prune-fraction", "0.9", "fraction pruned per layer by magnitude pruning (rebuttal script: 0.93)")
                .add("readout", "ridge", "ridge (closed form, spec §12 R6) or softmax (Adam, as the reference code)")
                .add("lambda", "", "ridge λ (empty: 1e-3·tr(G)/n)")
                .add("epochs", "100", "softmax: epochs")
                .add("lr", "1e-3", "softmax: Adam learning rate (reference code 1e-3)")
                .add("batch", "128", "softmax: mini-batch size (reference code 128)")
                .add("forward-batch", "512", "samples per forward batch (memory: batch × max width floats)")
                .add("seed", "1", "seed of data, solver and weights")
                .add("out", "", "run folder (default out/compress-<timestamp>)")
                .flag("dry-run", "check the options, write the plan (networks and memory), build nothing"));
    }

    /** Everything the run needs, parsed and checked. */
    private record Config(String data, int[] classes, int trainPerClass, int testPerClass, int p,
                          List<Activation> activations, List<int[]> widthSets, double[] epsilons,
                          List<CompressionMethod> methods, LastLayerVariant variant, int restarts,
                          CompressedNetworks.Settings settings, String readout, double lambda, int epochs, double lr,
                          int batch, int forwardBatch, long seed, CompressPresets.Preset preset, String features) {
    }

    /**
     * Dominant allocations ({@link Footprint}): the data (for {@code cifar10-features}, the feature
     * file's floats twice: the file and the selected samples; p ≤ 512) and, for the width set that
     * needs most, one random-feature network with its features and ridge readout
     * ({@link Footprints#randomFeatures}); networks are built one after the other. Real data sets
     * cap the sample counts at the images they hold.
     */
    @Override
    public Footprint footprint(ParsedOptions o) {
        Config c = parse(o, applyPreset(o));
        if (c.widthSets().isEmpty()) {
            throw o.bad("widths", o.getString("widths"), "one or more width sets like 1024,1024,512");
        }
        if (o.getInt("n") < 0) {
            throw o.bad("n", o.getString("n"), "an integer ≥ 0 (0: use --train-per-class)");
        }
        Solve.restarts(o);
        Solve.requireMeaningful(o, "activations", c.activations(), Solve.NOMINAL_TAU0);
        if (!o.getString("compressed").isBlank()) {
            Solve.requireMeaningful(o, "compressed", Solve.parseChain(o, "compressed"), Solve.NOMINAL_TAU0);
        }
        long k = c.classes().length;
        long nTrain = Footprint.times(c.trainPerClass(), k);
        long nTest = Footprint.times(c.testPerClass(), k);
        if (nTrain > Integer.MAX_VALUE || nTest > Integer.MAX_VALUE) {
            throw new UserError(name() + ": --train-per-class and --test-per-class times " + k
                    + " classes must stay below 2^31 samples");
        }
        Footprint data = Footprint.none();
        long p = c.p();
        if (c.data().equals("cifar10-features")) {
            long bytes = Path.of(c.features()).toFile().length();
            data.add("the feature file", 2, bytes / Float.BYTES, Float.BYTES, "-Xmx");
            p = 512;
            nTrain = Math.min(nTrain, Footprints.CIFAR_IMAGES);
            nTest = Math.min(nTest, Footprints.CIFAR_IMAGES);
        } else {
            DataSource source = DataSource.parse(c.data());
            data = Footprints.data(source, nTrain, nTest, c.p());
            p = Footprints.dimension(source, c.p());
            if (!(source instanceof DataSource.Mixture)) {
                nTrain = Math.min(nTrain, Footprints.IDX_IMAGES);
                nTest = Math.min(nTest, Footprints.IDX_IMAGES);
            }
        }
        Footprint worst = Footprint.none();
        for (int[] widths : c.widthSets()) {
            Footprint f = Footprints.randomFeatures(nTrain, nTest, p, widths, c.forwardBatch());
            if (f.bytes() >= worst.bytes()) {
                worst = f;
            }
        }
        return data.plus(worst);
    }

    @Override
    public int run(ParsedOptions o) {
        try (Devices.Route route = Devices.routeMatrixProducts(o, System.err::println)) {
            return compute(o);
        }
    }

    private int compute(ParsedOptions o) {
        CompressPresets.Preset preset = applyPreset(o);
        Config c = parse(o, preset);
        RunFolder run = RunFolder.create(o.getString("out"), name());
        run.writeConfig(o.effective());
        if (o.getBoolean("dry-run")) {
            Table plan = new Table("method", "epsilon", "widths", "memory_bits");
            int k = c.classes().length;
            for (int[] widths : c.widthSets()) {
                for (CompressionMethod m : c.methods()) {
                    for (double eps : epsilonsOf(m, c)) {
                        plan.add(m.spelling(), epsText(eps), widthsText(widths),
                                CompressedNetworks.paperBits(m, Double.isNaN(eps) ? 0 : eps, inputDim(c), widths, k, c.settings()));
                    }
                }
            }
            run.writeCsv("plan.csv", plan);
            System.out.print(plan.format(4));
            System.err.println("dry run: " + plan.size() + " networks planned, nothing built");
            System.out.println(run.dir());
            return 0;
        }
        SplittableRandom root = new SplittableRandom(c.seed());
        TrainTest data = load(c, o.getString("data-dir"), root.split());
        int p = data.train().p();
        int k = data.train().numClasses();
        double tau0 = RandomFeatureNetwork.tau0(data.train().x());
        System.err.printf(Locale.ROOT, "data %s: %d train, %d test, p = %d, K = %d, τ0 = %.4f%n", c.data(),
                data.train().n(), data.test().n(), p, k, tau0);

        CompressionSolution solution = null;
        List<Activation> compressed = null;
        double readoutShift = 0;
        if (c.methods().contains(CompressionMethod.NTK_LC) && !o.getString("compressed").isBlank()) {
            compressed = Solve.parseChain(o, "compressed");
            if (compressed.size() != c.activations().size()) {
                throw new UserError(name() + ": --compressed has " + compressed.size() + " layers, --activations "
                        + c.activations().size());
            }
        } else if (c.methods().contains(CompressionMethod.NTK_LC)) {
            solution = NtkLcSolver.solve(c.activations(), tau0, c.variant(), c.restarts(), root.split());
            run.writeCsv("solution.csv", Solve.solutionTable(solution));
            for (String w : solution.warnings()) {
                System.err.println("warning: " + w);
            }
            compressed = solution.compressedChain();
            readoutShift = solution.readoutShift();
        }

        Table results = new Table("method", "epsilon", "widths", "memory_bits", "test_accuracy", "seconds",
                "train_accuracy", "memory_bits_explicit", "nonzero_weights", "lambda",
                "paper_test_accuracy", "paper_memory_bits");
        for (int[] widths : c.widthSets()) {
            for (CompressionMethod m : c.methods()) {
                for (double eps : epsilonsOf(m, c)) {
                    long t0 = System.nanoTime();
                    RandomFeatureNetwork net = CompressedNetworks.build(m, Double.isNaN(eps) ? 0 : eps, p, widths,
                            c.activations(), compressed, c.settings(), tau0, root.split());
                    Tensor train = net.features(data.train().x(), c.forwardBatch());
                    Tensor test = net.features(data.test().x(), c.forwardBatch());
                    double shift = m == CompressionMethod.NTK_LC ? readoutShift : 0;
                    Readout readout;
                    double lambdaUsed = Double.NaN;
                    if (c.readout().equals("ridge")) {
                        RidgeReadout r = RidgeReadout.fit(train, data.train().labels(), k, c.lambda(), shift);
                        lambdaUsed = r.lambda();
                        readout = r;
                    } else {
                        try {
                            readout = SoftmaxReadout.fit(train, data.train().labels(), k, c.epochs(), c.lr(), c.batch(),
                                    root.split());
                        } catch (IllegalStateException e) {
                            throw new UserError(name() + ": " + e.getMessage() + " (try a smaller --lr)");
                        }
                    }
                    double testAcc = readout.accuracy(test, data.test().labels());
                    double trainAcc = readout.accuracy(train, data.train().labels());
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    double e = Double.isNaN(eps) ? 0 : eps;
                    double bits = CompressedNetworks.paperBits(m, e, p, widths, k, c.settings());
                    MemoryBreakdown explicit = CompressedNetworks.breakdown(m, e, p, widths, k, c.settings(),
                            CompressedNetworks.activations(m, c.activations(), compressed));
                    CompressPresets.PaperPoint paper = preset == null ? null
                            : preset.find(m.spelling(), eps, widthsText(widths));
                    results.add(m.spelling(), epsText(eps), widthsText(widths), bits, testAcc, seconds, trainAcc,
                            explicit.totalBits(), net.nonZeroCount(), Double.isNaN(lambdaUsed) ? "" : (Object) lambdaUsed,
                            paper == null ? "" : (Object) paper.accuracy(),
                            paper == null || Double.isNaN(paper.bits()) ? "" : (Object) paper.bits());
                    System.err.printf(Locale.ROOT, "%-16s ε=%-4s widths=%-18s bits=%.3g  test acc=%.4f  (%.1f s)%n",
                            m.spelling(), epsText(eps), widthsText(widths), bits, testAcc, seconds);
                }
            }
        }
        run.writeCsv("results.csv", results);
        run.writeCsv("summary.csv", summary(results));
        Charts.savePng(run, "accuracy-vs-memory.png", Charts.lines("Test accuracy vs memory (" + c.data() + ")",
                "memory (bits, paper convention)", "test accuracy", seriesByMethod(results), true, true), 900, 600);
        System.out.print(results.format(4));
        System.out.println(run.dir());
        return 0;
    }

    /** Puts a preset's values into the options the user did not type; null without a preset. */
    private static CompressPresets.Preset applyPreset(ParsedOptions o) {
        String name = o.getString("preset").trim();
        if (name.isEmpty()) {
            return null;
        }
        CompressPresets.Preset preset;
        try {
            preset = CompressPresets.get(name);
        } catch (IllegalArgumentException e) {
            throw new UserError(o.command() + ": --preset: " + e.getMessage());
        }
        for (Map.Entry<String, String> e : preset.options().entrySet()) {
            if (!o.isGiven(e.getKey())) {
                o.put(e.getKey(), e.getValue());
            }
        }
        return preset;
    }

    private Config parse(ParsedOptions o, CompressPresets.Preset preset) {
        String data = o.getChoice("data", "gmm-mixed", "gmm-var", "mnist", "fashion-mnist", "cifar10-features");
        List<Activation> activations = Solve.parseChain(o, "activations");
        List<int[]> widthSets = new ArrayList<>();
        for (String set : o.getString("widths").split(";")) {
            int[] w;
            try {
                w = java.util.Arrays.stream(set.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
            } catch (NumberFormatException e) {
                throw o.bad("widths", o.getString("widths"), "width sets like 1024,1024,512;2048,2048,1024");
            }
            if (w.length != activations.size()) {
                throw new UserError(name() + ": width set " + set + " has " + w.length + " layers but --activations has "
                        + activations.size());
            }
            for (int d : w) {
                if (d < 1) {
                    throw o.bad("widths", o.getString("widths"), "positive widths");
                }
            }
            widthSets.add(w);
        }
        double[] epsilons = o.getDoubleList("epsilons");
        for (double e : epsilons) {
            if (!(e >= 0 && e < 1)) {
                throw o.bad("epsilons", o.getString("epsilons"), "a list of sparsity levels in [0, 1)");
            }
        }
        List<CompressionMethod> methods = new ArrayList<>();
        for (String m : o.getString("methods").split(",")) {
            try {
                methods.add(CompressionMethod.parse(m));
            } catch (IllegalArgumentException e) {
                throw new UserError(name() + ": --methods: " + e.getMessage());
            }
        }
        if (methods.contains(CompressionMethod.NTK_LC) && epsilons.length == 0) {
            throw o.bad("epsilons", "", "a non-empty list when ntk-lc is compared");
        }
        int[] classes = o.getIntList("classes");
        if (classes.length < 2) {
            throw o.bad("classes", o.getString("classes"), "a list of at least two classes");
        }
        int trainPerClass = o.getInt("train-per-class");
        int n = o.getInt("n");
        if (n > 0 && data.startsWith("gmm")) {
            trainPerClass = n / classes.length;
        }
        int testPerClass = o.getInt("test-per-class");
        if (trainPerClass < 1 || testPerClass < 1) {
            throw new UserError(name() + ": need at least one training and one test sample per class");
        }
        double fractionSparse = o.getDouble("sparse-fraction");
        double fractionPrune = o.getDouble("prune-fraction");
        if (!(fractionSparse >= 0 && fractionSparse < 1) || !(fractionPrune >= 0 && fractionPrune < 1)) {
            throw new UserError(name() + ": --sparse-fraction and --prune-fraction must be in [0, 1)");
        }
        String lambdaText = o.getString("lambda").trim();
        double lambda = lambdaText.isEmpty() ? Double.NaN : o.getDouble("lambda");
        if (!Double.isNaN(lambda) && !(lambda > 0)) {
            throw o.bad("lambda", lambdaText, "a positive number (or empty for the default)");
        }
        int p = o.getInt("p");
        if (p < 1) {
            throw o.bad("p", String.valueOf(p), "a positive integer");
        }
        int restarts = o.getInt("restarts");
        int epochs = o.getInt("epochs");
        int batch = o.getInt("batch");
        int forwardBatch = o.getInt("forward-batch");
        double lr = o.getDouble("lr");
        if (restarts < 1 || epochs < 1 || batch < 1 || forwardBatch < 1 || !(lr > 0)) {
            throw new UserError(name() + ": --restarts, --epochs, --batch, --forward-batch and --lr must be positive");
        }
        return new Config(data, classes, trainPerClass, testPerClass, p, activations, widthSets, epsilons, methods,
                LastLayerVariant.parse(o.getChoice("variant", LastLayerVariant.spellings())), restarts,
                new CompressedNetworks.Settings(fractionSparse, fractionPrune,
                        o.getChoice("ternary", "iid", "exact").equals("exact")),
                o.getChoice("readout", "ridge", "softmax"), lambda, epochs, lr, batch, forwardBatch, o.getLong("seed"),
                preset, features(o, data));
    }

    /** The feature file of {@code --data=cifar10-features} (required there, refused elsewhere). */
    private String features(ParsedOptions o, String data) {
        String path = o.getString("features").trim();
        if (data.equals("cifar10-features") && path.isEmpty()) {
            throw new UserError(name() + ": --data=cifar10-features needs --features=PATH, the features.bin written by"
                    + " the features command");
        }
        if (!data.equals("cifar10-features") && !path.isEmpty()) {
            throw new UserError(name() + ": --features is only read with --data=cifar10-features");
        }
        return path;
    }

    /** The input dimension implied by the data option (for the dry-run plan). */
    private static int inputDim(Config c) {
        return switch (c.data()) {
            case "mnist", "fashion-mnist" -> 784;
            // 512 / width divisor of the VGG that produced the file
            case "cifar10-features" -> FeatureFile.read(Path.of(c.features())).train().p();
            default -> c.p();
        };
    }

    /**
     * Loads the data through {@link DataSource}: per-class counts become the totals
     * {@code K·count} of a {@link DataRequest}; real data get the paper preprocessing of spec §2.4.
     */
    private TrainTest load(Config c, String dataDir, SplittableRandom rng) {
        int k = c.classes().length;
        if (c.data().equals("cifar10-features")) {
            // Already normalised per split by the features command (spec §2.5); here only the
            // classes and the first samples of each class are selected.
            TrainTest all = FeatureFile.read(Path.of(c.features()));
            double[] equal = new double[0];
            return new TrainTest(Preprocessing.select(all.train(), c.classes(), c.trainPerClass() * k, equal),
                    Preprocessing.select(all.test(), c.classes(), c.testPerClass() * k, equal));
        }
        DataRequest request = new DataRequest(Path.of(dataDir), c.classes(), c.trainPerClass() * k,
                c.testPerClass() * k, new double[0], c.p(), Preprocess.PAPER);
        return DataSource.parse(c.data()).load(request, rng).data();
    }

    /** ε values of a method: the list for NTK-LC, a single NaN ("not applicable") otherwise. */
    private static double[] epsilonsOf(CompressionMethod m, Config c) {
        return m.usesEpsilon() ? c.epsilons() : new double[] {Double.NaN};
    }

    private static String epsText(double eps) {
        return Double.isNaN(eps) ? "" : String.valueOf(eps);
    }

    static String widthsText(int[] widths) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            sb.append(i == 0 ? "" : ",").append(widths[i]);
        }
        return sb.toString();
    }

    /**
     * Per network, the gap to the dense network of the same widths and the memory ratio:
     * {@code method,epsilon,widths,test_accuracy,memory_bits,accuracy_gap_to_original,memory_ratio_to_original}.
     */
    static Table summary(Table results) {
        Table s = new Table("method", "epsilon", "widths", "test_accuracy", "memory_bits",
                "accuracy_gap_to_original", "memory_ratio_to_original");
        Map<String, double[]> original = new LinkedHashMap<>();
        for (int i = 0; i < results.size(); i++) {
            if (results.text(i, "method").equals("original")) {
                original.put(results.text(i, "widths"), new double[] {results.doubles("test_accuracy")[i],
                    results.doubles("memory_bits")[i]});
            }
        }
        double[] acc = results.doubles("test_accuracy");
        double[] bits = results.doubles("memory_bits");
        for (int i = 0; i < results.size(); i++) {
            double[] ref = original.get(results.text(i, "widths"));
            s.add(results.text(i, "method"), results.text(i, "epsilon"), results.text(i, "widths"), acc[i], bits[i],
                    ref == null ? "" : (Object) (ref[0] - acc[i]), ref == null ? "" : (Object) (ref[1] / bits[i]));
        }
        return s;
    }

    /** One chart series per (method, ε): memory against accuracy over the width sets. */
    static List<Charts.Series> seriesByMethod(Table results) {
        Map<String, List<Integer>> rows = new LinkedHashMap<>();
        for (int i = 0; i < results.size(); i++) {
            String eps = results.text(i, "epsilon");
            String key = results.text(i, "method") + (eps.isEmpty() ? "" : " ε=" + eps);
            rows.computeIfAbsent(key, x -> new ArrayList<>()).add(i);
        }
        double[] bits = results.doubles("memory_bits");
        double[] acc = results.doubles("test_accuracy");
        List<Charts.Series> out = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> e : rows.entrySet()) {
            double[] x = new double[e.getValue().size()];
            double[] y = new double[x.length];
            for (int j = 0; j < x.length; j++) {
                x[j] = bits[e.getValue().get(j)];
                y[j] = acc[e.getValue().get(j)];
            }
            out.add(new Charts.Series(e.getKey(), x, y));
        }
        return out;
    }
}
