package ntklc.experiments;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;

import ntklc.backend.Backend;
import ntklc.cli.Cli;
import ntklc.cli.Command;
import ntklc.cli.DeviceOption;
import ntklc.cli.Footprint;
import ntklc.cli.OptionSpec;
import ntklc.cli.ParsedOptions;
import ntklc.cli.Resume;
import ntklc.cli.UserError;
import ntklc.data.Cifar10;
import ntklc.data.TrainTest;
import ntklc.nn.DivergedLossException;
import ntklc.nn.LearningRateSchedule;
import ntklc.nn.LossGuard;
import ntklc.nn.Sgd;
import ntklc.nn.vgg.Checkpoint;
import ntklc.nn.vgg.ImageTransform;
import ntklc.nn.vgg.Vgg;
import ntklc.nn.vgg.VggTraining;
import ntklc.report.Charts;
import ntklc.report.ProgressBar;
import ntklc.report.RunFolder;
import ntklc.report.Table;
import ntklc.tensor.Tensor;

/**
 * {@code train-vgg}: trains VGG19 (docs/theory.md §1.4) on CIFAR-10, the network whose features feed the
 * paper's CIFAR-10 compression experiment (Fig. 3 bottom, docs/theory.md §8.3, §8.5 R8).
 *
 * <p>Recipe (docs/theory.md §1.4): random crop 32 with padding 4 and horizontal flip, per-channel
 * normalisation, SGD with momentum 0.9 and weight decay 5e-4, batch 64, cross-entropy; learning rate
 * {@code --lr} (0.01 as in the reference) decayed by a per-epoch cosine schedule
 * ({@link LearningRateSchedule#COSINE}, {@code --lr-schedule}; the reference keeps it constant). {@code --width-divisor=4} divides every
 * channel count and classifier width by 4 (docs/theory.md §8.5 R8, for a CPU); {@code --linear-std} sets the
 * classifier's initial weight scale (reference code: 0.01, docs/theory.md §1.4; see {@link Vgg#create(Vgg.Architecture, double,
 * java.util.SplittableRandom)} for why a narrower network may want {@code 0.01·√q}).
 *
 * <p>Run folder: {@code config.properties}; {@code metrics.csv} (per epoch: epoch, train_loss,
 * train_accuracy, test_loss, test_accuracy, seconds, lr) and {@code training.png} drawn from it,
 * both rewritten after every epoch; {@code checkpoint.bin} ({@link Checkpoint}: weights, batch-norm
 * running statistics, SGD velocities, seed and epoch), rewritten atomically after every epoch and
 * last, so it marks the epoch complete; {@code best.bin}, the weights of the epoch with the best test
 * accuracy; {@code summary.csv}. {@code --resume=RUN_DIR} reads that run's options and checkpoint and
 * trains on to its {@code --epochs}; since every random draw of an epoch depends only on the seed
 * and the epoch ({@link VggTraining#epochGenerator}), the result is the one of an uninterrupted run.
 */
public final class TrainVgg implements Command {
    /** Batches per epoch, epochs and test images of a {@code --dry-run}. */
    static final int DRY_RUN_BATCHES = 3;
    static final int DRY_RUN_EPOCHS = 2;
    static final int DRY_RUN_TEST = 200;
    /** Options that may differ from the recorded ones beside {@code --resume} (everything else comes from the run's config). */
    private static final Set<String> RESUME_HARMLESS = Set.of(DeviceOption.OPTION);

    /** Stop after this many epochs of this invocation, as if killed just after a checkpoint (tests only). */
    private final int stopAfterEpochs;

    public TrainVgg() {
        this(Integer.MAX_VALUE);
    }

    TrainVgg(int stopAfterEpochs) {
        this.stopAfterEpochs = stopAfterEpochs;
    }

    public static void main(String[] args) {
        Cli.runAndExit(new TrainVgg(), args);
    }

    @Override
    public String name() {
        return "train-vgg";
    }

    @Override
    public String summary() {
        return "train VGG19 (optionally narrower) on CIFAR-10 with checkpoints and --resume; feeds the features command";
    }

