package ntklc.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The paper's accuracy-versus-memory settings (docs/theory.md §8.2–8.3) as option presets for
 * {@code compress}, with the paper's numbers (digitised from the figures, docs/theory.md §8) to print beside
 * the measured ones. Options typed by the user override a preset's.
 */
final class CompressPresets {
    private CompressPresets() {
    }

    /**
     * A paper value: accuracy and, where the figure gives it, memory in bits.
     *
     * @param epsilon ε of an NTK-LC point, empty for the other methods
     * @param bits    memory in bits where the figure gives it
     */
    record PaperPoint(String method, OptionalDouble epsilon, String widths, double accuracy, OptionalDouble bits) {
        PaperPoint(String method, double epsilon, String widths, double accuracy, double bits) {
            this(method, Double.isNaN(epsilon) ? OptionalDouble.empty() : OptionalDouble.of(epsilon), widths, accuracy,
                    Double.isNaN(bits) ? OptionalDouble.empty() : OptionalDouble.of(bits));
        }
    }

    /** A preset: option values and the paper's points. */
    record Preset(String name, Map<String, String> options, List<PaperPoint> points) implements ExperimentOptions.Preset {
        /** The paper point for (method, ε, widths); ε is empty for methods without ε. */
        PaperPoint find(String method, OptionalDouble epsilon, String widths) {
            for (PaperPoint p : points) {
                if (p.method().equals(method) && p.epsilon().equals(epsilon) && p.widths().equals(widths)) {
                    return p;
                }
            }
            return null;
        }
    }

    static final String NAMES = "paper-fig3-mnist|paper-fig4-6v8|paper-fig4-0to4|paper-fig3-cifar10";

    private static final String FIG3_MNIST_WIDTHS =
            "1500,1500,1500;5000,5000,2000;5000,5000,5000;10000,10000,5000;20000,20000,11000";
    private static final String FIG4_6V8_WIDTHS = "500,500,500;1000,1000,1000;1500,1500,1500;2000,2000,2000;2500,2500,2500";
    private static final String CIFAR_WIDTHS = "400,400,200;1000,1000,500;3000,3000,1000;5000,5000,2500;10000,10000,5000";

    static Preset get(String name) {
        return switch (name) {
            case "paper-fig3-mnist" -> fig3Mnist();
            case "paper-fig4-6v8" -> fig4SixVsEight();
            case "paper-fig4-0to4" -> fig4ZeroToFour();
            case "paper-fig3-cifar10" -> fig3Cifar();
            default -> throw new IllegalArgumentException("unknown preset '" + name + "' (" + NAMES + ")");
        };
    }

