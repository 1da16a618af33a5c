package ntklc.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
import ntklc.data.DataBundle;
import ntklc.data.DataRequest;
import ntklc.data.DataSource;
import ntklc.data.Dataset;
import ntklc.data.GmmDraw;
import ntklc.data.Preprocess;
import ntklc.linalg.Matrix;
import ntklc.linalg.Products;
import ntklc.nn.Initializer;
import ntklc.report.Charts;
import ntklc.report.ProgressBar;
import ntklc.report.RunFolder;
import ntklc.report.Table;
import ntklc.spectral.Coefficients;
import ntklc.spectral.DataStatistics;
import ntklc.spectral.EquivalentCoefficients;
import ntklc.spectral.Equivalents;
import ntklc.spectral.ExactKernels;
import ntklc.spectral.MonteCarloKernels;
import ntklc.spectral.SpectralComparison;

/**
 * {@code spectrum} — experiment E1 (paper §4, Fig. 2; docs/theory.md §8.1, §8.5 R1–R3): the spectrum and
 * leading eigenvectors of the conjugate kernel (or NTK) of a deep random network against those of
 * its random-matrix equivalent K̃ (Theorem 1 / Theorem 2).
 *
 * <p>K is either the exact infinite-width kernel ({@code --method=exact}, {@link ExactKernels}) or
 * the average over {@code --draws} finite networks ({@code --method=monte-carlo},
 * {@link MonteCarloKernels}); K̃ is built by {@link Equivalents} from the τ/α/β/κ recursions
 * ({@link Coefficients}). Outputs in the run folder: {@code summary.csv} (metric,value),
 * {@code eigenvalues.csv}, {@code histogram.csv} (common bins), {@code eigenvectors.csv}
 * (sign-aligned), {@code spectrum.png} (Fig. 2 top) and {@code eigenvectors.png} (Fig. 2 bottom);
 * with monte-carlo also {@code monte-carlo.bin}, the running sum of the draws saved after every
 * block, from which {@code --resume=RUN_DIR} continues a killed run.
 *
 * <p>Defaults (no options): GMM {@code mixed}, n = p = 800, three ReLU layers, exact CK — the
 * configuration of docs/theory.md §8.5 R1, a few seconds here.
 */
public final class Spectrum implements Command {
    /** Number of leading eigenvectors compared and written. */
    private static final int VECTORS = 2;

    /** Options that may differ between a run and its {@code --resume}: where and in which blocks, not what. */
    static final Set<String> RESUME_HARMLESS = Set.of(DeviceOption.OPTION, "block");

    /** The running Monte-Carlo sum, saved after every block of draws ({@link MonteCarloSums}). */
    static final String SUMS = "monte-carlo.bin";

    /** The option naming a run whose Monte-Carlo sum this run starts from. */
    static final String REUSE_DRAWS = "reuse-draws";

    /**
     * The options that decide the Monte-Carlo K (the data, its draw, the networks and their
     * generator): a run may start from another's sum only when all of them agree. K̃'s options
     * ({@code --identity}, {@code --ntk-recursion}, {@code --form}) and the report's ({@code --bins})
     * do not enter K.
     */
    static final List<String> SAME_K = List.of("data", "data-dir", "classes", "n", "p", "activations", "widths", "kernel",
            "method", "weights", "seed");

    /** Most histogram bins accepted: far more than the n ≤ 46 340 eigenvalues Java's arrays allow. */
    static final int MAX_BINS = 1_000_000;

    public static void main(String[] args) {
        Cli.runAndExit(new Spectrum(), args);
    }

    @Override
    public String name() {
        return "spectrum";
    }

    @Override
    public String summary() {
        return "E1 (paper Fig. 2): spectrum and leading eigenvectors of the CK/NTK vs its equivalent K̃";
    }

