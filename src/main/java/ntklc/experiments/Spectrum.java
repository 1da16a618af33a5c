package ntklc.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * (sign-aligned), {@code spectrum.png} (Fig. 2 top) and {@code eigenvectors.png} (Fig. 2 bottom).
 *
 * <p>Defaults (no options): GMM {@code mixed}, n = p = 800, three ReLU layers, exact CK — the
 * configuration of docs/theory.md §8.5 R1, a few seconds here.
 */
public final class Spectrum implements Command {
    /** Number of leading eigenvectors compared and written. */
    private static final int VECTORS = 2;

    /**
     * The presets of docs/theory.md §8.1, reduced to run in minutes on two cores. Each value overrides the
     * default only where the user did not give the option.
     */
    private static final Map<String, Map<String, String>> PRESETS = Map.of(
            // Fig. 2 left: GMM mixed, ReLU ×3, widths (2000, 2000, 1000), Gaussian W, empirical CK.
            // The paper uses n = 2000, p = 8000 and 1000 realisations; here n = p = 800 and 50 draws.
            "paper-fig2-left", orderedMap("data", "gmm-mixed", "n", "800", "p", "800",
                    "activations", "relu,relu,relu", "widths", "2000,2000,1000", "method", "monte-carlo",
                    "draws", "50", "weights", "gaussian", "kernel", "ck"),
            // Fig. 2 right: MNIST 6 vs 8, activations (0.2t² + t, ReLU, ReLU) centred, symmetric
            // Bernoulli (±1) W. The paper uses n = 3200 and 1000 realisations; here n = 1600, 20 draws.
            "paper-fig2-right", orderedMap("data", "mnist", "classes", "6,8", "n", "1600",
                    "activations", "poly:0.2:1:0,relu,relu", "widths", "2000,2000,1000", "method", "monte-carlo",
                    "draws", "20", "weights", "bernoulli", "kernel", "ck"));

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
        return DeviceOption.addOption(new OptionSpec()
                .add("preset", "", "paper-fig2-left | paper-fig2-right (reduced sizes; explicit options still win)")
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
                .add("weights", "gaussian", "weight law: " + Initializer.SPELLINGS)
                .add("identity", "recommended", "identity coefficient of K̃: recommended (τ_L² − τ0²α1) | paper (− τ0⁴α3 more)")
                .add("ntk-recursion", "recommended", "β/κ recursion of K̃_NTK: recommended | preprint")
                .add("form", "v", "rank-one part of K̃: v (v_i = ‖x_i‖² − τ0², recommended) | psi-t (J t/√p + ψ, paper)")
                .add("bins", "50", "histogram bins over the common eigenvalue range")
                .add("seed", "1", "seed of the data draw and of the weights")
                .add("out", "", "run folder (default out/spectrum-<timestamp>)")
                .flag("dry-run", "check the options, write config.properties, and stop"));
    }

    /** The parsed configuration (after the preset). */
    record Config(String data, String dataDir, int[] classes, int n, int p, List<Activation> activations,
                  int[] widths, boolean ntk, boolean monteCarlo, int draws, Initializer weights,
                  EquivalentCoefficients.Identity identity, Coefficients.NtkRecursion ntkRecursion,
                  DataStatistics.Form form, int bins, long seed) {
    }

    static Config config(ParsedOptions o) {
        String preset = o.getChoice("preset", "", "paper-fig2-left", "paper-fig2-right");
        if (!preset.isEmpty()) {
            for (Map.Entry<String, String> e : PRESETS.get(preset).entrySet()) {
                if (!o.isGiven(e.getKey())) {
                    o.put(e.getKey(), e.getValue());
                }
            }
        }
        List<Activation> activations;
        try {
            activations = Activations.parseChain(o.getString("activations"));
        } catch (IllegalArgumentException e) {
            throw new UserError("--activations=" + o.getString("activations") + ": " + e.getMessage());
        }
        int[] widths = o.getIntList("widths");
        boolean monteCarlo = o.getChoice("method", "exact", "monte-carlo").equals("monte-carlo");
        if (monteCarlo && widths.length != activations.size()) {
            throw o.bad("widths", o.getString("widths"), "one width per activation (" + activations.size() + ")");
        }
        for (int d : widths) {
            if (d < 1) {
                throw o.bad("widths", o.getString("widths"), "positive widths");
            }
        }
        int n = o.getInt("n");
        if (n < 4) {
            throw o.bad("n", String.valueOf(n), "at least 4 samples");
        }
        int draws = o.getInt("draws");
        if (draws < 1) {
            throw o.bad("draws", String.valueOf(draws), "a positive integer");
        }
        int bins = o.getInt("bins");
        if (bins < 1 || bins > MAX_BINS) {
            throw o.bad("bins", String.valueOf(bins), "a number of bins from 1 to " + MAX_BINS);
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
                activations, widths, o.getChoice("kernel", "ck", "ntk").equals("ntk"), monteCarlo, draws, weights,
                EquivalentCoefficients.Identity.of(o.getChoice("identity", "recommended", "paper")),
                o.getChoice("ntk-recursion", "recommended", "preprint").equals("preprint")
                        ? Coefficients.NtkRecursion.PREPRINT : Coefficients.NtkRecursion.RECOMMENDED,
                DataStatistics.Form.of(o.getChoice("form", "v", "psi-t")), bins, o.getLong("seed"));
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
     *       and double.</li>
     * </ul>
     */
    @Override
    public Footprint footprint(ParsedOptions o) {
        Config c = config(o);
        Solve.requireMeaningful(o, "activations", c.activations(), Solve.NOMINAL_TAU0);
        DataSource source = DataSource.parse(c.data());
        long n = c.n();
        long p = Footprints.dimension(source, c.p());
        Footprint f = Footprint.none()
                .doubles("the kernel matrices K, K̃ and their working copies (n×n)", 7, n, n, "a smaller --n")
                .floats("the samples (n×p)", 1, n, p, "a smaller --n or --p")
                .doubles("the samples and their centred copy (n×p)", 2, n, p, "a smaller --n or --p")
                .plus(Footprints.data(source, n, source instanceof DataSource.Mixture ? n : 0, c.p()));
        if (c.monteCarlo()) {
            long in = p;
            for (int d : c.widths()) {
                f.doubles("the layer pre-activations, activations and derivatives (n×d_ℓ)", 3, n, d, "smaller --widths");
                f.add("the weights (d_ℓ×d_ℓ−1)", 1, Footprint.times(d, in), Float.BYTES + Double.BYTES, "smaller --widths");
                in = d;
            }
        }
        return f;
    }

    @Override
    public int run(ParsedOptions o) {
        try (Devices.Route route = DeviceOption.routeMatrixProducts(o, System.err::println)) {
            return compute(o);
        }
    }

    private int compute(ParsedOptions o) {
        Config c = config(o);
        DataSource source = DataSource.parse(c.data());
        RunFolder run = RunFolder.create(o.getString("out"), name());
        run.writeConfig(o.effective());
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
        Matrix k = kernel(c, x, train, gram, tau0, rng);
        Coefficients coefficients = Coefficients.compute(c.activations(), tau0, c.ntkRecursion());
        Coefficients.Layer last = coefficients.last();
        EquivalentCoefficients ec = c.ntk()
                ? EquivalentCoefficients.ntk(last.beta1(), last.beta2(), last.beta3(), last.kappa() * last.kappa(), tau0,
                c.identity())
                : EquivalentCoefficients.ck(last.alpha1(), last.alpha2(), last.alpha3(), last.tau(), tau0, c.identity());
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
        String what = (c.ntk() ? "NTK" : "CK") + ", " + bundle.name() + ", n = " + x.rows();
        Charts.savePng(run, "spectrum.png", Charts.histograms("Eigenvalues of K (blue) and K̃ (orange), " + what,
                "eigenvalue", "count", histogram, "bin_lo", "bin_hi", "K", "Ktilde"), 900, 550);
        Charts.savePng(run, "eigenvectors.png", Charts.lines("Leading eigenvector of K and K̃ (sign-aligned), " + what,
                "sample index", "entry", Charts.fromTable(vectors, "index", "u1_K", "u1_Ktilde"), false, false), 900, 450);
        System.out.print(summary.format(4));
        System.out.println(run.dir());
        return 0;
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

    private static Matrix kernel(Config c, Matrix x, Dataset train, Matrix gram, double tau0, SplittableRandom rng) {
        if (!c.monteCarlo()) {
            System.err.println("spectrum: exact " + (c.ntk() ? "NTK" : "CK") + " through " + Activations.chainSpec(c.activations()));
            ExactKernels.Result r = ExactKernels.compute(gram, tau0, c.activations(), c.ntk(), ExactKernels.Method.AUTO,
                    ExactKernels.DEFAULT_HERMITE_ORDER);
            return c.ntk() ? r.ntk() : r.ck();
        }
        if (c.ntk()) {
            System.err.println("spectrum: empirical NTK, " + c.draws() + " draws (explicit layer recursion, double)");
            return MonteCarloKernels.neuralTangentKernel(x, tau0, c.activations(), c.widths(), c.weights(), c.draws(), rng);
        }
        ProgressBar bar = new ProgressBar("monte-carlo CK", c.draws());
        return MonteCarloKernels.conjugateKernel(train.x(), tau0, c.activations(), c.widths(), c.weights(), c.draws(),
                rng, r -> bar.step(""));
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

    private static Map<String, String> orderedMap(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
