package ntklc.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;

import ntklc.backend.Devices;
import ntklc.cli.Cli;
import ntklc.cli.Command;
import ntklc.cli.DataOptions;
import ntklc.cli.DeviceOption;
import ntklc.cli.Footprint;
import ntklc.cli.OptionSpec;
import ntklc.cli.ParsedOptions;
import ntklc.cli.UserError;
import ntklc.data.DataRequest;
import ntklc.data.DataSource;
import ntklc.data.Dataset;
import ntklc.data.Preprocess;
import ntklc.data.TrainTest;
import ntklc.nn.ActivationLayer;
import ntklc.nn.Adam;
import ntklc.nn.Initializer;
import ntklc.nn.LearningRateSchedule;
import ntklc.nn.Mlp;
import ntklc.nn.DivergedLossException;
import ntklc.nn.Optimizer;
import ntklc.nn.Sequential;
import ntklc.nn.Sgd;
import ntklc.nn.Trainer;
import ntklc.report.Charts;
import ntklc.report.ProgressBar;
import ntklc.report.RunFolder;
import ntklc.report.Table;
import ntklc.tensor.Tensor;
import ntklc.tensor.TensorOps;

/**
 * {@code train-mlp}: trains a fully connected classifier {@code p → d_1 → … → d_L → K} with the
 * softmax cross-entropy loss: the dense, fully trained baseline of the paper's MNIST experiments
 * (Fig. 3–4, docs/theory.md §8.2) and the foundation check of issue 2 (784-512-512-10 ReLU with Adam must
 * reach ≥ 98 % MNIST test accuracy within 10 epochs).
 *
 * <p>Run folder: {@code config.properties}; {@code metrics.csv} (per epoch: epoch, learning_rate, train_loss,
 * train_accuracy, test_accuracy, seconds), rewritten after every epoch; {@code summary.csv}
 * (metric,value); {@code training.png} (loss and accuracies against the epoch, drawn from
 * {@code metrics.csv}). The run folder is printed last on standard output.
 */
public final class TrainMlp implements Command {
    /** Batches per epoch and epochs of a {@code --dry-run}, and the test samples it evaluates. */
    static final int DRY_RUN_BATCHES = 5;
    static final int DRY_RUN_EPOCHS = 2;
    static final int DRY_RUN_TEST = 500;
    /** Sizes of a Gaussian-mixture draw when {@code --n-train} / {@code --n-test} are not positive. */
    static final int GMM_TRAIN = 4096;
    static final int GMM_TEST = 2048;

    public static void main(String[] args) {
        Cli.runAndExit(new TrainMlp(), args);
    }

    @Override
    public String name() {
        return "train-mlp";
    }

    @Override
    public String summary() {
        return "train an MLP classifier with Adam or SGD (mixtures: " + GMM_TRAIN + "/" + GMM_TEST
                + " train/test samples by default)";
    }

    @Override
    public OptionSpec options() {
        // Data defaults: all of MNIST as pixels/255 (the usual MLP benchmark input, no docs/theory.md §1.3
        // centring); p = 512 for a mixture, whose sizes default to GMM_TRAIN / GMM_TEST.
        return DeviceOption.addOption(DataOptions.declare(new OptionSpec(), new DataOptions.Defaults("mnist", 0, 0, 512, Preprocess.NONE))
                .add("hidden", "512,512", "hidden widths d_1,…,d_L (empty: softmax regression)")
                .add("activation", "relu", "activation after each hidden layer: relu, tanh, sigmoid (fast paths) or any spelling of "
                        + "ntklc.activation.Activations, e.g. erf, lrelu:0.1")
                .add("init", "kaiming", "weight law: " + Initializer.SPELLINGS)
                .add("dropout", "0", "dropout rate after each hidden activation, in [0, 1)")
                .add("epochs", "10", "passes over the training set")
                .add("batch", "128", "mini-batch size")
                .add("lr", "0.001", "learning rate η (0.001 suits Adam; try 0.05 with SGD)")
                .add("lr-schedule", "cosine", "learning rate per epoch: cosine (η·½(1+cos(π(e−1)/E))) | constant")
                .add("optimizer", "adam", "adam (β1 = 0.9, β2 = 0.999, ε = 1e-8) | sgd")
                .add("momentum", "0.9", "SGD momentum μ (sgd only)")
                .add("weight-decay", "0", "L2 weight decay λ added to the gradient")
                .add("seed", "1", "seed of the mixture draw, the weights, the shuffling and dropout")
                .flag("dry-run", "tiny run: " + DRY_RUN_EPOCHS + " epochs of " + DRY_RUN_BATCHES
                        + " batches, test accuracy on " + DRY_RUN_TEST
                        + " test samples spread over the set")
                .add("out", "", "run folder (default out/train-mlp-<timestamp>)"));
    }