    @Override
    public OptionSpec options() {
        return Resume.addOption(DeviceOption.addOption(new OptionSpec()
                .add("preset", "", SpectrumPresets.NAMES + " (reduced sizes; explicit options still win)")
                .add("data", "gmm-mixed", "data source: gmm-mixed|gmm-var|gmm-means|gmm-iid|mnist|fashion-mnist|csv:PATH")
                .add("data-dir", "data", "folder holding the real data sets (see data/README.md)")
                .add("classes", "", "original class labels to keep, e.g. 6,8 (empty: all; GMM: 0..K−1)")
                .add("n", "800", "number of samples n (first ⌊n/K⌋ of each class)")
                .add("p", "800", "dimension p of a Gaussian mixture (gmm-* only)")
                .add("activations", "relu,relu,relu", "activation of each hidden layer, e.g. poly:0.2:1:0,relu,relu")
                .add("widths", "2000,2000,1000", "hidden widths d_1..d_L (monte-carlo only)")
                .add("kernel", "ck", "ck (conjugate kernel, Theorem 1) | ntk (neural tangent kernel, Theorem 2)")
                .add("method", "exact", "exact (infinite width) | monte-carlo (average over finite networks)")
                .add("draws", "100", "weight draws R averaged by monte-carlo")
                .add("block", "10", "monte-carlo: draws between two saves of the running sum (" + SUMS + ")")
                .add(REUSE_DRAWS, "", "monte-carlo: start from the draws summed in RUN_DIR/" + SUMS + ", a spectrum run"
                        + " of the same K (options " + String.join(", ", SAME_K) + " equal; K̃'s --identity,"
                        + " --ntk-recursion, --form may differ): K does not depend on how K̃ is built")
                .add("weights", "gaussian", "weight law: " + Initializer.SPELLINGS)
                .add("first-layer", "auto", "monte-carlo ck: auto (Gaussian weights with p > n: draw X·W_1ᵀ as L·G, L Lᵀ = X Xᵀ,"
                        + " the same law with p/n times fewer multiply-adds in the first layer; docs/theory.md §2.2) | weights (draw W_1"
                        + " itself)")
                .add("identity", "recommended", "identity coefficient of K̃: recommended (τ_L² − τ0²α1) | paper (− τ0⁴α3 more)")
                .add("ntk-recursion", "recommended", "β/κ recursion of K̃_NTK: recommended | preprint")
                .add("form", "v", "rank-one part of K̃: v (v_i = ‖x_i‖² − τ0², recommended) | psi-t (J t/√p + ψ, paper)")
                .add("bins", "50", "histogram bins over the common eigenvalue range")
                .add("seed", "1", "seed of the data draw and of the weights")
                .add("out", "", "run folder (default out/spectrum-<timestamp>)")
                .flag("dry-run", "check the options, write config.properties, and stop")),
                "the monte-carlo draws already summed in its " + SUMS, RESUME_HARMLESS);
    }

    /** Which kernel K is compared with its equivalent K̃. */
    enum Kernel {
        /** Conjugate kernel, Theorem 1. */
        CK,
        /** Neural tangent kernel, Theorem 2. */
        NTK
    }

    /** How K is computed. */
    enum Method {
        /** The infinite-width kernel ({@link ExactKernels}). */
        EXACT,
        /** The average over finite networks ({@link MonteCarloKernels}), resumable by blocks. */
        MONTE_CARLO
    }

    /**
     * The parsed configuration (after the preset).
     *
     * @param widths d_1..d_L (monte-carlo only; empty for exact)
     * @param draws  R, weight draws averaged by monte-carlo
     * @param block  draws between two saves of the running sum
     * @param firstLayerByFactor draw the first layer through the factor of X Xᵀ where the law allows
     *                           ({@code --first-layer=auto})
     */
    record Config(String data, String dataDir, int[] classes, int n, int p, List<Activation> activations,
                  int[] widths, Kernel kernel, Method method, int draws, int block, Initializer weights,
                  EquivalentCoefficients.Identity identity, Coefficients.NtkRecursion ntkRecursion,
                  DataStatistics.Form form, int bins, long seed, boolean firstLayerByFactor) {
        String kernelName() {
            return kernel.name();
        }

        /** Whether a run on n×p data draws its first layer through the factor of X Xᵀ (data permitting). */
        boolean drawsFirstLayerByFactor(long n, long p) {
            return kernel == Kernel.CK && method == Method.MONTE_CARLO && firstLayerByFactor
                    && MonteCarloKernels.firstLayerFactorApplies(weights, n, p);
        }
    }

