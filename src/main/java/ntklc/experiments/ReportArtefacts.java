package ntklc.experiments;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ntklc.cli.Command;
import ntklc.compression.CompressedNetworks;
import ntklc.compression.CompressionMethod;
import ntklc.compression.LastLayerVariant;
import ntklc.report.Charts;
import ntklc.report.Comparison;
import ntklc.report.RunFolder;
import ntklc.report.Table;
import ntklc.spectral.SpectralComparison;

/**
 * The nine artefacts of {@code report} (paper Fig. 2–4, Theorem 2, App. B Tables 1–2): for each,
 * the runs of the existing commands that produce it at the paper's sizes or at the reduced quick
 * sizes, the rows that compare their outputs with the paper, and the charts in the paper's
 * layout. Nothing here computes a result: every number is read from a sub-run's CSV.
 *
 * <p>The tolerances (one per metric, justified in {@code docs/report.md}):
 * <ul>
 *   <li>test accuracy: {@code max(0.02, 3·√(a(1−a)(1/n_test + 1/n_paper)))}, a the paper's value:
 *       three binomial standard errors of the two test sets, at least the 0.02 seed-to-seed spread
 *       measured for 1000 test points (docs/compression-results.md), which also covers reading the
 *       points off the paper's figures;</li>
 *   <li>memory in bits (relative): half a unit of the paper value's second significant digit, the
 *       rounding of the printed number;</li>
 *   <li>coefficients α, τ: 1e−4, one unit of the fourth printed decimal (half for the rounding of
 *       the coefficient, half for that of the τ0 it is computed from);</li>
 *   <li>spectra, where the paper prints no number and the reference is the theory
 *       (‖K − K̃‖ → 0, docs/theory.md §4.3, §5.3): {@link #spectralTolerance}.</li>
 * </ul>
 */
final class ReportArtefacts {
    private ReportArtefacts() {
    }

    /**
     * The project's best NTK-LC variant as {@code compress --variant} spells it: the alias
     * {@code best} where {@link LastLayerVariant} has it, else {@code tau-matched} (gap ≤ 0.02 to the
     * dense network on R6, docs/compression-results.md).
     */
    static final String BEST_VARIANT = java.util.Arrays.asList(LastLayerVariant.spellings()).contains("best") ? "best"
            : "tau-matched";
    /** What {@link #BEST_VARIANT} stands for, for labels and notes. */
    static final String BEST_LABEL = LastLayerVariant.parse(BEST_VARIANT).spelling();

    /**
     * Report scale: the paper's sizes; reduced sizes that run in minutes; or tiny sizes that run in
     * seconds, a test of the pipeline (used by the tests), not a reproduction.
     */
    enum Scale {
        SMOKE, QUICK, PAPER;

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The value for this scale. */
        <T> T pick(T smoke, T quick, T paper) {
            return this == SMOKE ? smoke : this == QUICK ? quick : paper;
        }
    }

    /** The names, in report order. */
    static final List<String> NAMES = List.of("fig2-left", "fig2-right", "ntk-spectrum", "fig3-mnist", "fig3-cifar10",
            "fig4-6v8", "fig4-0to4", "table1", "table2");

    /**
     * One invocation of an existing command: {@code folder} is the sub-run folder inside the
     * artefact's folder; {@code networks} counts what it builds (networks, weight draws or
     * activations); {@code work} is what it computes, for the estimate of {@link ReportEstimates}; {@code reuses} names a
     * sibling sub-run of the same artefact, run before this one, whose Monte-Carlo draws this one
     * starts from ({@code spectrum --reuse-draws}; empty: none).
     */
    record SubRun(String folder, Command command, List<String> args, int networks, ReportEstimates.Work work,
                  String reuses) {
        SubRun(String folder, Command command, List<String> args, int networks, ReportEstimates.Work work) {
            this(folder, command, args, networks, work, "");
        }

        /** The command line that reproduces this run alone, with the report's seed and device. */
        String commandLine(long seed, String device) {
            StringBuilder sb = new StringBuilder("java --add-modules jdk.incubator.vector -jar target/ntk-lc.jar ")
                    .append(command.name());
            for (String a : withCommon(seed, device)) {
                sb.append(' ').append(a.contains(";") || a.contains(" ") ? "'" + a + "'" : a);
            }
            if (!reuses.isEmpty()) {
                sb.append(" --").append(Spectrum.REUSE_DRAWS).append("=RUN_DIR_OF_").append(reuses);
            }
            return sb.toString();
        }

        /** {@link #args} plus {@code --seed} and {@code --device} where the command takes them. */
        List<String> withCommon(long seed, String device) {
            List<String> out = new ArrayList<>(args);
            if (command.options().has("seed")) {
                out.add("--seed=" + seed);
            }
            if (command.options().has("device") && !device.equals("auto")) {
                out.add("--device=" + device);
            }
            return out;
        }
    }

