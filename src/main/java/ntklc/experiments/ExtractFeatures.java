package ntklc.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

import ntklc.backend.Backend;
import ntklc.cli.Cli;
import ntklc.cli.Command;
import ntklc.cli.DeviceOption;
import ntklc.cli.Footprint;
import ntklc.cli.OptionSpec;
import ntklc.cli.ParsedOptions;
import ntklc.cli.UserError;
import ntklc.data.Cifar10;
import ntklc.data.Dataset;
import ntklc.data.FeatureFile;
import ntklc.data.Preprocessing;
import ntklc.data.TrainTest;
import ntklc.nn.vgg.Checkpoint;
import ntklc.nn.vgg.ImageTransform;
import ntklc.nn.vgg.Vgg;
import ntklc.nn.vgg.VggTraining;
import ntklc.report.ProgressBar;
import ntklc.report.RunFolder;
import ntklc.report.Table;
import ntklc.tensor.Tensor;

/**
 * {@code features}: the CIFAR-10 features of a trained VGG19 (docs/theory.md §1.4), the input of the paper's
 * CIFAR-10 compression experiment (docs/theory.md §8.3, {@code compress --data=cifar10-features}).
 *
 * <p>Which tensor: the output of the 16th convolution after its BatchNorm and ReLU and after the
 * fifth (last) 2×2 max-pool, {@code N×(512/q)×1×1}, flattened to {@code N×(512/q)}
 * ({@link Vgg#features}; the reference's 1×1 average pool in between is a no-op). The network runs
 * in evaluation mode (batch norm with its running statistics). Test images are only normalised;
 * training images likewise by default ({@code --train-transform=none}), or, as the reference code
 * does, through one random crop and flip each ({@code --train-transform=augment}, seeded).
 *
 * <p>Each split is then normalised separately (docs/theory.md §1.4): subtract the split's mean feature,
 * divide by {@code √((1/n)Σ||f_i − f̄||²)}, so that {@code (1/n)Σ||f_i||² = 1}.
 *
 * <p>Run folder: {@code config.properties}; {@code features.bin} ({@link FeatureFile}: both splits,
 * little-endian float32, with labels); {@code summary.csv} (per split: n, dim and the mean squared
 * norm before and after the normalisation).
 */
public final class ExtractFeatures implements Command {
    /** Images per split of a {@code --dry-run}. */
    static final int DRY_RUN_IMAGES = 64;

    public static void main(String[] args) {
        Cli.runAndExit(new ExtractFeatures(), args);
    }

    @Override
    public String name() {
        return "features";
    }

    @Override
    public String summary() {
        return "write the normalised VGG19 features of CIFAR-10 (input of compress --data=cifar10-features)";
    }

    @Override
    public OptionSpec options() {
        return DeviceOption.addOption(new OptionSpec()
                .add("weights", "", "a train-vgg run folder, or a checkpoint file (.bin) written by train-vgg")
                .add("checkpoint", "best", "which weights of a run folder: best (best.bin, best test accuracy) or last"
                        + " (checkpoint.bin)")
                .add("data-dir", "data", "folder holding cifar-10-batches-bin/ (see data/README.md)")
                .add("train-transform", "none", "training images: none (normalisation only) or augment (one random"
                        + " crop and flip each, as the reference code does)")
                .add("train-limit", "0", "use only the first N training images (0: all 50 000)")
                .add("test-limit", "0", "use only the first N test images (0: all 10 000)")
                .add("batch", "200", "images per forward pass"))
                .add("seed", "1", "seed of the crops and flips of --train-transform=augment")
                .flag("dry-run", "only the first " + DRY_RUN_IMAGES + " images of each split")
                .add("out", "", "run folder (default out/features-<timestamp>)");
    }

    /**
     * Dominant allocations ({@link Footprint}), before the checkpoint is read and so for the widest
     * network, VGG19 itself ({@link Footprints#vgg}): two copies of the parameters (host and backend),
     * two floats per unit and image of a forward batch, the images, and the features of every image
     * ({@code 512} floats each).
     */
    @Override
    public Footprint footprint(ParsedOptions o) {
        long batch = o.getPositiveInt("batch");
        long train = o.getNonNegativeInt("train-limit");
        long test = o.getNonNegativeInt("test-limit");
        long images = Math.min(Footprints.CIFAR_IMAGES, (train > 0 ? train : 50_000L) + (test > 0 ? test : 10_000L));
        return Footprints.vgg(Vgg.Architecture.vgg19(1), batch, images, 2, 2)
                .floats("the features (n×512)", 1, images, Vgg.VGG19_CLASSIFIER, "a smaller --train-limit");
    }