    static Config config(ParsedOptions o) {
        ExperimentOptions.applyPreset(o, SpectrumPresets::get);
        List<Activation> activations;
        try {
            activations = Activations.parseChain(o.getString("activations"));
        } catch (IllegalArgumentException e) {
            throw new UserError("--activations=" + o.getString("activations") + ": " + e.getMessage());
        }
        Method method = o.getChoice("method", "exact", "monte-carlo").equals("monte-carlo")
                ? Method.MONTE_CARLO : Method.EXACT;
        int[] widths = method == Method.MONTE_CARLO ? ExperimentOptions.widths(o, "widths", activations.size())
                : new int[0];
        int n = o.getInt("n");
        if (n < 4) {
            throw o.bad("n", String.valueOf(n), "at least 4 samples");
        }
        if (o.getPositiveInt("bins") > MAX_BINS) {
            throw o.bad("bins", o.getString("bins"), "a number of bins from 1 to " + MAX_BINS);
        }
        if (o.getInt("p") < 1) {
            throw o.bad("p", o.getString("p"), "a positive integer");
        }
        Initializer weights;
        try {
            weights = Initializer.parse(o.getString("weights"));
        } catch (IllegalArgumentException e) {
            throw new UserError("--weights: " + e.getMessage());
        }
        return new Config(o.getString("data"), o.getString("data-dir"), o.getIntList("classes"), n, o.getInt("p"),
                activations, widths, o.getChoice("kernel", "ck", "ntk").equals("ntk") ? Kernel.NTK : Kernel.CK, method,
                o.getPositiveInt("draws"), o.getPositiveInt("block"), weights,
                EquivalentCoefficients.Identity.of(o.getChoice("identity", "recommended", "paper")),
                o.getChoice("ntk-recursion", "recommended", "preprint").equals("preprint")
                        ? Coefficients.NtkRecursion.PREPRINT : Coefficients.NtkRecursion.RECOMMENDED,
                DataStatistics.Form.of(o.getChoice("form", "v", "psi-t")), o.getPositiveInt("bins"), o.getLong("seed"),
                o.getChoice("first-layer", "auto", "weights").equals("auto"));
    }

    /**
     * Dominant allocations ({@link Footprint}), with {@code n = --n}, p the data dimension:
     * <ul>
     *   <li>seven {@code n×n} double matrices at once: the Gram {@code XXᵀ}, K, K̃ and four working
     *       copies (the eigensolver's, {@code K − K̃}, the exact recursion's K′ and NTK, or the
     *       Monte-Carlo sum and its symmetrisation);</li>
     *   <li>the samples {@code n×p} in float and in double and the centred copy of estimated
     *       statistics in double: {@code 20·n·p} bytes, plus what the data source loads;</li>
     *   <li>monte-carlo: for every layer ℓ the pre-activations, activations and derivatives
     *       {@code n×d_ℓ} in double (the NTK keeps them all) and the weights {@code d_ℓ×d_ℓ−1} in float
     *       and double;</li>
     *   <li>monte-carlo CK through the first-layer factor ({@code --first-layer=auto}, Gaussian, n &lt; p):
     *       while L is computed, the samples and their transpose in double ({@code n×p}) and
     *       {@code X Xᵀ}, L and its copy ({@code n×n}).</li>
     * </ul>
     */
    @Override
    public Footprint footprint(ParsedOptions given) {
        ParsedOptions o = Resume.options(options(), given, RESUME_HARMLESS);
        Config c = config(o);
        Solve.requireMeaningful(o, "activations", c.activations(), Solve.NOMINAL_TAU0);
        if (o.getBoolean("dry-run")) {
            return Footprint.none(); // checks the options only: nothing large is built
        }
        DataSource source = DataSource.parse(c.data());
        long n = c.n();
        long p = Footprints.dimension(source, c.p());
        Footprint f = Footprint.none()
                .doubles("the kernel matrices K, K̃ and their working copies (n×n)", 7, n, n, "a smaller --n")
                .floats("the samples (n×p)", 1, n, p, "a smaller --n or --p")
                .doubles("the samples and their centred copy (n×p)", 2, n, p, "a smaller --n or --p")
                .plus(Footprints.data(source, n, source instanceof DataSource.Mixture ? n : 0, c.p()));
        if (c.method() == Method.MONTE_CARLO) {
            long in = p;
            for (int d : c.widths()) {
                f.doubles("the layer pre-activations, activations and derivatives (n×d_ℓ)", 3, n, d, "smaller --widths");
                f.add("the weights (d_ℓ×d_ℓ−1)", 1, Footprint.times(d, in), Float.BYTES + Double.BYTES, "smaller --widths");
                in = d;
            }
            if (c.drawsFirstLayerByFactor(n, p)) {
                f.doubles("the first-layer factor: the samples and their transpose (n×p)", 2, n, p, "--first-layer=weights");
                f.doubles("the first-layer factor: X Xᵀ and L (n×n)", 3, n, n, "--first-layer=weights");
            }
        }
        return f;
    }