    @Override
    public OptionSpec options() {
        return DeviceOption.addOption(new OptionSpec()
                .add("data-dir", "data", "folder holding cifar-10-batches-bin/ (see data/README.md)")
                .add("width-divisor", "1", "divide every channel count and classifier width by this (1 = the paper's"
                        + " VGG19; 4 = docs/theory.md §8.5 R8 for a CPU); must divide 64")
                .add("epochs", "30", "total epochs of the run (the learning-rate schedule spans them)")
                .add("batch", "64", "mini-batch size (docs/theory.md §1.4)")
                .add("lr", "0.01", "base learning rate η (docs/theory.md §1.4: 0.01)")
                .add("lr-schedule", "cosine", "learning rate per epoch: cosine (η·½(1+cos(π(e−1)/E))) | constant"
                        + " (the reference code's)")
                .add("linear-std", "0.01", "standard deviation of the classifier's initial Linear weights (docs/theory.md §1.4:"
                        + " 0.01); 0.01·√q keeps the full-width signal gain at width divisor q (e.g. 0.02 for q = 4)")
                .add("momentum", "0.9", "SGD momentum μ (docs/theory.md §1.4)")
                .add("weight-decay", "5e-4", "L2 weight decay λ (docs/theory.md §1.4)")
                .add("train-limit", "0", "use only the first N training images (0: all 50 000)")
                .add("test-limit", "0", "evaluate on the first N test images (0: all 10 000)")
                .add("eval-batch", "200", "batch size of the evaluation passes")
                .add("steps", "resident", "how a training step runs: resident (every tensor stays on the device from"
                        + " forward to SGD update) or graph (the host autograd graph, each operation uploading its"
                        + " operands and downloading its result: the reference; same results to float rounding)"))
                .add("seed", "1", "seed of the initial weights and of every epoch's order, crops, flips and dropout")
                .flag("dry-run", "tiny run: " + DRY_RUN_EPOCHS + " epochs of " + DRY_RUN_BATCHES + " batches, "
                        + DRY_RUN_TEST + " test images")
                .add(Resume.OPTION, "", "continue the run in this folder from its last complete checkpoint, with its"
                        + " own options (only --device may differ from them)")
                .add("out", "", "run folder (default out/train-vgg-<timestamp>)");
    }

    /** The options of one run, checked. */
    record Config(Path dataDir, int widthDivisor, int epochs, int batch, double lr, LearningRateSchedule schedule,
                  double linearStd, double momentum,
                  double weightDecay, int trainLimit, int testLimit, int evalBatch, String steps, long seed,
                  boolean dryRun) {

        static Config from(ParsedOptions o) {
            int q = o.getPositiveInt("width-divisor");
            if (64 % q != 0) {
                throw o.bad("width-divisor", o.getString("width-divisor"), "a divisor of 64 (1, 2, 4, 8, 16, 32, 64)");
            }
            double lr = o.getPositiveDouble("lr");
            double momentum = o.getUnitInterval("momentum");
            double weightDecay = o.getNonNegativeDouble("weight-decay");
            double linearStd = o.getPositiveDouble("linear-std");
            int batch = o.getPositiveInt("batch");
            if (batch < 2) {
                throw o.bad("batch", o.getString("batch"), "at least 2 (batch norm needs two images)");
            }
            return new Config(Path.of(o.getString("data-dir")), q, o.getPositiveInt("epochs"), batch, lr,
                    LearningRateSchedule.of(o.getChoice("lr-schedule", "cosine", "constant")), linearStd, momentum,
                    weightDecay, o.getNonNegativeInt("train-limit"), o.getNonNegativeInt("test-limit"),
                    o.getPositiveInt("eval-batch"), o.getChoice("steps", "resident", "graph"), o.getLong("seed"),
                    o.getBoolean("dry-run"));
        }

        int epochsToRun() {
            return dryRun ? Math.min(epochs, DRY_RUN_EPOCHS) : epochs;
        }
    }

