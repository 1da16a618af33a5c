package ntklc.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.function.Function;

import ntklc.cli.ParsedOptions;
import ntklc.cli.UserError;
import ntklc.compression.Readout;
import ntklc.compression.FeatureRows;
import ntklc.compression.RidgeReadout;
import ntklc.compression.SoftmaxReadout;
import ntklc.tensor.Tensor;

/**
 * Option parsing shared by the experiments ({@code compress}, {@code spectrum},
 * {@code activations}): presets, width sets and the readout, each parsed once into a typed value
 * so that no command keeps its own copy.
 */
final class ExperimentOptions {
    private ExperimentOptions() {
    }

    /** A named set of option values that fills the options the user did not type. */
    interface Preset {
        String name();

        /** Option name → value, in the order they are applied. */
        Map<String, String> options();
    }

    /** A preset that is only a name and option values. */
    record NamedPreset(String name, Map<String, String> options) implements Preset {
    }

    /**
     * Applies the preset named by {@code --preset} (if any): its values go into every option the
     * user did not type.
     *
     * @param lookup the command's presets by name; throws {@link IllegalArgumentException} for an unknown name
     * @return the preset, or {@code null} when {@code --preset} is empty
     */
    static <P extends Preset> P applyPreset(ParsedOptions o, Function<String, P> lookup) {
        String name = o.getString("preset").trim();
        if (name.isEmpty()) {
            return null;
        }
        P preset;
        try {
            preset = lookup.apply(name);
        } catch (IllegalArgumentException e) {
            throw new UserError(o.command() + ": --preset: " + e.getMessage());
        }
        for (Map.Entry<String, String> e : preset.options().entrySet()) {
            if (!o.isGiven(e.getKey())) {
                o.put(e.getKey(), e.getValue());
            }
        }
        return preset;
    }

    /**
     * The hidden widths {@code d_1..d_L} of option {@code name}: {@code layers} positive integers.
     */
    static int[] widths(ParsedOptions o, String name, int layers) {
        return widthSet(o, name, o.getString(name), layers);
    }

    /**
     * Several width sets separated by {@code ;} (e.g. {@code 1024,1024,512;2048,2048,1024}), each
     * with {@code layers} positive widths.
     */
    static List<int[]> widthSets(ParsedOptions o, String name, int layers) {
        List<int[]> sets = new ArrayList<>();
        for (String set : o.getString(name).split(";")) {
            sets.add(widthSet(o, name, set, layers));
        }
        if (sets.isEmpty()) { // "".split(";") gives one (bad) set, ";;" none
            throw o.bad(name, o.getString(name), "one or more width sets like 1024,1024,512");
        }
        return sets;
    }

    private static int[] widthSet(ParsedOptions o, String name, String set, int layers) {
        int[] w;
        try {
            w = java.util.Arrays.stream(set.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        } catch (NumberFormatException e) {
            throw o.bad(name, o.getString(name), "widths like 1024,1024,512 (sets separated by ';')");
        }
        if (w.length != layers) {
            throw new UserError(o.command() + ": --" + name + ": width set " + set.trim() + " has " + w.length
                    + " layers, the activations " + layers);
        }
        for (int d : w) {
            if (d < 1) {
                throw o.bad(name, o.getString(name), "positive widths");
            }
        }
        return w;
    }

    /** The comma-separated text of a width set, as written in CSV cells and keys. */
    static String widthsText(int[] widths) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            sb.append(i == 0 ? "" : ",").append(widths[i]);
        }
        return sb.toString();
    }

    /** The ridge λ of {@code --lambda}: empty for the default {@code 1e−3·tr(G)/n}, else a positive number. */
    static OptionalDouble ridgeLambda(ParsedOptions o) {
        String text = o.getString("lambda").trim();
        if (text.isEmpty()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(o.getPositiveDouble("lambda"));
    }

    /** How the readout on the frozen features is trained. */
    enum ReadoutKind {
        /** Closed-form ridge regression on one-hot targets ({@link RidgeReadout}). */
        RIDGE("ridge"),
        /** Softmax regression trained with Adam, as the reference code ({@link SoftmaxReadout}). */
        SOFTMAX("softmax");

        private final String spelling;

        ReadoutKind(String spelling) {
            this.spelling = spelling;
        }

        String spelling() {
            return spelling;
        }
    }

    /**
     * The readout options: {@code --readout}, {@code --lambda} (ridge), {@code --epochs},
     * {@code --lr}, {@code --batch} (softmax).
     */
    record ReadoutOptions(ReadoutKind kind, OptionalDouble lambda, int epochs, double lr, int batch) {
        static ReadoutOptions parse(ParsedOptions o) {
            ReadoutKind kind = o.getChoice("readout", "ridge", "softmax").equals("softmax")
                    ? ReadoutKind.SOFTMAX : ReadoutKind.RIDGE;
            return new ReadoutOptions(kind, ridgeLambda(o), o.getPositiveInt("epochs"), o.getPositiveDouble("lr"),
                    o.getPositiveInt("batch"));
        }

        /** True if fitting draws a generator (the softmax shuffles), so a network splits one more. */
        boolean random() {
            return kind == ReadoutKind.SOFTMAX;
        }

        /**
         * Fits the readout on {@code n×d} features.
         *
         * @param shift extra ridge λ (the NTK-LC stepwise identity shift), ignored by softmax
         * @param rng   the shuffles' generator (softmax only; may be null for ridge)
         */
        Readout fit(Tensor features, int[] labels, int numClasses, double shift, SplittableRandom rng) {
            return fit(FeatureRows.of(features), labels, numClasses, shift, rng);
        }

        /** As {@link #fit(Tensor, int[], int, double, SplittableRandom)}; softmax reads the rows a mini-batch at a time. */
        Readout fit(FeatureRows features, int[] labels, int numClasses, double shift, SplittableRandom rng) {
            return switch (kind) {
                case RIDGE -> RidgeReadout.fit(features.toTensor(), labels, numClasses, lambda.orElse(Double.NaN), shift);
                case SOFTMAX -> SoftmaxReadout.fit(features, labels, numClasses, epochs, lr, batch, rng);
            };
        }
    }
}