    @Override
    public int run(ParsedOptions given) {
        try (Devices.Route route = DeviceOption.routeMatrixProducts(given, System.err::println)) {
            return compute(given);
        }
    }

    private int compute(ParsedOptions given) {
        ParsedOptions o = Resume.options(options(), given, RESUME_HARMLESS);
        Config c = config(o);
        DataSource source = DataSource.parse(c.data());
        RunFolder run = Resume.folder(given, o);
        if (o.getBoolean("dry-run")) {
            System.err.println("spectrum: dry run, options are valid; nothing computed");
            System.out.println(run.dir());
            return 0;
        }
        long t0 = System.nanoTime();
        SplittableRandom rng = new SplittableRandom(c.seed());

        // Data: x is n×p (samples as rows), ‖x_i‖² ≈ τ0².
        // Only the training split is used; a Gaussian mixture needs a test size ≥ 1, real data takes
        // "0 = all" (cheap next to the kernels) so that small files never fail on their test split.
        int nTest = source instanceof DataSource.Mixture ? c.n() : 0;
        DataBundle bundle = source.load(new DataRequest(java.nio.file.Path.of(c.dataDir()), c.classes(), c.n(), nTest,
                new double[0], c.p(), Preprocess.PAPER), rng);
        Dataset train = bundle.data().train();
        Matrix x = Matrix.fromTensor(train.x());
        DataStatistics stats = statistics(x, train, bundle);
        double tau0 = stats.tau0();
        System.err.printf(Locale.ROOT, "spectrum: %s, n = %d, p = %d, K = %d, τ0 = %.4f%n", bundle.name(), x.rows(),
                x.cols(), train.numClasses(), tau0);

        // K: exact infinite-width kernel or Monte-Carlo average; K̃ from the coefficient recursions.
        Matrix gram = Products.gram(x);
        Matrix k = c.method() == Method.EXACT ? exact(c, gram, tau0)
                : monteCarlo(c, run, Resume.requested(given), reusedDraws(o, x.rows()), x, train, tau0, rng);
        Coefficients.Layer last = Coefficients.compute(c.activations(), tau0, c.ntkRecursion()).last();
        EquivalentCoefficients ec = c.kernel() == Kernel.NTK ? EquivalentCoefficients.ntk(last, tau0, c.identity())
                : EquivalentCoefficients.ck(last, tau0, c.identity());
        if (!Double.isFinite(ec.identity())) {
            throw new UserError("the identity coefficient of K̃_NTK is undefined for activations with jumps (docs/theory.md §5.2); "
                    + "use --kernel=ck");
        }
        Matrix kTilde = Equivalents.build(gram, stats, c.form(), ec);
        System.err.println("spectrum: eigen-decompositions of K and K̃ (" + x.rows() + "×" + x.rows() + ")");
        SpectralComparison cmp = SpectralComparison.of(k, kTilde, VECTORS);
        double seconds = (System.nanoTime() - t0) / 1e9;

        Table summary = summaryTable(cmp, tau0, ec, seconds);
        Table eigenvalues = new Table("index", "K", "Ktilde");
        for (int i = 0; i < cmp.k().values().length; i++) {
            eigenvalues.add(i + 1, cmp.k().values()[i], cmp.kTilde().values()[i]);
        }
        Table histogram = histogramTable(cmp.k().values(), cmp.kTilde().values(), c.bins());
        Table vectors = vectorTable(cmp, train.labels());
        run.writeCsv("summary.csv", summary);
        run.writeCsv("eigenvalues.csv", eigenvalues);
        run.writeCsv("histogram.csv", histogram);
        run.writeCsv("eigenvectors.csv", vectors);
        String what = c.kernelName() + ", " + bundle.name() + ", n = " + x.rows();
        Charts.savePng(run, "spectrum.png", spectrumChart("Eigenvalues of K (blue) and K̃ (orange), " + what, histogram,
                cmp.k().values(), cmp.kTilde().values()), 900, 550);
        Charts.savePng(run, "eigenvectors.png", Charts.lines("Leading eigenvector of K and K̃ (sign-aligned), " + what,
                "sample index", "entry", Charts.fromTable(vectors, "index", "u1_K", "u1_Ktilde"), false, false), 900, 450);
        System.out.print(summary.format(4));
        System.out.println(run.dir());
        return 0;
    }