    /** A report artefact: its runs, its comparison rows and its charts. */
    interface Artefact {
        String name();

        /** What the paper shows, one line. */
        String title();

        /** What was reduced at this scale (empty at the paper's sizes); prefixed to every row's note. */
        String reduced();

        List<SubRun> runs();

        /** Why it cannot run (empty when it can): e.g. no {@code --features} for CIFAR-10. */
        default String cannotRun() {
            return "";
        }

        /** The comparison rows, read from the finished sub-runs in {@code dir}. */
        List<Comparison> compare(Path dir) throws IOException;

        /** Draws the charts into {@code dir} from the sub-runs' CSVs; returns their file names. */
        List<String> charts(RunFolder dir) throws IOException;

        /** The rows of an artefact that could not run, with {@code reason}. */
        default List<Comparison> notRun(String reason) {
            return List.of(Comparison.notRun(name(), "all", "", Double.NaN, 0, reason));
        }
    }

    /** The artefacts at {@code scale}; {@code features} may be empty (CIFAR-10 then not run). */
    static List<Artefact> all(Scale scale, String features) {
        String smokeNote = "smoke scale, a test of the pipeline and not a reproduction: ";
        List<Artefact> out = new ArrayList<>();
        // Fig. 2 left, paper: p = 8000, n = 2000, widths 2000,2000,1000, 1000 draws of Gaussian W.
        // Quick: n = p = 400, widths halved, 10 draws: seconds instead of hours, still a visible spike.
        out.add(new SpectrumArtefact("fig2-left", "Fig. 2 left: CK spectrum and leading eigenvector, GMM mixed, "
                + "Gaussian W, ReLU×3, vs K̃ (Theorem 1)", scale.pick(
                        smokeNote + "n = p = 100, widths 200,200,100, 2 weight draws",
                        "quick scale: n = p = 400 (paper n = 2000, p = 8000), widths 1000,1000,500 (paper 2000,2000,1000), "
                                + "10 weight draws (paper 1000)", ""),
                List.of(scale.pick(new SpectrumRun("spectrum", "paper-fig2-left", 100, 100, new int[] {200, 200, 100}, 2,
                                List.of()),
                        new SpectrumRun("spectrum", "paper-fig2-left", 400, 400, new int[] {1000, 1000, 500}, 10, List.of()),
                        new SpectrumRun("spectrum", "paper-fig2-left", 2000, 8000, new int[] {2000, 2000, 1000}, 1000,
                                List.of())))));
        // Fig. 2 right, paper: MNIST 6 vs 8, n = 3200, ±1 weights, poly,ReLU,ReLU, 1000 draws.
        out.add(new SpectrumArtefact("fig2-right", "Fig. 2 right: CK spectrum and leading eigenvector, MNIST 6 vs 8, "
                + "±1 W, poly,ReLU,ReLU, vs K̃ (Theorem 1)", scale.pick(
                        smokeNote + "n = 100, widths 200,200,100, 2 weight draws",
                        "quick scale: n = 400 (paper 3200), widths 1000,1000,500 (paper 2000,2000,1000), 10 weight draws "
                                + "(paper 1000)", ""),
                List.of(scale.pick(new SpectrumRun("spectrum", "paper-fig2-right", 100, 0, new int[] {200, 200, 100}, 2,
                                List.of()),
                        new SpectrumRun("spectrum", "paper-fig2-right", 400, 0, new int[] {1000, 1000, 500}, 10, List.of()),
                        new SpectrumRun("spectrum", "paper-fig2-right", 3200, 0, new int[] {2000, 2000, 1000}, 1000,
                                List.of())))));
        // Theorem 2 has no figure in the paper: the data of Fig. 2 left, both β/κ recursions.
        // Paper scale: Fig. 2 left's n, p and widths with 100 draws (the empirical NTK costs about
        // as much per draw as 10 CK draws). Quick: n = p = 300, widths 500³, 5 draws.
        int nNtk = scale.pick(80, 300, 2000);
        int pNtk = scale.pick(80, 300, 8000);
        int[] wNtk = scale.pick(new int[] {100, 100, 100}, new int[] {500, 500, 500}, new int[] {2000, 2000, 1000});
        int dNtk = scale.pick(2, 5, 100);
        List<String> ntk = List.of("--data=gmm-mixed", "--kernel=ntk", "--activations=relu,relu,relu");
        out.add(new SpectrumArtefact("ntk-spectrum", "Theorem 2: empirical NTK vs K̃_NTK, GMM mixed, ReLU×3, "
                + "the recommended and the preprint β/κ recursions (docs/theory.md §5.2)", scale.pick(
                        smokeNote + "n = p = 80, widths 100,100,100, 2 weight draws",
                        "quick scale: n = p = 300, widths 500,500,500, 5 weight draws (the paper shows no NTK spectrum)",
                        "the paper shows no NTK spectrum: sizes of Fig. 2 left with 100 draws"),
                List.of(new SpectrumRun("recommended", "", nNtk, pNtk, wNtk, dNtk, concat(ntk, "--ntk-recursion=recommended")),
                        new SpectrumRun("preprint", "", nNtk, pNtk, wNtk, dNtk, concat(ntk, "--ntk-recursion=preprint"),
                                "recommended"))));
        // Fig. 3 top and bottom, Fig. 4: the presets of compress. Quick: the first width set(s) and
        // a tenth of the data (the softmax readout is kept: it is what the paper used).
        out.add(new CompressArtefact("fig3-mnist", "Fig. 3 top: MNIST, 10 classes, test accuracy vs memory",
                "paper-fig3-mnist", 784, 10, scale.pick("1500,1500,1500", "1500,1500,1500", ""),
                scale.pick(30, 500, 5000), scale.pick(20, 100, 800), 800, scale.pick(
                        smokeNote + "widths 1500,1500,1500 only, 30 train / 20 test per class",
                        "quick scale: widths 1500,1500,1500 only (paper: five width sets up to 20000,20000,11000), "
                                + "500 train / 100 test per class (paper 5000 / 800)", ""), ""));
        String cifarCannot = features.isBlank() ? "needs --features=FILE, the VGG19 features of CIFAR-10: "
                + "`train-vgg --width-divisor=4 --linear-std=0.02 --lr=0.05 --epochs=24 --out=out/vgg` (hours), then "
                + "`features --weights=out/vgg --out=out/features` (docs/compression-results.md, Fig. 3 bottom)" : "";
        out.add(new CompressArtefact("fig3-cifar10", "Fig. 3 bottom: CIFAR-10 VGG19 features, test accuracy vs memory",
                "paper-fig3-cifar10", 0, 10, scale.pick("400,400,200", "400,400,200;1000,1000,500", ""),
                scale.pick(30, 500, 5000), scale.pick(20, 100, 1000), 1000, scale.pick(
                        smokeNote + "widths 400,400,200 only, 30 train / 20 test per class",
                        "quick scale: widths 400,400,200 and 1000,1000,500 only (paper: five width sets up to "
                                + "10000,10000,5000), 500 train / 100 test per class (paper 5000 / 1000)", ""), features) {
            @Override
            public String cannotRun() {
                return cifarCannot;
            }
        });
        out.add(new CompressArtefact("fig4-6v8", "Fig. 4 top: MNIST 6 vs 8, test accuracy vs memory", "paper-fig4-6v8",
                784, 2, scale.pick("500,500,500", "500,500,500;2500,2500,2500", ""), scale.pick(100, 1000, 5000),
                scale.pick(50, 400, 800), 800, scale.pick(smokeNote + "widths 500,500,500 only, 100 train / 50 test per class",
                        "quick scale: widths 500,500,500 and 2500,2500,2500 only (paper: five width sets), 1000 train "
                                + "/ 400 test per class (paper 5000 / 800)", ""), ""));
        out.add(new CompressArtefact("fig4-0to4", "Fig. 4 bottom: MNIST digits 0–4, test accuracy vs memory",
                "paper-fig4-0to4", 784, 5, scale.pick("1500,1500,1500", "1500,1500,1500", ""), scale.pick(50, 500, 5000),
                scale.pick(20, 100, 800), 800, scale.pick(smokeNote + "widths 1500,1500,1500 only, 50 train / 20 test per class",
                        "quick scale: widths 1500,1500,1500 only (paper: five width sets up to 20000,20000,11000), "
                                + "500 train / 100 test per class (paper 5000 / 800)", ""), ""));
        // App. B Tables 1–2, paper sizes: widths 3000,3000,1000, 6000 train / 900 test per class.
        // Quick: the activations command's reduced widths with half its samples.
        String tableReduced = scale.pick(smokeNote + "widths 200,200,100, 100 train / 50 test per class",
                "quick scale: widths 1000,1000,500 (paper 3000,3000,1000), 500 train / 300 test per class (paper 6000 "
                        + "/ 900)", "");
        List<String> tableSizes = scale.pick(
                List.of("--widths=200,200,100", "--train-per-class=100", "--test-per-class=50"),
                List.of("--widths=1000,1000,500", "--train-per-class=500", "--test-per-class=300"),
                List.of("--preset=paper"));
        int tableTrain = scale.pick(100, 500, 6000);
        int tableTest = scale.pick(50, 300, 900);
        int[] tableWidths = scale.pick(new int[] {200, 200, 100}, new int[] {1000, 1000, 500}, new int[] {3000, 3000, 1000});
        // MNIST's training split holds 5918 sixes and 5851 eights: the paper's 6000 per class cannot be
        // drawn from it, so Table 1 takes every eight and as many sixes (11 702 training images, not 12 000).
        int mnistTrain = Math.min(tableTrain, MNIST_TRAIN_EIGHTS);
        out.add(new ActivationArtefact("table1", "App. B Table 1: coefficients and accuracy per activation, MNIST 6 vs 8",
                "mnist-6v8", scale.pick(tableReduced, tableReduced, "5851 train per class (paper 6000: MNIST's "
                + "training split holds only 5851 eights)"), mnistTrain == tableTrain ? tableSizes
                : concat(tableSizes, "--train-per-class=" + mnistTrain), mnistTrain, tableTest, tableWidths));
        out.add(new ActivationArtefact("table2", "App. B Table 2: coefficients and accuracy per activation, GMM var",
                "gmm-var", tableReduced, tableSizes, tableTrain, tableTest, tableWidths));
        return out;
    }

