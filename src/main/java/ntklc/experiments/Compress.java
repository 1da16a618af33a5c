package ntklc.experiments;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.SplittableRandom;

import ntklc.activation.Activation;
import ntklc.backend.Devices;
import ntklc.cli.Cli;
import ntklc.cli.Command;
import ntklc.cli.DeviceOption;
import ntklc.cli.Footprint;
import ntklc.cli.OptionSpec;
import ntklc.cli.ParsedOptions;
import ntklc.cli.Resume;
import ntklc.cli.UserError;
import ntklc.compression.CompressedNetworks;
import ntklc.compression.CompressionMethod;
import ntklc.compression.CompressionSolution;
import ntklc.compression.KernelCheck;
import ntklc.compression.LastLayerVariant;
import ntklc.compression.MemoryBreakdown;
import ntklc.compression.NtkLcSolver;
import ntklc.compression.RandomFeatureNetwork;
import ntklc.compression.Readout;
import ntklc.compression.RidgeReadout;
import ntklc.compression.FeatureRows;
import ntklc.compression.MemoryAccounting;
import ntklc.compression.packed.LevelPlanes;
import ntklc.compression.packed.ModelFile;
import ntklc.compression.packed.PackedNetwork;
import ntklc.nn.Initializer;
import ntklc.data.DataRequest;
import ntklc.data.DataSource;
import ntklc.data.FeatureFile;
import ntklc.data.Preprocess;
import ntklc.data.Preprocessing;
import ntklc.data.TrainTest;
import ntklc.nn.DivergedLossException;
import ntklc.report.Charts;
import ntklc.report.FinishedRows;
import ntklc.report.RunFolder;
import ntklc.report.Table;