    /**
     * The paper's Fig. 2 top: the two eigenvalue histograms on common bins, with the isolated
     * eigenvalues of each ({@link SpectralComparison#isolatedCount}, gap = one bin) marked by
     * vertical lines, K solid and K̃ dashed. Both spectra are sorted decreasingly.
     */
    static org.jfree.chart.JFreeChart spectrumChart(String title, Table histogram, double[] k, double[] kTilde) {
        double binWidth = histogram.doubles("bin_hi")[0] - histogram.doubles("bin_lo")[0];
        org.jfree.chart.JFreeChart chart = Charts.histograms(title, "eigenvalue", "count", histogram, "bin_lo", "bin_hi",
                "K", "Ktilde");
        Charts.markX(chart, java.util.Arrays.copyOf(k, SpectralComparison.isolatedCount(k, binWidth)), Charts.PALETTE[0],
                false, "K: ");
        Charts.markX(chart, java.util.Arrays.copyOf(kTilde, SpectralComparison.isolatedCount(kTilde, binWidth)),
                Charts.PALETTE[1], true, "K̃: ");
        return chart;
    }

    /** Population statistics for a Gaussian mixture (docs/theory.md §1.1), estimated ones otherwise (docs/theory.md §1.3). */
    private static DataStatistics statistics(Matrix x, Dataset train, DataBundle bundle) {
        double[] norms = DataStatistics.squaredNorms(x);
        if (bundle.gmm().isPresent()) {
            GmmDraw draw = bundle.gmm().get();
            int kClasses = train.numClasses();
            double[] traceOverP = new double[kClasses];
            for (int a = 0; a < kClasses; a++) {
                traceOverP[a] = draw.spec().covarianceScale(a);
            }
            return new DataStatistics(DataStatistics.tau0(norms), train.labels().clone(), kClasses, x.cols(), traceOverP,
                    draw.spec().T(), draw.train().psi(), norms);
        }
        return DataStatistics.estimate(x, train.labels(), train.numClasses());
    }

    /** The exact infinite-width CK or NTK. */
    private static Matrix exact(Config c, Matrix gram, double tau0) {
        System.err.println("spectrum: exact " + c.kernelName() + " through " + Activations.chainSpec(c.activations()));
        ExactKernels.Result r = ExactKernels.compute(gram, tau0, c.activations(), c.kernel() == Kernel.NTK,
                ExactKernels.Method.AUTO, ExactKernels.DEFAULT_HERMITE_ORDER);
        return c.kernel() == Kernel.NTK ? r.ntk() : r.ck();
    }