    /**
     * Dominant allocations ({@link Footprint}): VGG19/q ({@link Footprints#vgg}) with six copies of
     * the parameters (parameters, gradients and velocities, on the host and on the backend) and eight
     * floats per unit and image of a training batch, or two of an evaluation batch, whichever is
     * larger; the training and test images.
     */
    @Override
    public Footprint footprint(ParsedOptions given) {
        ParsedOptions o = Resume.options(options(), given, RESUME_HARMLESS);
        Config c = Config.from(o);
        long images = (c.trainLimit() > 0 ? c.trainLimit() : 50_000L) + (c.testLimit() > 0 ? c.testLimit() : 10_000L);
        Vgg.Architecture a = Vgg.Architecture.vgg19(c.widthDivisor());
        boolean evalLarger = 2L * c.evalBatch() > 8L * c.batch();
        return Footprints.vgg(a, evalLarger ? c.evalBatch() : c.batch(), Math.min(images, Footprints.CIFAR_IMAGES), 6,
                evalLarger ? 2 : 8);
    }

    @Override
    public int run(ParsedOptions given) {
        boolean resuming = Resume.requested(given);
        ParsedOptions o = Resume.options(options(), given, RESUME_HARMLESS);
        Config c = Config.from(o);
        // Data first: a missing file must not leave an empty run folder behind.
        int trainCount = c.dryRun() ? DRY_RUN_BATCHES * c.batch() : c.trainLimit() > 0 ? c.trainLimit() : 50_000;
        int testCount = c.dryRun() ? DRY_RUN_TEST : c.testLimit() > 0 ? c.testLimit() : 10_000;
        TrainTest data = Cifar10.load(c.dataDir(), trainCount, testCount);
        RunFolder run = Resume.folder(given, o);
        Checkpoint start = resuming ? readCheckpoint(run.resolve("checkpoint.bin")) : null;

        Vgg.Architecture architecture = Vgg.Architecture.vgg19(c.widthDivisor());
        Vgg model;
        List<Tensor> velocity;
        if (start == null) {
            model = Vgg.create(architecture, c.linearStd(), new SplittableRandom(c.seed()));
            velocity = Sgd.zeroVelocity(model.parameters());
        } else {
            if (!start.architecture().equals(architecture) || start.seed() != c.seed()) {
                throw new UserError(name() + ": the checkpoint of " + run + " does not match its config.properties");
            }
            model = start.restore();
            velocity = start.velocityFor(model);
        }
        Sgd optimizer = new Sgd(model.parameters(), velocity, c.lr(), c.momentum(), c.weightDecay());
        ImageTransform transform = ImageTransform.cifar10();
        Table metrics = start == null ? newMetrics() : completedMetrics(run, start.epoch());
        int done = start == null ? 0 : start.epoch();
        double best = start == null ? Double.NaN : start.bestAccuracy();
        int bestEpoch = start == null ? 0 : start.bestEpoch();

        try (Backend backend = DeviceOption.open(given, System.err::println)) {
            boolean resident = c.steps().equals("resident");
            System.err.printf(Locale.ROOT, "train-vgg: VGG19/%d, %d parameters, %d training / %d test images, %s,"
                            + " %s steps%n", c.widthDivisor(), model.parameterCount(), data.train().n(), data.test().n(),
                    start == null ? "from scratch" : "resuming after epoch " + done,
                    resident ? "device-resident" : "autograd-graph");
            int ran = 0;
            LossGuard guard = new LossGuard();
            for (int e = done + 1; e <= c.epochsToRun() && ran < stopAfterEpochs; e++, ran++) {
                int epoch = e;
                double lr = c.schedule().rate(c.lr(), e, c.epochsToRun());
                optimizer.setLearningRate(lr);
                int batches = c.dryRun() ? DRY_RUN_BATCHES : Integer.MAX_VALUE;
                ProgressBar bar = new ProgressBar(String.format(Locale.ROOT, "epoch %d/%d", e, c.epochsToRun()),
                        Math.min(batches, (data.train().n() + c.batch() - 1) / c.batch()));
                VggTraining.EpochResult r;
                try {
                    r = VggTraining.epoch(model, optimizer, data.train(), transform, c.batch(), batches, e,
                            VggTraining.epochGenerator(c.seed(), e), backend, resident,
                            (b, total, loss) -> {
                                guard.check(epoch, b, loss);
                                bar.step(String.format(Locale.ROOT, "loss=%.4f", loss));
                            });
                } catch (DivergedLossException ex) {
                    throw new UserError(name() + ": " + ex.getMessage());
                }
                long evalStart = System.nanoTime();
                VggTraining.Evaluation test = VggTraining.evaluate(model, data.test(), transform, c.evalBatch(), backend,
                        (b, total, loss) -> { });
                double seconds = r.seconds() + (System.nanoTime() - evalStart) / 1e9;
                metrics.add(e, r.trainLoss(), r.trainAccuracy(), test.loss(), test.accuracy(), seconds, lr);
                System.err.printf(Locale.ROOT, "epoch %d: lr %.5f, train loss %.4f, train accuracy %.4f, "
                                + "test loss %.4f, test accuracy %.4f, %.1f s (training %.1f s)%n", e, lr, r.trainLoss(),
                        r.trainAccuracy(), test.loss(), test.accuracy(), seconds, r.seconds());
                if (!(test.accuracy() <= best)) {
                    best = test.accuracy();
                    bestEpoch = e;
                    Checkpoint weights = Checkpoint.of(model, null, e, c.seed(), best, bestEpoch);
                    run.write("best.bin", weights::write);
                }
                run.writeCsv("metrics.csv", metrics);
                Charts.savePng(run, "training.png", chart(metrics, c), 800, 700);
                Checkpoint state = Checkpoint.of(model, optimizer, e, c.seed(), best, bestEpoch);
                run.write("checkpoint.bin", state::write);
            }
        }

        if (metrics.size() == 0) {
            throw new UserError(name() + ": no epoch completed");
        }
        double[] testAcc = metrics.doubles("test_accuracy");
        double[] seconds = metrics.doubles("seconds");
        Table summary = new Table("metric", "value")
                .add("epochs", metrics.size())
                .add("test_accuracy", testAcc[testAcc.length - 1])
                .add("best_test_accuracy", best)
                .add("best_epoch", bestEpoch)
                .add("epoch_seconds_median", Bench.median(seconds))
                .add("parameters", model.parameterCount());
        run.writeCsv("summary.csv", summary);
        System.out.print(summary.format(4));
        System.out.println(run.dir());
        return 0;
    }