/**
 * {@code compress}: experiments E2/E3 (paper Fig. 3–4, docs/theory.md §8.2–8.3, reduced versions §8.5 R6/R7).
 * For every width set and method (and every ε for NTK-LC) it samples a frozen random-feature
 * network, trains only the readout, and records test accuracy and memory (paper convention and
 * explicit breakdown, docs/theory.md §7). Outputs {@code results.csv} (one row per network),
 * {@code summary.csv} (gap and memory ratio to the dense network of the same widths),
 * {@code solution.csv} (the NTK-LC activations) and {@code accuracy-vs-memory.png} (log memory
 * axis, as the paper's Fig. 3).
 *
 * <p>{@code results.csv} is rewritten after every network ({@link FinishedRows}); a killed run is
 * continued with {@code --resume=RUN_DIR} ({@link Resume}), which skips the networks it holds and
 * gives the others the generators of an uninterrupted run, so the results are the same.
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
        return Resume.addOption(DeviceOption.addOption(new OptionSpec()
                .add("preset", "", "paper settings: " + CompressPresets.NAMES + " (typed options override it)")
                // docs/theory.md §8.5 R6: GMM mixed, p = 512, 2000/1000 samples, widths 1024,1024,512, ridge
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
                .add("variant", "paper", "NTK-LC last-layer system: " + LastLayerVariant.help())
                .add("restarts", "200", "solver random starts per layer")
                .add("kernel-samples", "500", "NTK-LC: training points of the exact-kernel check ‖K'−K‖/‖K‖ (0: skip)")
                .add("ternary", "iid", "NTK-LC weight sampler: iid (paper Eq. 16) or exact (reference code's counts)")
                .add("sparse-fraction", "0.8", "fraction zeroed by naive sparse (paper: 0.8 in Fig. 3, 0.9 in Fig. 4)")
                .add("prune-fraction", "0.9", "fraction pruned per layer by magnitude pruning (rebuttal script: 0.93)")
                .add("readout", "ridge", "ridge (closed form, docs/theory.md §8.5 R6) or softmax (Adam, as the reference code)")
                .add("lambda", "", "ridge λ (empty: 1e-3·tr(G)/n)")
                .add("epochs", "100", "softmax: epochs")
                .add("lr", "1e-3", "softmax: Adam learning rate (reference code 1e-3)")
                .add("batch", "128", "softmax: mini-batch size (reference code 128)")
                .add("forward-batch", "512", "samples per forward batch (memory: batch × max width floats)")
                .add("engine", "packed", "packed (NTK-LC held in bits and run by bit counts, the default) or dense"
                        + " (float matrices, the reference); other methods always run dense")
                .flag("save-models", "write each packed network with its readout to models/ of the run folder"
                        + " (read by the predict command)")
                .add("seed", "1", "seed of data, solver and weights")
                .add("out", "", "run folder (default out/compress-<timestamp>)")
                .flag("dry-run", "check the options, write the plan (networks and memory), build nothing")),
                "the networks already in its results.csv", RESUME_HARMLESS);
    }

    /** Options that may differ between a run and its {@code --resume}: where products run, not what they compute. */
    static final Set<String> RESUME_HARMLESS = Set.of(DeviceOption.OPTION);

    /** One row per finished network, rewritten as each finishes. */
    static final String RESULTS = "results.csv";

    /** The columns of {@code results.csv}; a network is identified by the first three (its {@link NetworkSpec#key}). */
    static final List<String> RESULT_COLUMNS = List.of("method", "epsilon", "widths", "memory_bits", "test_accuracy",
            "seconds", "train_accuracy", "memory_bits_explicit", "nonzero_weights", "lambda",
            "paper_test_accuracy", "paper_memory_bits", "engine", "resident_bytes", "entropy_bits", "weight_forms", "forward_seconds", "readout_seconds");
    private static final List<String> KEY_COLUMNS = RESULT_COLUMNS.subList(0, 3);

    /**
     * The data of the run: source, classes, per-class counts, GMM dimension, feature file.
     *
     * @param source        gmm-mixed|gmm-var|mnist|fashion-mnist|cifar10-features
     * @param classes       original labels kept (their count is K)
     * @param trainPerClass training samples per class
     * @param testPerClass  test samples per class
     * @param p             GMM dimension
     * @param dataDir       folder of the real data sets
     * @param features      feature file of cifar10-features ("" otherwise)
     */
    record DataSpec(String source, int[] classes, int trainPerClass, int testPerClass, int p, String dataDir,
                       String features) {
    }

    /**
     * Everything the run needs, parsed and checked.
     *
     * @param data         what the networks are trained and tested on
     * @param activations  original activation of each layer (σ_1..σ_L)
     * @param widthSets    the width sets d_1..d_L compared
     * @param epsilons     the sparsity levels ε of NTK-LC (paper Eq. (16))
     * @param methods      the networks compared per width set
     * @param variant      NTK-LC last-layer system
     * @param restarts     solver random starts per layer
     * @param settings     baselines' fractions and the ternary sampler
     * @param readout      how the readout is trained
     * @param forwardBatch samples per forward batch
     * @param seed         root seed of data, solver and weights
     * @param preset       the paper preset applied, or null
     * @param packed       NTK-LC networks run on the packed engine ({@code --engine=packed})
     * @param saveModels   write the packed networks to {@code models/}
     */
    record Config(DataSpec data, List<Activation> activations, List<int[]> widthSets, double[] epsilons,
                  List<CompressionMethod> methods, LastLayerVariant variant, int restarts,
                  CompressedNetworks.Settings settings, ExperimentOptions.ReadoutOptions readout, int forwardBatch,
                  long seed, CompressPresets.Preset preset, boolean packed, boolean saveModels) {

        /** Every network of the run, in the order they are built (width set, method, ε). */
        List<NetworkSpec> networks() {
            List<NetworkSpec> out = new ArrayList<>();
            for (int[] widths : widthSets) {
                for (CompressionMethod m : methods) {
                    if (m.usesEpsilon()) {
                        for (double eps : epsilons) {
                            out.add(new NetworkSpec(m, OptionalDouble.of(eps), widths));
                        }
                    } else {
                        out.add(new NetworkSpec(m, OptionalDouble.empty(), widths));
                    }
                }
            }
            return out;
        }
    }

    /**
     * One network of the comparison.
     *
     * @param method  how its weights and activations are chosen
     * @param epsilon its sparsity level ε (NTK-LC only; empty for the other methods)
     * @param widths  hidden widths d_1..d_L
     */
    record NetworkSpec(CompressionMethod method, OptionalDouble epsilon, int[] widths) {
        /** ε, or 0 for a method without one (what the builders and the memory accounting take). */
        double epsilonOrZero() {
            return epsilon.orElse(0);
        }

        /** The ε cell of the CSV: the number, or empty. */
        String epsilonText() {
            return epsilon.isPresent() ? String.valueOf(epsilon.getAsDouble()) : "";
        }

        /** The stable key of this network in {@code results.csv}: {@code method|ε|widths}. */
        String key() {
            return FinishedRows.key(method.spelling(), epsilonText(), ExperimentOptions.widthsText(widths));
        }
    }

    /**
     * What every network shares: the data, τ0 and the NTK-LC activation chain.
     *
     * @param compressed   the NTK-LC chain σ'_1..σ'_L (null when NTK-LC is not compared)
     * @param readoutShift the stepwise identity shift added to the ridge λ of NTK-LC networks
     */
    private record Shared(TrainTest data, double tau0, List<Activation> compressed, double readoutShift) {
    }

    /**
     * One row of {@code results.csv}.
     *
     * @param bits          memory in bits, paper convention
     * @param explicitBits  memory in bits, explicit breakdown
     * @param lambda        ridge λ used (empty for softmax)
     * @param paper         the paper's point for this network, or null
     * @param engine        packed or dense
     * @param residentBytes bytes the hidden layers' weights and constants occupy in memory
     * @param entropyBits   NTK-LC: H(ε) bits per hidden weight times their number (the least any
     *                      code of an i.i.d. ternary matrix needs, docs/theory.md §7.3); empty otherwise
     * @param weightForms   packed: the storage form of each layer (signs|planes|indices), ';'-separated
     * @param forwardSeconds  seconds of the forward passes (training and test features)
     * @param readoutSeconds  seconds of fitting the readout and scoring it
     */
    record ResultRow(NetworkSpec spec, double bits, double testAccuracy, double seconds, double trainAccuracy,
                     double explicitBits, long nonZeroWeights, OptionalDouble lambda, CompressPresets.PaperPoint paper,
                     String engine, long residentBytes, OptionalDouble entropyBits, String weightForms,
                     double forwardSeconds, double readoutSeconds) {
        Object[] cells() {
            return new Object[] {spec.method().spelling(), spec.epsilonText(),
                ExperimentOptions.widthsText(spec.widths()), bits, testAccuracy, seconds, trainAccuracy, explicitBits,
                nonZeroWeights, lambda.isPresent() ? (Object) lambda.getAsDouble() : "",
                paper == null ? "" : (Object) paper.accuracy(),
                paper == null || paper.bits().isEmpty() ? "" : (Object) paper.bits().getAsDouble(), engine, residentBytes,
                entropyBits.isPresent() ? (Object) entropyBits.getAsDouble() : "", weightForms, forwardSeconds,
                readoutSeconds};
        }
    }

    /**
     * Dominant allocations ({@link Footprint}): the data (for {@code cifar10-features}, the feature
     * file's floats twice: the file and the selected samples; p ≤ 512) and, for the width set that
     * needs most, one random-feature network with its features and ridge readout
     * ({@link Footprints#randomFeatures}); networks are built one after the other. Real data sets
     * cap the sample counts at the images they hold.
     */
    @Override
    public Footprint footprint(ParsedOptions given) {
        ParsedOptions o = Resume.options(options(), given, RESUME_HARMLESS);
        Config c = parse(o, ExperimentOptions.applyPreset(o, CompressPresets::get));
        if (o.getInt("n") < 0) {
            throw o.bad("n", o.getString("n"), "an integer ≥ 0 (0: use --train-per-class)");
        }
        Solve.restarts(o);
        Solve.requireMeaningful(o, "activations", c.activations(), Solve.NOMINAL_TAU0);
        if (!o.getString("compressed").isBlank()) {
            Solve.requireMeaningful(o, "compressed", Solve.parseChain(o, "compressed"), Solve.NOMINAL_TAU0);
        }
        if (o.getBoolean("dry-run")) {
            return Footprint.none(); // checks the options only: nothing large is built
        }
        DataSpec d = c.data();
        long k = d.classes().length;
        long nTrain = Footprint.times(d.trainPerClass(), k);
        long nTest = Footprint.times(d.testPerClass(), k);
        if (nTrain > Integer.MAX_VALUE || nTest > Integer.MAX_VALUE) {
            throw new UserError(name() + ": --train-per-class and --test-per-class times " + k
                    + " classes must stay below 2^31 samples");
        }
        Footprint data = Footprint.none();
        long p;
        if (d.source().equals("cifar10-features")) {
            long bytes = Path.of(d.features()).toFile().length();
            data.add("the feature file", 2, bytes / Float.BYTES, Float.BYTES, "-Xmx");
            p = 512;
            nTrain = Math.min(nTrain, Footprints.CIFAR_IMAGES);
            nTest = Math.min(nTest, Footprints.CIFAR_IMAGES);
        } else {
            DataSource source = DataSource.parse(d.source());
            data = Footprints.data(source, nTrain, nTest, d.p());
            p = Footprints.dimension(source, d.p());
            if (!(source instanceof DataSource.Mixture)) {
                nTrain = Math.min(nTrain, Footprints.IDX_IMAGES);
                nTest = Math.min(nTest, Footprints.IDX_IMAGES);
            }
        }
        boolean ridge = c.readout().kind() == ExperimentOptions.ReadoutKind.RIDGE;
        // levels of the last activation: a staircase's K, σ_Q's 3, or up to 16 in a chain given by --compressed
        int lastLevels = !o.getString("compressed").isBlank() ? LevelPlanes.MAX_PLANES + 1
                : c.variant().staircaseLevels() > 0 ? c.variant().staircaseLevels() : 3;
        Footprint worst = Footprint.none();
        for (int[] widths : c.widthSets()) {
            for (CompressionMethod m : c.methods()) {
                Footprint f = m == CompressionMethod.NTK_LC && expectPackedEngine(c, o)
                        ? Footprints.packedRandomFeatures(nTrain, nTest, p, widths, c.forwardBatch(), ridge,
                        lastLevels)
                        : Footprints.randomFeatures(nTrain, nTest, p, widths, c.forwardBatch());
                if (f.bytes() >= worst.bytes()) {
                    worst = f;
                }
            }
        }
        return data.plus(worst);
    }

    @Override
    public int run(ParsedOptions given) {
        try (Devices.Route route = DeviceOption.routeMatrixProducts(given, System.err::println)) {
            return compute(given);
        }
    }

    private int compute(ParsedOptions given) {
        ParsedOptions o = Resume.options(options(), given, RESUME_HARMLESS);
        CompressPresets.Preset preset = ExperimentOptions.applyPreset(o, CompressPresets::get);
        Config c = parse(o, preset);
        RunFolder run = Resume.folder(given, o);
        if (o.getBoolean("dry-run")) {
            Table plan = new Table("method", "epsilon", "widths", "memory_bits");
            int k = c.data().classes().length;
            for (NetworkSpec net : c.networks()) {
                plan.add(net.method().spelling(), net.epsilonText(), ExperimentOptions.widthsText(net.widths()),
                        CompressedNetworks.paperBits(net.method(), net.epsilonOrZero(), inputDim(c), net.widths(), k,
                                c.settings()));
            }
            run.writeCsv("plan.csv", plan);
            System.out.print(plan.format(4));
            System.err.println("dry run: " + plan.size() + " networks planned, nothing built");
            System.out.println(run.dir());
            return 0;
        }
        SplittableRandom root = new SplittableRandom(c.seed());
        TrainTest data = load(c.data(), root.split());
        double tau0 = RandomFeatureNetwork.tau0(data.train().x());
        System.err.printf(Locale.ROOT, "data %s: %d train, %d test, p = %d, K = %d, τ0 = %.4f%n", c.data().source(),
                data.train().n(), data.test().n(), data.train().p(), data.train().numClasses(), tau0);
        Shared shared = compressedChain(o, c, run, data, tau0, root);

        FinishedRows results = FinishedRows.open(run, RESULTS, RESULT_COLUMNS, KEY_COLUMNS);
        if (results.size() > 0) {
            System.err.println("compress: resuming " + run + ", " + results.size() + " networks already finished");
        }
        for (NetworkSpec net : c.networks()) {
            // Each network's generators are split from the root in loop order whether or not it is
            // computed, so that a resumed run gives every remaining network the streams of an
            // uninterrupted run.
            SplittableRandom weights = root.split();
            SplittableRandom readoutRng = c.readout().random() ? root.split() : null;
            if (results.isFinished(net.key())) {
                continue;
            }
            ResultRow row;
            try {
                row = runNetwork(c, shared, run, net, weights, readoutRng);
            } catch (DivergedLossException e) {
                throw new UserError(name() + ": softmax readout of " + net.key() + ": " + e.getMessage() + "; "
                        + results.size() + " finished networks kept in " + run.resolve(RESULTS));
            }
            results.add(row.cells());
            System.err.printf(Locale.ROOT, "%-16s ε=%-4s widths=%-18s bits=%.3g  test acc=%.4f  (%.1f s)%n",
                    net.method().spelling(), net.epsilonText(), ExperimentOptions.widthsText(net.widths()), row.bits(),
                    row.testAccuracy(), row.seconds());
        }
        Table table = results.table();
        run.writeCsv("summary.csv", summary(table));
        Charts.savePng(run, "accuracy-vs-memory.png", Charts.lines("Test accuracy vs memory (" + c.data().source() + ")",
                "memory (bits, paper convention)", "test accuracy", seriesByMethod(table), true, true), 900, 600);
        System.out.print(table.format(4));
        System.out.println(run.dir());
        return 0;
    }

    /**
     * The NTK-LC chain: pasted with {@code --compressed}, or solved (Algorithm 1) with its own
     * generator split from the root (only when NTK-LC is compared), {@code solution.csv} written.
     */
    private Shared compressedChain(ParsedOptions o, Config c, RunFolder run, TrainTest data, double tau0,
                                   SplittableRandom root) {
        if (!c.methods().contains(CompressionMethod.NTK_LC)) {
            return new Shared(data, tau0, null, 0);
        }
        if (!o.getString("compressed").isBlank()) {
            List<Activation> compressed = Solve.parseChain(o, "compressed");
            if (compressed.size() != c.activations().size()) {
                throw new UserError(name() + ": --compressed has " + compressed.size() + " layers, --activations "
                        + c.activations().size());
            }
            checkKernel(o, c, run, data, tau0, compressed);
            return new Shared(data, tau0, compressed, 0);
        }
        CompressionSolution solution = NtkLcSolver.solve(c.activations(), tau0, c.variant(), c.restarts(), root.split());
        run.writeCsv("solution.csv", Solve.solutionTable(solution));
        for (String w : solution.warnings()) {
            System.err.println("warning: " + w);
        }
        checkKernel(o, c, run, data, tau0, solution.compressedChain());
        return new Shared(data, tau0, solution.compressedChain(), solution.readoutShift());
    }

    /**
     * The kernel-level check ({@link KernelCheck}) of the NTK-LC chain on {@code --kernel-samples}
     * training points, written to {@code kernel-check.csv} and reported on standard error; nothing
     * with {@code --kernel-samples=0}. Deterministic, so a resumed run rewrites the same file.
     */
    private static void checkKernel(ParsedOptions o, Config c, RunFolder run, TrainTest data, double tau0,
                                    List<Activation> compressed) {
        int samples = o.getInt("kernel-samples");
        if (samples <= 0) {
            return;
        }
        KernelCheck check = KernelCheck.of(data.train().x(), tau0, c.activations(), compressed, Math.max(2, samples));
        Table t = new Table("samples", "kernel_relative_error", "kernel_shape_relative_error", "kernel_norm_original");
        t.add(check.samples(), check.relativeError(), check.shapeRelativeError(), check.normOriginal());
        run.writeCsv("kernel-check.csv", t);
        System.err.printf(Locale.ROOT, "kernel check (%d training points): ‖K'−K‖/‖K‖ = %.4g, unit-trace %.4g%n",
                check.samples(), check.relativeError(), check.shapeRelativeError());
    }

    /**
     * Builds, trains and scores ONE network: samples its frozen random-feature layers
     * ({@link CompressedNetworks#build}), trains the readout on its features and measures test and
     * training accuracy and memory (paper convention and explicit breakdown).
     *
     * @param weights    the network's generator (Modified)
     * @param readoutRng the readout's generator when it is random (softmax), else null (Modified)
     * @throws DivergedLossException when the softmax readout's training diverges
     */
    private ResultRow runNetwork(Config c, Shared s, RunFolder run, NetworkSpec net, SplittableRandom weights,
                                 SplittableRandom readoutRng) {
        long t0 = System.nanoTime();
        TrainTest data = s.data();
        int p = data.train().p();
        int k = data.train().numClasses();
        CompressionMethod m = net.method();
        double eps = net.epsilonOrZero();
        List<Activation> activations = CompressedNetworks.activations(m, c.activations(), s.compressed());
        Initializer law = CompressedNetworks.weightLaw(m, eps, c.settings());
        boolean packed = c.packed() && m == CompressionMethod.NTK_LC && PackedNetwork.supports(law, activations);
        double shift = m == CompressionMethod.NTK_LC ? s.readoutShift() : 0;
        FeatureRows train;
        FeatureRows test;
        long nonZero;
        long resident;
        String forms = "";
        PackedNetwork packedNetwork = null;
        long tForward;
        if (packed) {
            packedNetwork = PackedNetwork.sample(p, net.widths(), activations, law, s.tau0(), weights);
            tForward = System.nanoTime();
            train = packedNetwork.packedFeatures(data.train().x(), c.forwardBatch());
            test = packedNetwork.packedFeatures(data.test().x(), c.forwardBatch());
            nonZero = packedNetwork.nonZeroCount();
            resident = packedNetwork.residentBytes();
            forms = packedNetwork.layers().stream().map(l -> l.weights().form().spelling())
                    .collect(java.util.stream.Collectors.joining(";"));
        } else {
            RandomFeatureNetwork network = RandomFeatureNetwork.sample(p, net.widths(), activations, law, s.tau0(), weights);
            tForward = System.nanoTime();
            train = FeatureRows.of(network.features(data.train().x(), c.forwardBatch()));
            test = FeatureRows.of(network.features(data.test().x(), c.forwardBatch()));
            nonZero = network.nonZeroCount();
            resident = network.residentBytes();
        }
        long tReadout = System.nanoTime();
        Readout readout = c.readout().fit(train, data.train().labels(), k, shift, readoutRng);
        OptionalDouble lambda = readout instanceof RidgeReadout r ? OptionalDouble.of(r.lambda()) : OptionalDouble.empty();
        double testAcc = readout.accuracy(test, data.test().labels());
        double trainAcc = readout.accuracy(train, data.train().labels());
        long tEnd = System.nanoTime();
        double seconds = (tEnd - t0) / 1e9;
        double bits = CompressedNetworks.paperBits(m, eps, p, net.widths(), k, c.settings());
        MemoryBreakdown explicit = CompressedNetworks.breakdown(m, eps, p, net.widths(), k, c.settings(), activations);
        CompressPresets.PaperPoint paper = c.preset() == null ? null
                : c.preset().find(m.spelling(), net.epsilon(), ExperimentOptions.widthsText(net.widths()));
        OptionalDouble entropy = m == CompressionMethod.NTK_LC
                ? OptionalDouble.of(MemoryAccounting.ternaryEntropy(eps) * MemoryAccounting.hiddenWeights(p, net.widths()))
                : OptionalDouble.empty();
        if (c.saveModels()) {
            saveModel(c, run, net, packedNetwork, readout, testAcc);
        }
        return new ResultRow(net, bits, testAcc, seconds, trainAcc, explicit.totalBits(), nonZero, lambda, paper,
                packed ? "packed" : "dense", resident, entropy, forms, (tReadout - tForward) / 1e9, (tEnd - tReadout) / 1e9);
    }

    /**
     * {@code models/<method>-eps<ε>-<widths>.ntklc}: the packed network, its readout and what
     * {@code predict} needs to rebuild the test set ({@link ModelFile}); other networks are skipped
     * with a note.
     */
    private void saveModel(Config c, RunFolder run, NetworkSpec net, PackedNetwork network, Readout readout,
                           double testAccuracy) {
        if (network == null) {
            System.err.println("compress: --save-models: " + net.method().spelling() + " " + net.epsilonText()
                    + " is not a packed network (model files hold packed NTK-LC networks); not saved");
            return;
        }
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("method", net.method().spelling());
        provenance.put("epsilon", net.epsilonText());
        provenance.put("widths", ExperimentOptions.widthsText(net.widths()));
        DataSpec d = c.data();
        provenance.put("data", d.source());
        provenance.put("classes", ExperimentOptions.widthsText(d.classes()));
        provenance.put("train-per-class", String.valueOf(d.trainPerClass()));
        provenance.put("test-per-class", String.valueOf(d.testPerClass()));
        provenance.put("p", String.valueOf(d.p()));
        provenance.put("features", d.features());
        provenance.put("seed", String.valueOf(c.seed()));
        provenance.put("forward-batch", String.valueOf(c.forwardBatch()));
        provenance.put("test_accuracy", String.valueOf(testAccuracy));
        String name = "models/" + modelName(net);
        run.write(name, out -> ModelFile.write(new ModelFile.Model(network, readout, provenance), out));
        System.err.println("compress: saved " + run.resolve(name));
    }

    /**
     * Whether the NTK-LC networks will run on the packed engine, decided before solving: as
     * {@link #runNetwork} decides ({@link PackedNetwork#supports}) for a {@code --compressed} chain;
     * otherwise yes, since every variant's solution is a chain of step activations of at most 16
     * levels (σ_T, σ_Q, the staircases of {@code tau-matched-Kbit}), which the engine holds.
     */
    private static boolean expectPackedEngine(Config c, ParsedOptions o) {
        if (!c.packed()) {
            return false;
        }
        if (!o.getString("compressed").isBlank()) {
            Initializer ternary = CompressedNetworks.weightLaw(CompressionMethod.NTK_LC, 0, c.settings());
            return PackedNetwork.supports(ternary, Solve.parseChain(o, "compressed"));
        }
        return true;
    }

    /** {@code <method>-eps<ε>-<widths with x>.ntklc}, e.g. {@code ntk-lc-eps0.9-5000x5000x2000.ntklc}. */
    static String modelName(NetworkSpec net) {
        return net.method().spelling() + (net.epsilon().isPresent() ? "-eps" + net.epsilonText() : "") + "-"
                + ExperimentOptions.widthsText(net.widths()).replace(',', 'x') + ".ntklc";
    }

    private Config parse(ParsedOptions o, CompressPresets.Preset preset) {
        String data = o.getChoice("data", "gmm-mixed", "gmm-var", "mnist", "fashion-mnist", "cifar10-features");
        List<Activation> activations = Solve.parseChain(o, "activations");
        List<int[]> widthSets = ExperimentOptions.widthSets(o, "widths", activations.size());
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
        int p = o.getPositiveInt("p");
        return new Config(new DataSpec(data, classes, trainPerClass, testPerClass, p, o.getString("data-dir"),
                features(o, data)),
                activations, widthSets, epsilons, methods,
                LastLayerVariant.parse(o.getChoice("variant", LastLayerVariant.spellings())), o.getPositiveInt("restarts"),
                new CompressedNetworks.Settings(fractionSparse, fractionPrune,
                        o.getChoice("ternary", "iid", "exact").equals("exact")),
                ExperimentOptions.ReadoutOptions.parse(o), o.getPositiveInt("forward-batch"), o.getLong("seed"), preset,
                o.getChoice("engine", "packed", "dense").equals("packed"), o.getBoolean("save-models"));
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
        return switch (c.data().source()) {
            case "mnist", "fashion-mnist" -> 784;
            // 512 / width divisor of the VGG that produced the file
            case "cifar10-features" -> FeatureFile.read(Path.of(c.data().features())).train().p();
            default -> c.data().p();
        };
    }

    /**
     * Loads the data through {@link DataSource}: per-class counts become the totals
     * {@code K·count} of a {@link DataRequest}; real data get the paper preprocessing of docs/theory.md §1.3.
     */
    static TrainTest load(DataSpec c, SplittableRandom rng) {
        int k = c.classes().length;
        if (c.source().equals("cifar10-features")) {
            // Already normalised per split by the features command (docs/theory.md §1.4); here only the
            // classes and the first samples of each class are selected.
            TrainTest all = FeatureFile.read(Path.of(c.features()));
            double[] equal = new double[0];
            return new TrainTest(Preprocessing.select(all.train(), c.classes(), c.trainPerClass() * k, equal),
                    Preprocessing.select(all.test(), c.classes(), c.testPerClass() * k, equal));
        }
        DataRequest request = new DataRequest(Path.of(c.dataDir()), c.classes(), c.trainPerClass() * k,
                c.testPerClass() * k, new double[0], c.p(), Preprocess.PAPER);
        return DataSource.parse(c.source()).load(request, rng).data();
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