    /**
     * The Monte-Carlo CK or NTK, by blocks of {@code --block} draws: after each block the running
     * sum and the draw count are saved atomically ({@value #SUMS}); a resumed run reloads them and
     * continues. Draw {@code r} uses the {@code (r+1)}-th split of {@code rng}, so the draws already
     * summed are skipped by splitting (cheap) and the rest get the streams of an uninterrupted run.
     * The same holds for draws summed by another run of the same K ({@code --reuse-draws}): this
     * run starts from them as from its own.
     *
     * @param reused the sum of {@code --reuse-draws} (empty without it)
     * @param rng the generator left after the data draw (Modified)
     */
    private static Matrix monteCarlo(Config c, RunFolder run, boolean resumed, MonteCarloSums reused, Matrix x,
                                     Dataset train, double tau0, SplittableRandom rng) {
        MonteCarloSums sums = resumed ? MonteCarloSums.readOrEmpty(run.resolve(SUMS), x.rows())
                : MonteCarloSums.empty(x.rows());
        if (sums.draws() == 0 && reused.draws() > 0) {
            System.err.println("spectrum: starting from the " + reused.draws() + " draws summed in --" + REUSE_DRAWS);
            sums = reused;
        }
        for (int r = 0; r < sums.draws(); r++) {
            rng.split();
        }
        System.err.println("spectrum: empirical " + c.kernelName() + ", " + c.draws() + " draws"
                + (sums.draws() > 0 ? ", resuming after draw " + sums.draws() : "")
                + (c.kernel() == Kernel.NTK ? " (explicit layer recursion, double)" : ""));
        ProgressBar bar = new ProgressBar("monte-carlo " + c.kernelName(), Math.max(1, c.draws() - sums.draws()));
        // One set of weight and layer buffers for all CK draws (the same sums as addConjugateDraw).
        MonteCarloKernels.ConjugateDraws ck = c.kernel() == Kernel.NTK ? null
                : new MonteCarloKernels.ConjugateDraws(train.x().rows(), train.x().cols(), c.widths());
        if (ck != null && c.firstLayerByFactor()) {
            boolean used = ck.drawFirstLayerByFactor(train.x(), c.weights());
            System.err.println("spectrum: first layer drawn " + (used
                    ? "as L·G with L Lᵀ = X Xᵀ (Gaussian weights, p > n; docs/theory.md §2.2)"
                    : "through W_1 (needs Gaussian weights, p > n and X Xᵀ positive definite)"));
        }
        while (sums.draws() < c.draws()) {
            int block = Math.min(c.block(), c.draws() - sums.draws());
            for (int b = 0; b < block; b++) {
                if (c.kernel() == Kernel.NTK) {
                    MonteCarloKernels.addTangentDraw(sums.sum(), x, tau0, c.activations(), c.widths(), c.weights(),
                            rng.split());
                } else {
                    ck.add(sums.sum(), train.x(), tau0, c.activations(), c.weights(), rng.split());
                }
                bar.step("");
            }
            sums = sums.after(block);
            run.write(SUMS, sums::write);
        }
        return MonteCarloKernels.mean(sums.sum(), x.rows(), sums.draws());
    }