    /** Images of the digit 8 in MNIST's training split, its rarest class of the two in Table 1 (5918 sixes). */
    static final int MNIST_TRAIN_EIGHTS = 5851;

    private static List<String> concat(List<String> a, String... b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(List.of(b));
        return out;
    }

    // ---------------------------------------------------------------- tolerances

    /**
     * Tolerance of a test accuracy whose paper value is {@code a}: three standard errors of the
     * difference of two binomial proportions on {@code nTest} and {@code nPaper} test points,
     * and at least 0.02 (seed-to-seed spread for 1000 test points, docs/compression-results.md).
     */
    static double accuracyTolerance(double a, int nTest, int nPaper) {
        double se = Math.sqrt(a * (1 - a) * (1.0 / nTest + 1.0 / nPaper));
        return Math.max(0.02, 3 * se);
    }

    /** Relative tolerance of a printed memory figure: half a unit of its second significant digit. */
    static double memoryTolerance(double paperBits) {
        double unit = Math.pow(10, Math.floor(Math.log10(paperBits)) - 1);
        return 0.5 * unit / paperBits;
    }

    /** Tolerance of α and τ printed to four decimals (App. B Tables 1–2). */
    static final double COEFFICIENT_TOLERANCE = 1e-4;

    /**
     * Tolerance of {@code ‖K − K̃‖/‖K‖} where the paper prints no number and the theory says 0:
     * the equivalence error measured on exact kernels, 0.12 at n = p = 400 (docs/theory.md §4.3: 0.053
     * with the recommended identity, 0.114 with the paper's), decaying as n^−1/2, plus the relative
     * operator-norm error of a Monte-Carlo average of {@code m} = draws·d_L random features,
     * 2√(r/m) + r/m with r = tr K/‖K‖ the effective rank (the sample-covariance bound of
     * Koltchinskii and Lounici, Bernoulli 2017, with its constant taken as in the Marchenko–Pastur
     * edge 2√(n/m) + n/m, which it equals for K ∝ I). Weyl's inequality carries the same bound to
     * every eigenvalue.
     */
    static double spectralTolerance(int n, double effectiveRank, double m) {
        return 0.12 * Math.sqrt(400.0 / n) + 2 * Math.sqrt(effectiveRank / m) + effectiveRank / m;
    }