    private Checkpoint readCheckpoint(Path path) {
        try {
            return Checkpoint.read(path);
        } catch (NoSuchFileException e) {
            throw new UserError(name() + ": --resume: no checkpoint.bin in " + path.getParent()
                    + " (the run did not finish an epoch; start it again)");
        } catch (IOException e) {
            throw new UserError(name() + ": --resume: " + e.getMessage());
        }
    }

    private static Table newMetrics() {
        return new Table("epoch", "train_loss", "train_accuracy", "test_loss", "test_accuracy", "seconds", "lr");
    }

    /** The rows of {@code metrics.csv} up to the checkpoint's epoch (a kill may leave one more). */
    private Table completedMetrics(RunFolder run, int epochs) {
        Table out = newMetrics();
        try {
            Table old = Table.readCsv(run.resolve("metrics.csv"));
            for (int i = 0; i < old.size(); i++) {
                if (Integer.parseInt(old.text(i, "epoch")) <= epochs) {
                    List<Object> row = new ArrayList<>();
                    for (String col : out.columns()) {
                        row.add(Double.parseDouble(old.text(i, col)));
                    }
                    row.set(0, Integer.parseInt(old.text(i, "epoch")));
                    out.add(row.toArray());
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new UserError(name() + ": --resume: cannot read " + run.resolve("metrics.csv") + ": " + e.getMessage());
        }
        return out;
    }

    /** Two panels over a shared epoch axis: train and test loss above, train and test accuracy below. */
    private static JFreeChart chart(Table metrics, Config c) {
        XYPlot loss = Charts.lines("", "epoch", "loss",
                Charts.fromTable(metrics, "epoch", "train_loss", "test_loss"), true, false).getXYPlot();
        XYPlot accuracy = Charts.lines("", "epoch", "accuracy",
                Charts.fromTable(metrics, "epoch", "train_accuracy", "test_accuracy"), true, false).getXYPlot();
        accuracy.getRenderer().setSeriesPaint(0, Charts.PALETTE[2]);
        accuracy.getRenderer().setSeriesPaint(1, Charts.PALETTE[3]);
        String title = String.format(Locale.ROOT, "CIFAR-10: VGG19/%d, SGD lr %s (%s), batch %d", c.widthDivisor(),
                c.lr(), c.schedule().cliName(), c.batch());
        return Charts.overEpochs(title, loss, accuracy);
    }
}
