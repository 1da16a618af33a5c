package ntklc.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Builder of a multilayer perceptron {@code p → d_1 → … → d_L → K}: {@code L} hidden
 * {@link Linear} layers each followed by the activation σ (and optional dropout), then a linear
 * read-out to {@code K} logits (no activation; the loss applies the softmax). This is the trained
 * baseline network of the paper's Fig. 3–4 (docs/theory.md §8.2: 784-d_1-d_2-d_3-10).
 */
public final class Mlp {
    private final int inputs;
    private final int classes;
    private int[] hidden = new int[0];
    private Supplier<ActivationLayer> activation = ActivationLayer::relu;
    private Initializer init = new Initializer.KaimingNormal();
    private boolean bias = true;
    private double dropout;

    private Mlp(int inputs, int classes) {
        this.inputs = inputs;
        this.classes = classes;
    }

    /** An MLP from {@code p} inputs to {@code K} logits; by default no hidden layer, ReLU, Kaiming init, biases. */
    public static Mlp builder(int p, int numClasses) {
        if (p < 1 || numClasses < 1) {
            throw new IllegalArgumentException("an MLP needs p ≥ 1 and K ≥ 1, got " + p + " and " + numClasses);
        }
        return new Mlp(p, numClasses);
    }

    /** Hidden widths {@code d_1, …, d_L}. */
    public Mlp hidden(int... widths) {
        for (int d : widths) {
            if (d < 1) {
                throw new IllegalArgumentException("hidden widths must be ≥ 1, got " + d);
            }
        }
        hidden = widths.clone();
        return this;
    }

    /** The activation after each hidden layer (a new layer object per use). */
    public Mlp activation(Supplier<ActivationLayer> activation) {
        this.activation = activation;
        return this;
    }

    /** Weight law of every layer; biases start at 0. */
    public Mlp init(Initializer init) {
        this.init = init;
        return this;
    }

    public Mlp bias(boolean bias) {
        this.bias = bias;
        return this;
    }

    /** Dropout rate after each hidden activation (0: none). */
    public Mlp dropout(double rate) {
        this.dropout = rate;
        return this;
    }

    /**
     * Draws the weights.
     *
     * @param rng draws every weight (layer by layer, in order) and seeds the dropout masks (Modified)
     */
    public Sequential build(SplittableRandom rng) {
        List<Module> layers = new ArrayList<>();
        int d = inputs;
        for (int width : hidden) {
            layers.add(Linear.create(d, width, bias, init, rng));
            layers.add(activation.get());
            if (dropout > 0) {
                layers.add(new DropoutLayer(dropout, rng.split()));
            }
            d = width;
        }
        layers.add(Linear.create(d, classes, bias, init, rng));
        return new Sequential(layers);
    }
}