    // ---------------------------------------------------------------- spectrum

    /**
     * One {@code spectrum} run; {@code preset} may be empty, {@code p} 0 for real data;
     * {@code reuses}: the sibling run whose Monte-Carlo draws it starts from (empty: none). The
     * empirical NTK does not depend on the β/κ recursion, only K̃ does (docs/theory.md §5.2), so
     * the second recursion of {@code ntk-spectrum} reuses the first's draws instead of redrawing them.
     */
    record SpectrumRun(String folder, String preset, int n, int p, int[] widths, int draws, List<String> extra,
                       String reuses) {
        SpectrumRun(String folder, String preset, int n, int p, int[] widths, int draws, List<String> extra) {
            this(folder, preset, n, p, widths, draws, extra, "");
        }

        /** Whether {@code spectrum} will draw this run's first layer, on data of this dimension, through the factor of X Xᵀ. */
        boolean firstLayerByFactor(int dimension) {
            return Spectrum.config(new Spectrum().options().parse("spectrum", args().toArray(String[]::new)))
                    .drawsFirstLayerByFactor(n, dimension);
        }

        List<String> args() {
            List<String> a = new ArrayList<>();
            if (!preset.isEmpty()) {
                a.add("--preset=" + preset);
            }
            a.addAll(extra);
            a.add("--method=monte-carlo");
            a.add("--n=" + n);
            if (p > 0) {
                a.add("--p=" + p);
            }
            a.add("--widths=" + ExperimentOptions.widthsText(widths));
            a.add("--draws=" + draws);
            return a;
        }
    }

