package ntklc.experiments;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import ntklc.cli.Cli;
import ntklc.cli.Command;
import ntklc.cli.DataOptions;
import ntklc.cli.Footprint;
import ntklc.cli.OptionSpec;
import ntklc.cli.ParsedOptions;
import ntklc.data.DataBundle;
import ntklc.data.DataRequest;
import ntklc.data.Dataset;
import ntklc.data.Preprocess;
import ntklc.data.SampleStatistics;
import ntklc.report.Charts;
import ntklc.report.RunFolder;
import ntklc.report.Table;

/**
 * {@code data-summary}: loads a data source exactly as the experiments do (docs/theory.md §1) and reports
 * what came out — sizes, class counts, τ0 (docs/theory.md §1.2) and the squared norms ||x_i||² — so a user
 * can check a fetch, a class selection or a CSV file before running an experiment.
 *
 * <p>Run folder: {@code config.properties}, {@code summary.csv} (split, n, p, K, tau0,
 * mean_squared_norm), {@code class_counts.csv} (split, class, count),
 * {@code squared_norms_train.csv} and {@code squared_norms_test.csv} (index, label, squared_norm)
 * and {@code squared_norms.png} drawn from them.
 */
public final class DataSummary implements Command {
    /**
     * Defaults: the Fig. 2 Gaussian mixture (gmm-mixed, n = p = 800) so the command runs with no
     * download; paper preprocessing because that is what the spectral and compression experiments use.
     */
    static final DataOptions.Defaults DEFAULTS = new DataOptions.Defaults("gmm-mixed", 800, 800, 800, Preprocess.PAPER);

    public static void main(String[] args) {
        Cli.runAndExit(new DataSummary(), args);
    }

    @Override
    public String name() {
        return "data-summary";
    }

    @Override
    public String summary() {
        return "load a data set as the experiments do and report sizes, class counts, τ0 and norms";
    }

    @Override
    public OptionSpec options() {
        return DataOptions.declare(new OptionSpec(), DEFAULTS)
                .add("seed", "1", "seed of the Gaussian-mixture draw / CSV test split")
                .add("out", "", "run folder (default out/data-summary-<timestamp>)");
    }

    /** Dominant allocations ({@link Footprint}): what the data source loads ({@link Footprints#data}). */
    @Override
    public Footprint footprint(ParsedOptions o) {
        DataRequest r = DataOptions.request(o);
        return Footprints.data(DataOptions.source(o), Math.max(0, r.nTrain()), Math.max(0, r.nTest()), r.p());
    }

    @Override
    public int run(ParsedOptions o) {
        SplittableRandom rng = new SplittableRandom(o.getLong("seed"));
        DataBundle bundle = DataOptions.load(o, rng);
        RunFolder run = RunFolder.create(o.getString("out"), name());
        run.writeConfig(o.effective());
        Table summary = new Table("split", "n", "p", "K", "tau0", "mean_squared_norm");
        Table counts = new Table("split", "class", "count");
        Table trainNorms = describe("train", bundle.data().train(), summary, counts);
        Table testNorms = describe("test", bundle.data().test(), summary, counts);
        run.writeCsv("summary.csv", summary);
        run.writeCsv("class_counts.csv", counts);
        run.writeCsv("squared_norms_train.csv", trainNorms);
        run.writeCsv("squared_norms_test.csv", testNorms);
        List<Charts.Series> series = List.of(
                new Charts.Series("train", trainNorms.doubles("index"), trainNorms.doubles("squared_norm")),
                new Charts.Series("test", testNorms.doubles("index"), testNorms.doubles("squared_norm")));
        Charts.savePng(run, "squared_norms.png", Charts.lines("squared norms, " + bundle.name(),
                "sample index i (classes in contiguous blocks)", "||x_i||²", series, false, false), 900, 500);
        System.err.printf(Locale.ROOT, "%s: τ0 = %.4f on the training set%n", bundle.name(), bundle.tau0());
        System.out.print(summary.format(4));
        System.out.println(run.dir());
        return 0;
    }

    /** Adds the split's row to {@code summary} and {@code counts}; returns its squared norms (index, label, squared_norm). */
    private static Table describe(String split, Dataset d, Table summary, Table counts) {
        double[] sq = SampleStatistics.squaredNorms(d);
        Table norms = new Table("index", "label", "squared_norm");
        double mean = 0;
        for (int i = 0; i < sq.length; i++) {
            mean += sq[i];
            norms.add(i, d.labels()[i], sq[i]);
        }
        mean /= sq.length;
        summary.add(split, d.n(), d.p(), d.numClasses(), SampleStatistics.tau0(d), mean);
        int[] c = SampleStatistics.classCounts(d);
        for (int a = 0; a < c.length; a++) {
            counts.add(split, a, c[a]);
        }
        return norms;
    }
}