    /** The options of one run, checked. */
    record Config(DataSource data, DataRequest request, int[] hidden, String activation, Initializer init,
                  double dropout, int epochs, int batch, double lr, LearningRateSchedule schedule, String optimizer,
                  double momentum,
                  double weightDecay, long seed, boolean dryRun) {

        static Config from(ParsedOptions o) {
            DataSource data = DataOptions.source(o);
            DataRequest request = DataOptions.request(o);
            if (data instanceof DataSource.Mixture) {
                request = new DataRequest(request.dataDir(), request.classes(),
                        request.nTrain() > 0 ? request.nTrain() : GMM_TRAIN,
                        request.nTest() > 0 ? request.nTest() : GMM_TEST, request.proportions(), request.p(),
                        request.preprocess());
            }
            if (request.classes().length == 1) {
                throw o.bad("classes", o.getString("classes"), "a list of at least two classes (a classifier needs two)");
            }
            int[] hidden = o.getIntList("hidden");
            for (int d : hidden) {
                if (d < 1) {
                    throw o.bad("hidden", o.getString("hidden"), "a list of positive widths");
                }
            }
            String activation = o.getString("activation");
            try {
                ActivationLayer.parse(activation); // rejects a bad spelling now, before any data is read
            } catch (IllegalArgumentException e) {
                throw new UserError("train-mlp: --activation: " + e.getMessage());
            }
            Initializer init;
            try {
                init = Initializer.parse(o.getString("init"));
            } catch (IllegalArgumentException e) {
                throw new UserError("train-mlp: --init: " + e.getMessage());
            }
            double dropout = o.getUnitInterval("dropout");
            int epochs = o.getPositiveInt("epochs");
            int batch = o.getPositiveInt("batch");
            double lr = o.getPositiveDouble("lr");
            double momentum = o.getUnitInterval("momentum");
            double weightDecay = o.getNonNegativeDouble("weight-decay");
            LearningRateSchedule schedule = LearningRateSchedule.of(o.getChoice("lr-schedule", "cosine", "constant"));
            return new Config(data, request, hidden, activation, init, dropout, epochs, batch, lr, schedule,
                    o.getChoice("optimizer", "adam", "sgd"), momentum, weightDecay, o.getLong("seed"),
                    o.getBoolean("dry-run"));
        }
    }

    /**
     * Dominant allocations ({@link Footprint}) of an MLP {@code p → d_1 → … → d_L → K} trained with
     * mini-batches of b samples: what the data source loads; four copies of every weight matrix
     * {@code d_ℓ×d_ℓ−1} in float (parameters, gradients and Adam's two moments, or SGD's velocity);
     * per layer and sample, four floats of the batch (pre-activation, activation, their gradients) and
     * the dropout mask, {@code 5·b·Σ d_ℓ} floats; the evaluation batches of 1000 samples,
     * {@code 2·1000·max d_ℓ} floats. K is the number of classes asked for (10 for real data without
     * {@code --classes}, {@value ntklc.experiments.Footprints#CSV_CLASSES} for a CSV file).
     */
    @Override
    public Footprint footprint(ParsedOptions o) {
        Config c = Config.from(o);
        DataRequest r = c.request();
        long p = Footprints.dimension(c.data(), r.p());
        long classes = r.classes().length > 0 ? r.classes().length : Footprints.classes(c.data(), r.proportions().length);
        long nTrain = Math.max(0, r.nTrain());
        long nTest = Math.max(0, r.nTest());
        Footprint f = Footprints.data(c.data(), nTrain, nTest, r.p());
        long in = p;
        long widest = Math.max(p, classes);
        long units = classes;
        for (int d : c.hidden()) {
            f.add("the weights, their gradients and the optimizer state (d_ℓ×d_ℓ−1)", 4, Footprint.times(d, in),
                    Float.BYTES, "smaller --hidden");
            widest = Math.max(widest, d);
            units = Footprint.plus(units, d);
            in = d;
        }
        f.add("the output weights, their gradients and the optimizer state (K×d_L)", 4, Footprint.times(classes, in),
                Float.BYTES, "smaller --hidden");
        f.add("the activations and gradients of a batch (batch×d_ℓ)", 5, Footprint.times(c.batch(), units), Float.BYTES,
                "a smaller --batch or --hidden");
        f.floats("the evaluation batches (1000×max width)", 2, 1000, widest, "smaller --hidden");
        return f;
    }

    @Override
    public int run(ParsedOptions o) {
        try (Devices.Route route = DeviceOption.routeMatrixProducts(o, System.err::println)) {
            return compute(o);
        }
    }