    /** Fig. 2 and the NTK: rows from {@code summary.csv}, charts from {@code histogram.csv} and {@code eigenvectors.csv}. */
    record SpectrumArtefact(String name, String title, String reduced, List<SpectrumRun> spectra) implements Artefact {
        @Override
        public List<SubRun> runs() {
            List<SubRun> out = new ArrayList<>();
            for (SpectrumRun s : spectra) {
                int dimension = s.p() > 0 ? s.p() : 784;
                out.add(new SubRun(s.folder(), new Spectrum(), s.args(), s.reuses().isEmpty() ? s.draws() : 0,
                        ReportEstimates.spectrum(s.n(), dimension, s.widths(),
                                s.reuses().isEmpty() ? s.draws() : 0, s.extra().contains("--kernel=ntk"),
                                s.firstLayerByFactor(dimension)), s.reuses()));
            }
            return out;
        }

        @Override
        public List<Comparison> compare(Path dir) throws IOException {
            List<Comparison> rows = new ArrayList<>();
            for (SpectrumRun s : spectra) {
                Path run = dir.resolve(s.folder());
                Map<String, Double> m = metrics(Table.readCsv(run.resolve("summary.csv")));
                Table eig = Table.readCsv(run.resolve("eigenvalues.csv"));
                Table hist = Table.readCsv(run.resolve("histogram.csv"));
                double bin = hist.doubles("bin_hi")[0] - hist.doubles("bin_lo")[0];
                String item = spectra.size() == 1 ? "K vs K̃" : s.folder();
                String prefix = (reduced.isEmpty() ? "" : reduced + "; ") + (s.folder().equals("preprint")
                        ? "the preprint's β/κ recursion, which docs/theory.md §9 lists among the paper's errors; " : "");
                double normK = m.get("norm_K");
                double rank = java.util.Arrays.stream(eig.doubles("K")).sum() / normK;
                double tol = spectralTolerance(s.n(), rank, (double) s.draws() * s.widths()[s.widths().length - 1]);
                double t1 = m.get("top1_Ktilde");
                double gap = t1 - m.get("top2_Ktilde");
                double sin = Math.min(1, 2 * tol * normK / gap);
                rows.add(Comparison.compare(name, item, "rel_error", 0, m.get("rel_error"), m.get("rel_error"), tol,
                        prefix + "theory: ‖K − K̃‖/‖K‖ → 0 (the paper prints no number); tolerance n^−1/2 equivalence "
                                + "error + Monte-Carlo error at effective rank " + Table.formatNumber(rank, 3)
                                + (sin >= 1 ? "; the leading eigenvectors' overlap |⟨u1, ũ1⟩| = "
                                + Table.formatNumber(m.get("overlap1"), 4) + " is not compared: at this tolerance the "
                                + "Davis–Kahan bound allows any overlap (λ1 − λ2 of K̃ is within it)" : "")));
                rows.add(Comparison.compare(name, item, "top1_eigenvalue", t1, m.get("top1_K"), (m.get("top1_K") - t1) / normK,
                        tol, prefix + "theory: λ1(K) = λ1(K̃); deviation relative to ‖K‖, tolerance that of rel_error "
                                + "(Weyl's inequality)"));
                if (sin < 1) {
                    // a comparison only where it can fail (where the bound allows any overlap, the rel_error row says so)
                    rows.add(Comparison.compare(name, item, "overlap1", 1, m.get("overlap1"), m.get("overlap1") - 1,
                            1 - Math.sqrt(1 - sin * sin), prefix + "theory: |⟨u1, ũ1⟩| = 1; tolerance from the "
                                    + "Davis–Kahan bound sin θ ≤ 2‖K − K̃‖/(λ1 − λ2) of K̃ at the rel_error tolerance"));
                }
                int isolatedK = SpectralComparison.isolatedCount(eig.doubles("K"), bin);
                int isolatedT = SpectralComparison.isolatedCount(eig.doubles("Ktilde"), bin);
                rows.add(Comparison.compare(name, item, "isolated_eigenvalues", isolatedT, isolatedK, isolatedK - isolatedT,
                        0, prefix + "theory: K and K̃ have the same spikes; counted as eigenvalues separated from the "
                                + "rest by more than one histogram bin"));
            }
            return rows;
        }

        @Override
        public List<String> charts(RunFolder dir) throws IOException {
            List<String> files = new ArrayList<>();
            for (SpectrumRun s : spectra) {
                Path run = dir.resolve(s.folder());
                Table hist = Table.readCsv(run.resolve("histogram.csv"));
                Table eig = Table.readCsv(run.resolve("eigenvalues.csv"));
                Table vec = Table.readCsv(run.resolve("eigenvectors.csv"));
                String tag = spectra.size() == 1 ? "" : s.folder() + "-";
                String what = name + (spectra.size() == 1 ? "" : " (" + s.folder() + ")") + ", n = " + s.n();
                Charts.savePng(dir, tag + "spectrum.png", Spectrum.spectrumChart("Eigenvalues of K (blue) and K̃ (orange), "
                        + what + "; lines: isolated eigenvalues", hist, eig.doubles("K"), eig.doubles("Ktilde")), 900, 500);
                files.add(tag + "spectrum.png");
                Charts.savePng(dir, tag + "eigenvectors.png", Charts.lines("Leading eigenvectors of K and K̃ "
                        + "(sign-aligned), " + what, "sample index", "entry", Charts.fromTable(vec, "index", "u1_K",
                        "u1_Ktilde", "u2_K", "u2_Ktilde"), false, false), 900, 450);
                files.add(tag + "eigenvectors.png");
            }
            return files;
        }
    }

