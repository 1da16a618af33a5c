package ntklc.nn.vgg;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import ntklc.autograd.MaxPool2d;
import ntklc.autograd.Reshape;
import ntklc.autograd.Variable;
import ntklc.nn.ActivationLayer;
import ntklc.nn.DropoutLayer;
import ntklc.nn.Initializer;
import ntklc.nn.Linear;
import ntklc.nn.Module;
import ntklc.nn.Sequential;
import ntklc.tensor.Tensor;

/**
 * VGG19 with batch norm for 32×32 CIFAR-10 images (spec §2.5): sixteen {@link ConvBlock}s with the
 * channel plan {@link #PLAN} ({@code M} = 2×2 max-pool), which maps {@code N×3×32×32} to
 * {@code N×512×1×1} (the 1×1 average pool of the reference code is the identity), flattened to the
 * 512-d features; then the classifier used only while training,
 * {@code Linear(512,512)–ReLU–Dropout(0.5)–Linear(512,512)–ReLU–Dropout(0.5)–Linear(512,10)} with
 * weights {@code N(0, 0.01²)} and zero biases.
 *
 * <p>{@code widthDivisor} divides every channel count and the classifier width (1 = the paper's
 * network, 4 = the reduced network of spec §12 R8 for a 2-core CPU).
 */
public final class Vgg19 implements Module {
    /** Channel plan of spec §2.5; 0 stands for a max-pool ("M"). */
    public static final int[] PLAN = {64, 64, 0, 128, 128, 0, 256, 256, 256, 256, 0,
        512, 512, 512, 512, 0, 512, 512, 512, 512, 0};

    private final List<Module> features = new ArrayList<>();
    private final Sequential classifier;
    private final int featureDim;

    /**
     * @param widthDivisor divides every channel count (≥ 1, dividing 64)
     * @param classes      number of output classes (10 for CIFAR-10)
     * @param rng          draws every initial weight and every dropout mask (kept and Modified)
     */
    public Vgg19(int widthDivisor, int classes, SplittableRandom rng) {
        if (widthDivisor < 1 || 64 % widthDivisor != 0) {
            throw new IllegalArgumentException("width divisor must divide 64, got " + widthDivisor);
        }
        int in = 3;
        for (int c : PLAN) {
            if (c == 0) {
                features.add(null);
            } else {
                int out = c / widthDivisor;
                features.add(new ConvBlock(in, out, rng));
                in = out;
            }
        }
        featureDim = in;
        Initializer small = new Initializer.Gaussian(0.01);
        classifier = new Sequential(List.of(
                Linear.create(in, in, true, small, rng), ActivationLayer.relu(), new DropoutLayer(0.5, rng.split()),
                Linear.create(in, in, true, small, rng), ActivationLayer.relu(), new DropoutLayer(0.5, rng.split()),
                Linear.create(in, classes, true, small, rng)));
    }

    /** Length of the feature vector: {@code 512 / widthDivisor}. */
    public int featureDim() {
        return featureDim;
    }

    /**
     * The flattened output of the last (16th) convolutional block after the final pool:
     * {@code N×3×32×32 → N×featureDim} (spec §2.5, "flattened output of the 16th conv layer").
     */
    public Variable features(Variable x, boolean training) {
        Tensor v = x.value();
        if (v.rank() != 4 || v.dim(1) != 3 || v.dim(2) != 32 || v.dim(3) != 32) {
            throw new IllegalArgumentException("VGG19 expects N×3×32×32 images, got " + v.shapeString());
        }
        Variable h = x;
        for (Module m : features) {
            h = m == null ? MaxPool2d.apply(h) : m.forward(h, training);
        }
        return Reshape.flatten(h);
    }

    /** Logits {@code N×classes}. */
    @Override
    public Variable forward(Variable x, boolean training) {
        return classifier.forward(features(x, training), training);
    }

    @Override
    public List<Variable> parameters() {
        List<Variable> out = new ArrayList<>();
        for (Module m : features) {
            if (m != null) {
                out.addAll(m.parameters());
            }
        }
        out.addAll(classifier.parameters());
        return out;
    }

    /** The batch-norm running statistics of every block, in order (for checkpoints). */
    public List<Tensor> buffers() {
        List<Tensor> out = new ArrayList<>();
        for (Module m : features) {
            if (m instanceof ConvBlock b) {
                out.addAll(b.buffers());
            }
        }
        return out;
    }
}
