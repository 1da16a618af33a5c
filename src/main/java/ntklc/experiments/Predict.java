package ntklc.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import ntklc.cli.Cli;
import ntklc.cli.Command;
import ntklc.cli.OptionSpec;
import ntklc.cli.ParsedOptions;
import ntklc.cli.UserError;
import ntklc.compression.FeatureRows;
import ntklc.compression.packed.ModelFile;
import ntklc.compression.packed.PackedNetwork;
import ntklc.data.TrainTest;
import ntklc.report.RunFolder;
import ntklc.report.Table;
import ntklc.tensor.Tensor;

/**
 * {@code predict}: loads a model file written by {@code compress --save-models}
 * ({@link ModelFile}: a packed NTK-LC network and its trained readout, paper §4 Algorithm 1) and
 * measures its test accuracy on the packed engine. The test set is rebuilt from the data options
 * recorded in the file (the same seed, classes and counts as the compress run, so the accuracy is
 * the one compress recorded); {@code --data}, {@code --data-dir}, {@code --classes},
 * {@code --test-per-class} and {@code --features} override them. Output: {@code summary.csv}
 * ({@code test_accuracy, n, seconds, file_bytes, resident_bytes}; seconds of the forward pass and
 * readout).
 */
public final class Predict implements Command {
    public static void main(String[] args) {
        Cli.runAndExit(new Predict(), args);
    }

    @Override
    public String name() {
        return "predict";
    }

    @Override
    public String summary() {
        return "test accuracy of a saved NTK-LC model (compress --save-models) on the packed engine";
    }

    @Override
    public OptionSpec options() {
        return new OptionSpec()
                .add("model", "", "model file written by compress --save-models (models/*.ntklc of its run folder)")
                .add("data", "", "gmm-mixed|gmm-var|mnist|fashion-mnist|cifar10-features (empty: the model's)")
                .add("data-dir", "data", "folder of the real data sets")
                .add("classes", "", "class labels to keep (empty: the model's)")
                .add("test-per-class", "", "test samples per class (empty: the model's)")
                .add("features", "", "VGG feature file for --data=cifar10-features (empty: the model's)")
                .add("forward-batch", "512", "samples per forward batch")
                .add("out", "", "run folder (default out/predict-<timestamp>)")
                .flag("dry-run", "read and check the model file, print what it holds, load no data");
    }

    @Override
    public int run(ParsedOptions o) {
        String file = o.getString("model").trim();
        if (file.isEmpty()) {
            throw new UserError("predict: --model=FILE is required (a models/*.ntklc file written by compress --save-models)");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(Path.of(file));
        } catch (IOException e) {
            throw new UserError("predict: cannot read model file " + file + ": " + e.getMessage());
        }
        ModelFile.Model model;
        try {
            model = ModelFile.read(bytes);
        } catch (ModelFile.ModelFormatException e) {
            throw new UserError("predict: " + file + ": " + e.getMessage());
        }
        PackedNetwork net = model.network();
        Map<String, String> prov = model.provenance();
        int batch = o.getPositiveInt("forward-batch");
        RunFolder run = RunFolder.create(o.getString("out"), name());
        run.writeConfig(o.effective());
        System.err.printf(Locale.ROOT, "model %s: %s ε=%s widths %s, p = %d, %d bytes on disk, %d bytes resident%n", file,
                prov.getOrDefault("method", "?"), prov.getOrDefault("epsilon", "?"), prov.getOrDefault("widths", "?"),
                net.inputDim(), bytes.length, net.residentBytes());
        if (o.getBoolean("dry-run")) {
            System.out.println(run.dir());
            return 0;
        }
        Compress.DataSpec data = dataOptions(o, prov);
        long seed = parseLong(prov, "seed");
        TrainTest tt = Compress.load(data, new SplittableRandom(seed).split());
        Tensor x = tt.test().x();
        if (x.cols() != net.inputDim()) {
            throw new UserError("predict: the model takes p = " + net.inputDim() + " inputs, the data have " + x.cols());
        }
        long t0 = System.nanoTime();
        FeatureRows features = net.packedFeatures(x, batch);
        double accuracy = model.readout().accuracy(features, tt.test().labels());
        double seconds = (System.nanoTime() - t0) / 1e9;
        Table summary = new Table("test_accuracy", "n", "seconds", "file_bytes", "resident_bytes");
        summary.add(accuracy, x.rows(), seconds, bytes.length, net.residentBytes());
        run.writeCsv("summary.csv", summary);
        System.err.printf(Locale.ROOT, "test accuracy %.4f on %d samples (%.2f s)%s%n", accuracy, x.rows(), seconds,
                prov.containsKey("test_accuracy") ? "; compress recorded " + prov.get("test_accuracy") : "");
        System.out.print(summary.format(4));
        System.out.println(run.dir());
        return 0;
    }

    /** The model's data options, overridden by those typed. */
    private static Compress.DataSpec dataOptions(ParsedOptions o, Map<String, String> prov) {
        String source = o.isGiven("data") ? o.getChoice("data", "gmm-mixed", "gmm-var", "mnist", "fashion-mnist",
                "cifar10-features") : prov.getOrDefault("data", "");
        if (source.isEmpty()) {
            throw new UserError("predict: the model file records no data set; give --data");
        }
        int[] classes = o.isGiven("classes") ? o.getIntList("classes") : parseInts(prov, "classes");
        int testPerClass = o.isGiven("test-per-class") ? o.getPositiveInt("test-per-class")
                : (int) parseLong(prov, "test-per-class");
        String features = o.isGiven("features") ? o.getString("features") : prov.getOrDefault("features", "");
        if (source.equals("cifar10-features") && features.isBlank()) {
            throw new UserError("predict: --data=cifar10-features needs --features=PATH");
        }
        return new Compress.DataSpec(source, classes, (int) parseLong(prov, "train-per-class"), testPerClass,
                (int) parseLong(prov, "p"), o.getString("data-dir"), features);
    }

    private static long parseLong(Map<String, String> prov, String key) {
        try {
            return Long.parseLong(prov.getOrDefault(key, "").trim());
        } catch (NumberFormatException e) {
            throw new UserError("predict: the model file records no valid '" + key + "' (got '" + prov.get(key) + "')");
        }
    }

    private static int[] parseInts(Map<String, String> prov, String key) {
        try {
            return java.util.Arrays.stream(prov.getOrDefault(key, "").split(",")).mapToInt(v -> Integer.parseInt(v.trim()))
                    .toArray();
        } catch (NumberFormatException e) {
            throw new UserError("predict: the model file records no valid '" + key + "' (got '" + prov.get(key) + "')");
        }
    }
}