    private static Map<String, Double> metrics(Table summary) {
        Map<String, Double> m = new LinkedHashMap<>();
        double[] v = summary.doubles("value");
        for (int i = 0; i < summary.size(); i++) {
            m.put(summary.text(i, "metric"), v[i]);
        }
        return m;
    }

    // ---------------------------------------------------------------- compress

    /**
     * Fig. 3–4: {@code compress --preset=P} with the paper's method ({@code paper} sub-run) and
     * the project's best variant for NTK-LC only ({@code best} sub-run). {@code widths} empty: the
     * preset's five width sets. {@code p} is the input dimension (0: read from the feature file).
     */
    static class CompressArtefact implements Artefact {
        private final String name;
        private final String title;
        private final CompressPresets.Preset preset;
        private final int p;
        private final int classes;
        private final String widths;
        private final int trainPerClass;
        private final int testPerClass;
        private final int paperTestPerClass;
        private final String reduced;
        private final String features;

        CompressArtefact(String name, String title, String preset, int p, int classes, String widths, int trainPerClass,
                         int testPerClass, int paperTestPerClass, String reduced, String features) {
            this.name = name;
            this.title = title;
            this.preset = CompressPresets.get(preset);
            this.p = p;
            this.classes = classes;
            this.widths = widths.isEmpty() ? this.preset.options().get("widths") : widths;
            this.trainPerClass = trainPerClass;
            this.testPerClass = testPerClass;
            this.paperTestPerClass = paperTestPerClass;
            this.reduced = reduced;
            this.features = features;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String title() {
            return title;
        }

        @Override
        public String reduced() {
            return reduced;
        }

        private List<String> common() {
            List<String> a = new ArrayList<>(List.of("--preset=" + preset.name()));
            if (!widths.equals(preset.options().get("widths"))) {
                a.add("--widths=" + widths);
            }
            if (trainPerClass != Integer.parseInt(preset.options().get("train-per-class"))) {
                a.add("--train-per-class=" + trainPerClass);
            }
            if (testPerClass != Integer.parseInt(preset.options().get("test-per-class"))) {
                a.add("--test-per-class=" + testPerClass);
            }
            if (!features.isEmpty()) {
                a.add("--features=" + features);
            }
            return a;
        }

        private List<int[]> widthSets() {
            List<int[]> out = new ArrayList<>();
            for (String set : widths.split(";")) {
                out.add(java.util.Arrays.stream(set.split(",")).mapToInt(Integer::parseInt).toArray());
            }
            return out;
        }

        @Override
        public List<SubRun> runs() {
            List<int[]> sets = widthSets();
            int epsilons = preset.options().get("epsilons").split(",").length;
            int methods = preset.options().get("methods").split(",").length;
            int paperNetworks = sets.size() * (methods - 1 + epsilons);
            int bestNetworks = sets.size() * epsilons;
            int inputs = p > 0 ? p : 128;
            int epochs = Integer.parseInt(preset.options().getOrDefault("epochs", "100"));
            double[] eps = java.util.Arrays.stream(preset.options().get("epsilons").split(","))
                    .mapToDouble(Double::parseDouble).toArray();
            boolean paperPacked = packedAtBitCountRate(LastLayerVariant.PAPER);
            boolean bestPacked = packedAtBitCountRate(LastLayerVariant.parse(BEST_VARIANT));
            return List.of(
                    new SubRun("paper", new Compress(), common(), paperNetworks, ReportEstimates.compress(sets, inputs,
                            classes, trainPerClass, testPerClass, epochs, methods - 1 + (paperPacked ? 0 : epsilons),
                            paperPacked ? eps : new double[0], solverSeconds(LastLayerVariant.PAPER))),
                    new SubRun("best", new Compress(), concat(common(), "--methods=ntk-lc", "--variant=" + BEST_VARIANT),
                            bestNetworks, ReportEstimates.compress(sets, inputs, classes, trainPerClass, testPerClass,
                                    epochs, bestPacked ? 0 : epsilons, bestPacked ? eps : new double[0],
                                    solverSeconds(LastLayerVariant.parse(BEST_VARIANT)))));
        }

        /**
         * Whether this variant's networks may be costed at the packed engine's bit-count rate: the
         * two-level hidden layers run several times faster than the dense GEMM, while the staircase
         * layers (up to 15 planes) were measured at 0.5–1.2 times the dense engine's speed
         * (docs/bench/README.md, packed engine), so they are costed as dense networks.
         */
        private static boolean packedAtBitCountRate(LastLayerVariant v) {
            return !v.matchesTauOnEveryLayer();
        }

        /** The NTK-LC solver's seconds: the variants that match τ on every layer solve the staircase, slowly. */
        private static double solverSeconds(LastLayerVariant v) {
            return v.matchesTauOnEveryLayer() ? ReportEstimates.SOLVER_STAIRCASE : ReportEstimates.SOLVER_PAPER;
        }

        @Override
        public List<Comparison> compare(Path dir) throws IOException {
            List<Comparison> rows = new ArrayList<>();
            int nTest = testPerClass * classes;
            int nPaper = paperTestPerClass * classes;
            String prefix = reduced.isEmpty() ? "" : reduced + "; ";
            for (String run : List.of("paper", "best")) {
                Table r = Table.readCsv(dir.resolve(run).resolve("results.csv"));
                double[] acc = r.doubles("test_accuracy");
                double[] paperAcc = r.doubles("paper_test_accuracy");
                double[] bits = r.doubles("memory_bits");
                double[] paperBits = r.doubles("paper_memory_bits");
                boolean best = run.equals("best");
                for (int i = 0; i < r.size(); i++) {
                    String item = item(r, i, best);
                    if (!Double.isNaN(paperAcc[i])) {
                        double d = acc[i] - paperAcc[i];
                        double tol = accuracyTolerance(paperAcc[i], nTest, nPaper);
                        String note = prefix + (best ? "the project's variant " + BEST_LABEL + " (not in the paper) "
                                + "against the paper's NTK-LC: a deviation above +tolerance is an improvement on the "
                                + "paper; " : "") + testNote(nTest, nPaper);
                        rows.add(Comparison.compare(name, item, "test_accuracy", paperAcc[i], acc[i], d, tol, note));
                    }
                    if (!best && !Double.isNaN(paperBits[i])) {
                        rows.add(Comparison.compare(name, item, "memory_bits", paperBits[i], bits[i],
                                bits[i] / paperBits[i] - 1, memoryTolerance(paperBits[i]), prefix + "paper convention "
                                        + "(docs/theory.md §7.1); deviation relative, tolerance half a unit of the "
                                        + "paper's second significant digit"
                                        + (p == 0 ? "; the features' dimension sets the first layer's memory" : "")));
                    }
                }
            }
            return rows;
        }

        private static String testNote(int nTest, int nPaper) {
            return "tolerance: 3 binomial standard errors on " + nTest + " and the paper's " + nPaper
                    + " test points, at least 0.02";
        }

        private static String item(Table r, int i, boolean best) {
            String eps = r.text(i, "epsilon");
            return r.text(i, "method") + (best ? " " + BEST_LABEL : "") + (eps.isEmpty() ? "" : " ε=" + eps) + " "
                    + r.text(i, "widths");
        }

        @Override
        public List<String> charts(RunFolder dir) throws IOException {
            List<Charts.Series> measured = Compress.seriesByMethod(Table.readCsv(dir.resolve("paper").resolve("results.csv")));
            List<Charts.Series> best = new ArrayList<>();
            for (Charts.Series s : Compress.seriesByMethod(Table.readCsv(dir.resolve("best").resolve("results.csv")))) {
                best.add(new Charts.Series(s.name() + " " + BEST_LABEL, s.x(), s.y()));
            }
            Charts.savePng(dir, "accuracy-vs-memory.png", Charts.linesWithReference(title + " (hollow: the paper; dashed: "
                    + BEST_LABEL + ")", "memory (bits, paper convention)", "test accuracy", measured, best,
                    paperSeries(dir), true), 1000, 650);
            return List.of("accuracy-vs-memory.png");
        }

        /**
         * The paper's points as series named like {@link Compress#seriesByMethod}'s; x is the paper's
         * memory where it prints one, else the same formula's value at the paper's sizes.
         */
        private List<Charts.Series> paperSeries(RunFolder dir) throws IOException {
            int inputs = p;
            if (inputs == 0) {
                Table r = Table.readCsv(dir.resolve("paper").resolve("results.csv"));
                inputs = inputDimension(r);
            }
            double sparse = Double.parseDouble(preset.options().get("sparse-fraction"));
            CompressedNetworks.Settings settings = new CompressedNetworks.Settings(sparse, 0.9, false);
            Map<String, List<double[]>> points = new LinkedHashMap<>();
            for (CompressPresets.PaperPoint pt : preset.points()) {
                String key = pt.method() + (pt.epsilon().isPresent() ? " ε=" + pt.epsilon().getAsDouble() : "");
                int[] w = java.util.Arrays.stream(pt.widths().split(",")).mapToInt(Integer::parseInt).toArray();
                double x = pt.bits().isPresent() ? pt.bits().getAsDouble() : CompressedNetworks.paperBits(
                        CompressionMethod.parse(pt.method()), pt.epsilon().orElse(0), inputs, w, classes, settings);
                points.computeIfAbsent(key, k -> new ArrayList<>()).add(new double[] {x, pt.accuracy()});
            }
            List<Charts.Series> out = new ArrayList<>();
            points.forEach((k, v) -> out.add(new Charts.Series(k, v.stream().mapToDouble(a -> a[0]).toArray(),
                    v.stream().mapToDouble(a -> a[1]).toArray())));
            return out;
        }

        /** The input dimension p implied by the original network's memory: bits = 32·(p·d1 + d1·d2 + … + d_L·K). */
        private int inputDimension(Table r) {
            for (int i = 0; i < r.size(); i++) {
                if (r.text(i, "method").equals("original")) {
                    int[] w = java.util.Arrays.stream(r.text(i, "widths").split(",")).mapToInt(Integer::parseInt).toArray();
                    double hidden = 0;
                    for (int l = 1; l < w.length; l++) {
                        hidden += (double) w[l - 1] * w[l];
                    }
                    hidden += (double) w[w.length - 1] * classes;
                    return (int) Math.round((r.doubles("memory_bits")[i] / 32 - hidden) / w[0]);
                }
            }
            return 512;
        }
    }