    /** Common MNIST settings of the reference code (docs/theory.md §8.2): 5000 train / 800 test per class, Adam softmax. */
    private static Map<String, String> mnist(String classes, String widths, String sparseFraction) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("data", "mnist");
        o.put("classes", classes);
        o.put("train-per-class", "5000");
        o.put("test-per-class", "800");
        o.put("widths", widths);
        o.put("epsilons", "0,0.5,0.9");
        o.put("methods", "original,ntk-lc,naive-sparse,naive-quantized");
        o.put("sparse-fraction", sparseFraction);
        o.put("readout", "softmax");
        return o;
    }

    /**
     * Rows of a full paper table: per width set {original acc, original bits, NTK-LC ε=0, ε=0.5,
     * ε=0.9, ε=0.9 bits, naive quantized, naive sparse}.
     */
    private static List<PaperPoint> table(String widthSets, double[][] rows) {
        String[] sets = widthSets.split(";");
        List<PaperPoint> out = new ArrayList<>();
        for (int i = 0; i < sets.length; i++) {
            double[] r = rows[i];
            out.add(new PaperPoint("original", Double.NaN, sets[i], r[0], r[1]));
            out.add(new PaperPoint("ntk-lc", 0, sets[i], r[2], Double.NaN));
            out.add(new PaperPoint("ntk-lc", 0.5, sets[i], r[3], Double.NaN));
            out.add(new PaperPoint("ntk-lc", 0.9, sets[i], r[4], r[5]));
            out.add(new PaperPoint("naive-quantized", Double.NaN, sets[i], r[6], Double.NaN));
            out.add(new PaperPoint("naive-sparse", Double.NaN, sets[i], r[7], Double.NaN));
        }
        return out;
    }

    /** docs/theory.md §8.2, Fig. 3 top (MNIST, 10 classes, naive sparse 80 %). */
    private static Preset fig3Mnist() {
        return new Preset("paper-fig3-mnist", mnist("0,1,2,3,4,5,6,7,8,9", FIG3_MNIST_WIDTHS, "0.8"),
                table(FIG3_MNIST_WIDTHS, new double[][] {
                    {0.928, 1.82e8, 0.754, 0.764, 0.751, 1.15e6, 0.484, 0.744},
                    {0.943, 1.25e9, 0.813, 0.807, 0.816, 7.8e6, 0.574, 0.758},
                    {0.953, 1.73e9, 0.876, 0.875, 0.879, 1.08e7, 0.670, 0.793},
                    {0.955, 5.05e9, 0.881, 0.882, 0.885, 3.16e7, 0.670, 0.787},
                    {0.982, 2.03e10, 0.915, 0.916, 0.918, 1.27e8, 0.818, 0.871},
                }));
    }

    /**
     * docs/theory.md §8.2, Fig. 4 top (MNIST 6 vs 8, naive sparse 90 %): the values read off the figure
     * (docs/theory.md §8.2) give every ε = 0.9 point but only the end points of the other curves.
     */
    private static Preset fig4SixVsEight() {
        String[] sets = FIG4_6V8_WIDTHS.split(";");
        List<PaperPoint> p = new ArrayList<>();
        double[] eps09 = {0.858, 0.898, 0.926, 0.949, 0.960};
        for (int i = 0; i < sets.length; i++) {
            p.add(new PaperPoint("ntk-lc", 0.9, sets[i], eps09[i], i == 0 ? 1.8e5 : i == 4 ? 2.9e6 : Double.NaN));
        }
        endPoints(p, sets, "original", Double.NaN, 0.986, 0.992, 2.86e7, 4.63e8);
        endPoints(p, sets, "ntk-lc", 0, 0.833, 0.952, Double.NaN, Double.NaN);
        endPoints(p, sets, "naive-quantized", Double.NaN, 0.641, 0.765, Double.NaN, Double.NaN);
        endPoints(p, sets, "naive-sparse", Double.NaN, 0.788, 0.896, Double.NaN, Double.NaN);
        return new Preset("paper-fig4-6v8", mnist("6,8", FIG4_6V8_WIDTHS, "0.9"), p);
    }

    /** docs/theory.md §8.2, Fig. 4 bottom (MNIST digits 0–4, widths of Fig. 3). */
    private static Preset fig4ZeroToFour() {
        String[] sets = FIG3_MNIST_WIDTHS.split(";");
        List<PaperPoint> p = new ArrayList<>();
        double[] eps09 = {0.904, 0.922, 0.954, 0.955, 0.969};
        for (int i = 0; i < sets.length; i++) {
            p.add(new PaperPoint("ntk-lc", 0.9, sets[i], eps09[i], i == 0 ? 1.15e6 : i == 4 ? 1.27e8 : Double.NaN));
        }
        endPoints(p, sets, "original", Double.NaN, 0.986, 0.992, Double.NaN, Double.NaN);
        endPoints(p, sets, "ntk-lc", 0, 0.899, 0.975, Double.NaN, Double.NaN);
        endPoints(p, sets, "naive-quantized", Double.NaN, 0.638, 0.901, Double.NaN, Double.NaN);
        endPoints(p, sets, "naive-sparse", Double.NaN, 0.877, 0.929, Double.NaN, Double.NaN);
        return new Preset("paper-fig4-0to4", mnist("0,1,2,3,4", FIG3_MNIST_WIDTHS, "0.9"), p);
    }

    /** docs/theory.md §8.3 (CIFAR-10 VGG19 features, all 10 classes, 50 000 / 10 000). */
    private static Preset fig3Cifar() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("data", "cifar10-features");
        o.put("classes", "0,1,2,3,4,5,6,7,8,9");
        o.put("train-per-class", "5000");
        o.put("test-per-class", "1000");
        o.put("widths", CIFAR_WIDTHS);
        o.put("epsilons", "0,0.5,0.9");
        o.put("methods", "original,ntk-lc,naive-sparse,naive-quantized");
        o.put("sparse-fraction", "0.8");
        o.put("readout", "softmax");
        return new Preset("paper-fig3-cifar10", o, table(CIFAR_WIDTHS, new double[][] {
            {0.850, 1.5e7, 0.800, 0.793, 0.790, 9.6e4, 0.692, 0.775},
            {0.871, 6.7e7, 0.841, 0.838, 0.836, 4.2e5, 0.719, 0.827},
            {0.872, 4.4e8, 0.859, 0.861, 0.855, 2.8e6, 0.755, 0.860},
            {0.872, 1.3e9, 0.863, 0.869, 0.868, 8.1e6, 0.756, 0.852},
            {0.873, 5.0e9, 0.869, 0.872, 0.868, 3.1e7, 0.764, 0.863},
        }));
    }

    private static void endPoints(List<PaperPoint> p, String[] sets, String method, double eps, double first,
                                  double last, double firstBits, double lastBits) {
        p.add(new PaperPoint(method, eps, sets[0], first, firstBits));
        p.add(new PaperPoint(method, eps, sets[sets.length - 1], last, lastBits));
    }
}