    @Override
    public int run(ParsedOptions o) {
        String weights = o.getString("weights");
        if (weights.isBlank()) {
            throw new UserError(name() + ": --weights=RUN_DIR is required (a train-vgg run folder)");
        }
        String which = o.getChoice("checkpoint", "best", "last");
        boolean augment = o.getChoice("train-transform", "none", "augment").equals("augment");
        int batch = o.getInt("batch");
        int trainLimit = o.getInt("train-limit");
        int testLimit = o.getInt("test-limit");
        if (batch < 1) {
            throw o.bad("batch", o.getString("batch"), "a positive integer");
        }
        if (trainLimit < 0 || testLimit < 0) {
            throw new UserError(name() + ": --train-limit and --test-limit must be ≥ 0");
        }
        boolean dryRun = o.getBoolean("dry-run");
        Path path = Path.of(weights);
        if (Files.isDirectory(path)) {
            path = path.resolve(which.equals("best") ? "best.bin" : "checkpoint.bin");
        }
        Checkpoint checkpoint;
        try {
            checkpoint = Checkpoint.read(path);
        } catch (NoSuchFileException e) {
            throw new UserError(name() + ": no weights at " + path + " (train a network with train-vgg first)");
        } catch (IOException e) {
            throw new UserError(name() + ": " + e.getMessage());
        }
        Vgg model;
        try {
            model = checkpoint.restore();
        } catch (IllegalArgumentException e) {
            throw new UserError(name() + ": " + path + ": " + e.getMessage());
        }
        ImageTransform transform = ImageTransform.cifar10();
        Vgg.Architecture a = model.architecture();
        if (a.inChannels() != transform.channels() || a.imageSize() != transform.size() || a.classes() != 10) {
            throw new UserError(name() + ": " + path + " is not a CIFAR-10 network (" + a + ")");
        }

        int nTrain = dryRun ? DRY_RUN_IMAGES : trainLimit > 0 ? trainLimit : 50_000;
        int nTest = dryRun ? DRY_RUN_IMAGES : testLimit > 0 ? testLimit : 10_000;
        TrainTest data = Cifar10.load(Path.of(o.getString("data-dir")), nTrain, nTest);
        RunFolder run = RunFolder.create(o.getString("out"), name());
        run.writeConfig(o.effective());
        System.err.printf(Locale.ROOT, "features: %s (epoch %d), %d-dimensional, %d training / %d test images,"
                        + " training transform %s%n", path, checkpoint.epoch(), a.featureDim(), data.train().n(),
                data.test().n(), augment ? "augment" : "none");

        Table summary = new Table("split", "n", "dim", "raw_mean_squared_norm", "mean_squared_norm");
        Dataset train;
        Dataset test;
        try (Backend backend = DeviceOption.open(o, System.err::println)) {
            train = extract("train", model, data.train(), transform,
                    augment ? new SplittableRandom(o.getLong("seed")) : null, batch, backend, summary);
            test = extract("test", model, data.test(), transform, null, batch, backend, summary);
        }
        TrainTest features = new TrainTest(train, test);
        run.write("features.bin", out -> FeatureFile.write(out, features));
        run.writeCsv("summary.csv", summary);
        System.out.print(summary.format(4));
        System.out.println(run.dir());
        return 0;
    }

    /** Features of one split, normalised as in docs/theory.md §1.4; adds the split's row to {@code summary}. */
    private static Dataset extract(String split, Vgg model, Dataset images, ImageTransform transform,
                                   SplittableRandom augment, int batch, Backend backend, Table summary) {
        ProgressBar bar = new ProgressBar("features " + split, (images.n() + batch - 1) / batch);
        Tensor f = VggTraining.features(model, images, transform, augment, batch, backend, (b, t, l) -> bar.step(""));
        double raw = meanSquaredNorm(f);
        Preprocessing.centreToUnitMeanSquaredNorm(f);
        summary.add(split, f.rows(), f.cols(), raw, meanSquaredNorm(f));
        return new Dataset(f, images.labels(), images.numClasses());
    }

    /** {@code (1/n) Σ_i ||f_i||²}. */
    static double meanSquaredNorm(Tensor f) {
        double s = 0;
        for (float v : f.data()) {
            s += (double) v * v;
        }
        return s / f.rows();
    }
}