    // ---------------------------------------------------------------- activations

    /**
     * Tables 1–2: {@code activations --dry-run} at the paper's τ0 (coefficients against the printed
     * digits) and a full run (accuracy per activation).
     */
    record ActivationArtefact(String name, String title, String dataset, String reduced, List<String> sizes,
                              int trainPerClass, int testPerClass, int[] widths) implements Artefact {
        @Override
        public List<SubRun> runs() {
            return List.of(new SubRun("coefficients", new ActivationStudy(), List.of("--datasets=" + dataset, "--dry-run"),
                            0, new ReportEstimates.Work(0, 0, 1)),
                    new SubRun("accuracy", new ActivationStudy(), concat(sizes, "--datasets=" + dataset), 10,
                            ReportEstimates.activations(trainPerClass, testPerClass, widths)));
        }

        @Override
        public List<Comparison> compare(Path dir) throws IOException {
            List<Comparison> rows = new ArrayList<>();
            Table coef = Table.readCsv(dir.resolve("coefficients").resolve("activations.csv"));
            String prefix = reduced.isEmpty() ? "" : reduced + "; ";
            for (int i = 0; i < coef.size(); i++) {
                String act = coef.text(i, "activation");
                String known = name.equals("table1") && act.equals("sign")
                        ? "the paper's sign row repeats its sin row (docs/theory.md §9); " : "";
                for (String c : List.of("alpha1", "alpha2", "alpha3", "tau")) {
                    double paper = coef.doubles("paper_" + c)[i];
                    double measured = coef.doubles(c)[i];
                    rows.add(Comparison.compare(name, act, c, paper, measured, measured - paper, COEFFICIENT_TOLERANCE,
                            known + "at the paper's τ0 = " + coef.text(i, "tau0") + "; tolerance one unit of the fourth "
                                    + "printed decimal"));
                }
            }
            Table acc = Table.readCsv(dir.resolve("accuracy").resolve("activations.csv"));
            int nTest = 2 * testPerClass;
            for (int i = 0; i < acc.size(); i++) {
                double paper = acc.doubles("paper_accuracy")[i];
                double measured = acc.doubles("test_accuracy")[i];
                rows.add(Comparison.compare(name, acc.text(i, "activation"), "test_accuracy", paper, measured,
                        measured - paper, accuracyTolerance(paper, nTest, 2 * 900), prefix
                                + CompressArtefact.testNote(nTest, 2 * 900)));
            }
            return rows;
        }

        @Override
        public List<String> charts(RunFolder dir) throws IOException {
            Table acc = Table.readCsv(dir.resolve("accuracy").resolve("activations.csv"));
            double[] index = new double[acc.size()];
            for (int i = 0; i < index.length; i++) {
                index[i] = i + 1;
            }
            List<Charts.Series> measured = List.of(new Charts.Series("measured", index, acc.doubles("test_accuracy")));
            List<Charts.Series> paper = List.of(new Charts.Series("measured", index, acc.doubles("paper_accuracy")));
            StringBuilder order = new StringBuilder();
            for (int i = 0; i < acc.size(); i++) {
                order.append(i == 0 ? "" : ", ").append(i + 1).append(' ').append(acc.text(i, "activation"));
            }
            Charts.savePng(dir, "accuracy.png", Charts.linesWithReference(title + " (hollow: the paper)",
                    "activation: " + order, "test accuracy", measured, List.of(), paper, false), 1000, 550);
            return List.of("accuracy.png");
        }
    }
}
