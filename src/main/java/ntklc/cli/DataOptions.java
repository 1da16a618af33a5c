package ntklc.cli;

import java.nio.file.Path;
import java.util.SplittableRandom;

import ntklc.data.DataBundle;
import ntklc.data.DataRequest;
import ntklc.data.DataSource;
import ntklc.data.Preprocess;

/**
 * The data options shared by every command that reads data, declared and read in one place:
 * <pre>
 *   --data=NAME         a {@link DataSource} name
 *   --data-dir=DIR      folder of the real data sets (default data/)
 *   --classes=LIST      original class labels to keep, e.g. 0,1 (empty: all; docs/theory.md §1.3)
 *   --n-train=T         training samples, ⌊c_k·T⌋ per class (≤ 0: all of real data)
 *   --n-test=T          test samples, likewise
 *   --proportions=LIST  class proportions c_k (empty: equal)
 *   --p=P               dimension of a Gaussian mixture
 *   --preprocess=WHAT   paper (docs/theory.md §1.3 centring and scaling) or none (pixels/255)
 * </pre>
 * A command declares them with {@link #declare}, then calls {@link #load}.
 */
public final class DataOptions {
    /** Per-command defaults of the data options (each with the reason in the command's code). */
    public record Defaults(String data, int nTrain, int nTest, int p, Preprocess preprocess) {
    }

    private DataOptions() {
    }

    /** Adds the data options to {@code spec} (Modified) and returns it. */
    public static OptionSpec declare(OptionSpec spec, Defaults d) {
        return spec
                .add("data", d.data(), "data source: " + DataSource.NAMES)
                .add("data-dir", "data", "folder holding the real data sets (see data/README.md)")
                .add("classes", "", "original class labels to keep, in new-label order, e.g. 0,1 (empty: all)")
                .add("n-train", String.valueOf(d.nTrain()), "training samples T, the first ⌊c_k·T⌋ of each class (≤ 0: all)")
                .add("n-test", String.valueOf(d.nTest()), "test samples, likewise")
                .add("proportions", "", "class proportions c_k, comma-separated (empty: equal classes)")
                .add("p", String.valueOf(d.p()), "dimension p of a Gaussian mixture (gmm-* only)")
                .add("preprocess", d.preprocess().cliName(),
                        "real data: paper (centre, scale to mean squared norm 1, docs/theory.md §1.3) or none (pixels/255)");
    }

    /** The source named by {@code --data}. */
    public static DataSource source(ParsedOptions o) {
        return DataSource.parse(o.getString("data"));
    }

    /** The request described by the other data options. */
    public static DataRequest request(ParsedOptions o) {
        int p = o.getInt("p");
        if (p < 1) {
            throw o.bad("p", String.valueOf(p), "a positive integer");
        }
        Preprocess preprocess = o.getChoice("preprocess", "paper", "none").equals("paper") ? Preprocess.PAPER : Preprocess.NONE;
        return new DataRequest(Path.of(o.getString("data-dir")), o.getIntList("classes"), o.getInt("n-train"),
                o.getInt("n-test"), o.getDoubleList("proportions"), p, preprocess);
    }

    /** Loads the data described by the options. */
    public static DataBundle load(ParsedOptions o, SplittableRandom rng) {
        return source(o).load(request(o), rng);
    }
}