    /**
     * The Monte-Carlo sum of the run named by {@code --reuse-draws} (empty without it), refused
     * with a {@link UserError} unless that run computed the same K ({@link #SAME_K}) with at most
     * this run's {@code --draws}.
     *
     * @param o this run's options (the preset applied)
     * @param n this run's number of samples
     */
    static MonteCarloSums reusedDraws(ParsedOptions o, int n) {
        String dir = o.getString(REUSE_DRAWS).trim();
        if (dir.isEmpty()) {
            return MonteCarloSums.empty(0);
        }
        String what = "spectrum: --" + REUSE_DRAWS + "=" + dir + ": ";
        ParsedOptions source;
        try {
            RunFolder run = RunFolder.existing(java.nio.file.Path.of(dir));
            List<String> args = new ArrayList<>();
            run.recordedOptions().forEach((k, v) -> {
                if (!k.equals(Resume.OPTION)) {
                    args.add("--" + k + "=" + v);
                }
            });
            source = new Spectrum().options().parse("spectrum", args.toArray(String[]::new));
            Config sc = config(source);
            if (sc.method() != Method.MONTE_CARLO) {
                throw new UserError(what + "not a monte-carlo run");
            }
            if (sc.draws() > o.getPositiveInt("draws")) {
                throw new UserError(what + "it sums " + sc.draws() + " draws, more than this run's --draws");
            }
        } catch (ntklc.report.RunFolderException e) {
            throw new UserError(what + e.getMessage());
        }
        for (String key : SAME_K) {
            if (!source.getString(key).trim().equals(o.getString(key).trim())) {
                throw new UserError(what + "its --" + key + "=" + source.getString(key) + " differs from this run's ("
                        + o.getString(key) + "): not the same K");
            }
        }
        java.nio.file.Path sums = java.nio.file.Path.of(dir, SUMS);
        if (!java.nio.file.Files.exists(sums)) {
            throw new UserError(what + "no " + SUMS + " there (not finished a block yet?)");
        }
        return MonteCarloSums.readOrEmpty(sums, n);
    }

    private static Table summaryTable(SpectralComparison cmp, double tau0, EquivalentCoefficients ec, double seconds) {
        Table t = new Table("metric", "value");
        t.add("tau0", tau0);
        t.add("rel_error", cmp.relError());
        t.add("norm_K", cmp.normK());
        t.add("norm_K_minus_Ktilde", cmp.normError());
        for (int j = 0; j < VECTORS; j++) {
            t.add("top" + (j + 1) + "_K", cmp.k().values()[j]);
            t.add("top" + (j + 1) + "_Ktilde", cmp.kTilde().values()[j]);
        }
        for (int j = 0; j < VECTORS; j++) {
            t.add("overlap" + (j + 1), cmp.overlaps()[j]);
        }
        t.add("coef_linear", ec.linear());
        t.add("coef_rank_one", ec.rankOne());
        t.add("coef_class_covariance", ec.classCovariance());
        t.add("coef_identity", ec.identity());
        t.add("seconds", seconds);
        return t;
    }

    /** Counts of both spectra on {@code bins} common bins over [min, max] of the two (docs/theory.md §8.1). */
    static Table histogramTable(double[] k, double[] kTilde, int bins) {
        double lo = Math.min(k[k.length - 1], kTilde[kTilde.length - 1]);
        double hi = Math.max(k[0], kTilde[0]);
        if (hi <= lo) {
            hi = lo + 1;
        }
        int[] ck = SpectralComparison.histogram(k, lo, hi, bins);
        int[] ct = SpectralComparison.histogram(kTilde, lo, hi, bins);
        Table t = new Table("bin_lo", "bin_hi", "K", "Ktilde");
        double w = (hi - lo) / bins;
        for (int b = 0; b < bins; b++) {
            t.add(lo + b * w, b == bins - 1 ? hi : lo + (b + 1) * w, ck[b], ct[b]);
        }
        return t;
    }

    private static Table vectorTable(SpectralComparison cmp, int[] labels) {
        List<String> cols = new ArrayList<>(List.of("index", "class"));
        for (int j = 1; j <= VECTORS; j++) {
            cols.add("u" + j + "_K");
            cols.add("u" + j + "_Ktilde");
        }
        Table t = new Table(cols);
        for (int i = 0; i < labels.length; i++) {
            Object[] row = new Object[cols.size()];
            row[0] = i;
            row[1] = labels[i];
            for (int j = 0; j < VECTORS; j++) {
                row[2 + 2 * j] = cmp.k().vectors().get(i, j);
                row[3 + 2 * j] = cmp.kTilde().vectors().get(i, j);
            }
            t.add(row);
        }
        return t;
    }
}