    private int compute(ParsedOptions o) {
        Config c = Config.from(o);
        SplittableRandom rng = new SplittableRandom(c.seed());
        TrainTest data = c.data().load(c.request(), rng.split()).data();
        Dataset test = c.dryRun() ? spread(data.test(), DRY_RUN_TEST) : data.test();
        int epochs = c.dryRun() ? Math.min(c.epochs(), DRY_RUN_EPOCHS) : c.epochs();
        int maxBatches = c.dryRun() ? DRY_RUN_BATCHES : Integer.MAX_VALUE;

        Supplier<ActivationLayer> activation = () -> ActivationLayer.parse(c.activation());
        Sequential model = Mlp.builder(data.train().p(), data.train().numClasses()).hidden(c.hidden())
                .activation(activation).init(c.init()).dropout(c.dropout()).build(rng.split());
        Optimizer optimizer = c.optimizer().equals("adam")
                ? new Adam(model.parameters(), c.lr(), 0.9, 0.999, 1e-8, c.weightDecay())
                : new Sgd(model.parameters(), c.lr(), c.momentum(), c.weightDecay());
        Trainer trainer = new Trainer(model, optimizer, c.batch());

        RunFolder run = RunFolder.create(o.getString("out"), name());
        run.writeConfig(o.effective());
        System.err.printf(Locale.ROOT, "train-mlp: %s, %d training / %d test samples, p = %d, K = %d, %d parameters%n",
                c.data().name(), data.train().n(), test.n(), data.train().p(), data.train().numClasses(),
                model.parameterCount());

        Table metrics = new Table("epoch", "learning_rate", "train_loss", "train_accuracy", "test_accuracy", "seconds");
        SplittableRandom shuffle = rng.split();
        for (int e = 1; e <= epochs; e++) {
            int batches = Math.min(maxBatches, (data.train().n() + c.batch() - 1) / c.batch());
            optimizer.setLearningRate(c.schedule().rate(c.lr(), e, epochs));
            ProgressBar bar = new ProgressBar(String.format(Locale.ROOT, "epoch %d/%d", e, epochs), batches);
            Trainer.EpochResult r;
            try {
                r = trainer.epoch(e, data.train(), maxBatches, shuffle,
                        new Trainer.Listener() {
                            @Override
                            public void onBatch(int epoch, int batch, int total, double loss) {
                                bar.step(String.format(Locale.ROOT, "loss=%.4f", loss));
                            }
                        });
            } catch (DivergedLossException ex) {
                throw new UserError("train-mlp: " + ex.getMessage());
            }
            double testAccuracy = Trainer.accuracy(model, test, 1000);
            metrics.add(e, optimizer.learningRate(), r.trainLoss(), r.trainAccuracy(), testAccuracy, r.seconds());
            run.writeCsv("metrics.csv", metrics);
            System.err.printf(Locale.ROOT, "epoch %d: train loss %.4f, train accuracy %.4f, test accuracy %.4f, %.1f s%n",
                    e, r.trainLoss(), r.trainAccuracy(), testAccuracy, r.seconds());
        }

        double[] seconds = metrics.doubles("seconds");
        double[] testAcc = metrics.doubles("test_accuracy");
        Table summary = new Table("metric", "value")
                .add("test_accuracy", testAcc[testAcc.length - 1])
                .add("best_test_accuracy", max(testAcc))
                .add("train_loss", metrics.doubles("train_loss")[seconds.length - 1])
                .add("epoch_seconds_median", Bench.median(seconds))
                .add("epochs", epochs)
                .add("parameters", model.parameterCount());
        run.writeCsv("summary.csv", summary);
        Charts.savePng(run, "training.png", chart(metrics, c), 800, 700);
        System.out.print(summary.format(4));
        System.out.println(run.dir());
        return 0;
    }

    /**
     * {@code n} samples spread evenly over a data set (rows {@code ⌊i·N/n⌋}), all of it if smaller.
     * Evenly spread rather than the first {@code n}, because data sets may be ordered by class.
     */
    static Dataset spread(Dataset d, int n) {
        if (d.n() <= n) {
            return d;
        }
        int[] rows = new int[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = (int) ((long) i * d.n() / n);
            labels[i] = d.labels()[rows[i]];
        }
        Tensor x = TensorOps.gatherRows(d.x(), rows);
        return new Dataset(x, labels, d.numClasses());
    }

    private static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            m = Math.max(m, x);
        }
        return m;
    }

    /** Two panels over a shared epoch axis: training loss above, train and test accuracy below. */
    private static JFreeChart chart(Table metrics, Config c) {
        XYPlot loss = Charts.lines("", "epoch", "training loss",
                Charts.fromTable(metrics, "epoch", "train_loss"), true, false).getXYPlot();
        XYPlot accuracy = Charts.lines("", "epoch", "accuracy",
                Charts.fromTable(metrics, "epoch", "train_accuracy", "test_accuracy"), true, false).getXYPlot();
        accuracy.getRenderer().setSeriesPaint(0, Charts.PALETTE[1]);
        accuracy.getRenderer().setSeriesPaint(1, Charts.PALETTE[2]);
        List<String> hidden = new ArrayList<>();
        for (int d : c.hidden()) {
            hidden.add(Integer.toString(d));
        }
        String title = String.format(Locale.ROOT, "%s: MLP [%s] %s, %s lr=%s (%s)", c.data().name(),
                String.join(",", hidden), c.activation(), c.optimizer(), c.lr(), c.schedule().cliName());
        return Charts.overEpochs(title, loss, accuracy);
    }
}
