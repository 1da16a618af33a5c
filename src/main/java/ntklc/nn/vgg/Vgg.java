package ntklc.nn.vgg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import ntklc.activation.PointwiseOp;
import ntklc.autograd.BatchNorm;
import ntklc.autograd.BatchNormInference;
import ntklc.autograd.Convolution3x3;
import ntklc.autograd.Dropout;
import ntklc.autograd.MaxPool;
import ntklc.autograd.Pointwise;
import ntklc.autograd.Reshape;
import ntklc.autograd.Variable;
import ntklc.backend.Backend;
import ntklc.nn.Initializer;
import ntklc.nn.Linear;
import ntklc.tensor.Tensor;

/**
 * VGG19 with batch norm as the reference code builds it (docs/theory.md §1.4, {@code VGG('VGG19')}):
 * <pre>
 *   body:       [conv3×3 → BatchNorm → ReLU] blocks with the channel plan
 *               64,64,M,128,128,M,256,256,256,256,M,512,512,512,512,M,512,512,512,512,M
 *               (M = 2×2 max-pool, stride 2; 16 convolutions; 32×32 → 1×1)
 *   features:   the body's output flattened, N×512 (the 1×1 average pool of the reference is a no-op)
 *   classifier: Linear(512,512) → ReLU → Dropout(0.5) → Linear(512,512) → ReLU → Dropout(0.5) → Linear(512,10)
 * </pre>
 * With width divisor {@code q} every channel count and both classifier widths are divided by
 * {@code q} (docs/theory.md §8.5 R8: {@code q = 4} for a 2-core CPU), so the features are {@code 512/q}-dimensional.
 *
 * <p>Initialisation (docs/theory.md §1.4, PyTorch's {@code kaiming_normal_(mode='fan_out', nonlinearity='relu')}):
 * conv weights {@code N(0, 2/(K·9))} with {@code K} output channels; BatchNorm {@code γ = 1, β = 0};
 * Linear weights {@code N(0, 0.01²)}, biases 0.
 *
 * <p>NOTE: the convolutions have no bias. The reference's do, but each is followed by batch norm,
 * which subtracts the per-channel mean, so a convolution bias cancels exactly in training mode and is
 * absorbed by the running mean in evaluation mode: the same function class, {@code Σ K} fewer
 * parameters (the only difference is that weight decay no longer acts on those biases).
 *
 * <p>Shapes: images {@code N×C_in×S×S}; logits {@code N×classes}.
 */
public final class Vgg {
    /** The "M" of a channel plan: a 2×2/stride-2 max-pool. */
    public static final int POOL = 0;
    /** The VGG19 channel plan of docs/theory.md §1.4. */
    public static final int[] VGG19_PLAN = {64, 64, POOL, 128, 128, POOL, 256, 256, 256, 256, POOL,
        512, 512, 512, 512, POOL, 512, 512, 512, 512, POOL};
    /** Width of the two hidden classifier layers of docs/theory.md §1.4. */
    public static final int VGG19_CLASSIFIER = 512;
    /** Dropout rate of the classifier (docs/theory.md §1.4). */
    public static final double DROPOUT = 0.5;
    /** Standard deviation of the Linear weights (docs/theory.md §1.4). */
    public static final double LINEAR_STD = 0.01;

    /**
     * The shape of a VGG-style network.
     *
     * @param plan            output channels of each convolution, {@link #POOL} for a max-pool
     * @param inChannels      {@code C_in} of the images (3 for CIFAR-10)
     * @param imageSize       {@code S} of the {@code S×S} images (32 for CIFAR-10)
     * @param classifierWidth width of the two hidden classifier layers
     * @param classes         number of classes (10 for CIFAR-10)
     */
    public record Architecture(int[] plan, int inChannels, int imageSize, int classifierWidth, int classes) {
        public Architecture {
            plan = plan.clone();
            int size = imageSize;
            boolean anyConv = false;
            for (int v : plan) {
                if (v == POOL) {
                    if (size < 2) {
                        throw new IllegalArgumentException("plan " + Arrays.toString(plan) + " pools a "
                                + imageSize + "×" + imageSize + " image below 1×1");
                    }
                    size /= 2;
                } else if (v < 0) {
                    throw new IllegalArgumentException("negative channel count in plan " + Arrays.toString(plan));
                } else {
                    anyConv = true;
                }
            }
            if (!anyConv || inChannels < 1 || classifierWidth < 1 || classes < 2) {
                throw new IllegalArgumentException("architecture needs a convolution, C_in ≥ 1, a classifier width ≥ 1"
                        + " and ≥ 2 classes");
            }
        }

        /**
         * VGG19 for CIFAR-10 with every channel count and classifier width divided by {@code q}.
         *
         * @throws IllegalArgumentException unless {@code q} divides 64 (so every width stays whole)
         */
        public static Architecture vgg19(int q) {
            if (q < 1 || 64 % q != 0) {
                throw new IllegalArgumentException("width divisor must divide 64 (1, 2, 4, …, 64), got " + q);
            }
            int[] plan = VGG19_PLAN.clone();
            for (int i = 0; i < plan.length; i++) {
                plan[i] /= q;
            }
            return new Architecture(plan, 3, 32, VGG19_CLASSIFIER / q, 10);
        }

        @Override
        public int[] plan() {
            return plan.clone();
        }

        /** Side of the body's output images: {@code S / 2^(number of pools)}. */
        public int outputSize() {
            int size = imageSize;
            for (int v : plan) {
                if (v == POOL) {
                    size /= 2;
                }
            }
            return size;
        }

        /** Channels of the last convolution. */
        public int outputChannels() {
            int c = inChannels;
            for (int v : plan) {
                if (v != POOL) {
                    c = v;
                }
            }
            return c;
        }

        /** Dimension of the flattened features: channels × outputSize² (512/q for VGG19). */
        public int featureDim() {
            return outputChannels() * outputSize() * outputSize();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Architecture a && Arrays.equals(plan, a.plan) && inChannels == a.inChannels
                    && imageSize == a.imageSize && classifierWidth == a.classifierWidth && classes == a.classes;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(plan) * 31 + inChannels + 7 * imageSize + 11 * classifierWidth + 13 * classes;
        }

        @Override
        public String toString() {
            return "Architecture[plan=" + Arrays.toString(plan) + ", C_in=" + inChannels + ", S=" + imageSize
                    + ", classifier=" + classifierWidth + ", classes=" + classes + "]";
        }
    }

    /** One conv3×3 → BatchNorm → ReLU block: filters {@code K×C×3×3}, {@code γ, β} and running statistics of length {@code K}. */
    private record Block(Variable weight, Variable gamma, Variable beta, BatchNorm.Running running) {
    }

    private final Architecture architecture;
    /** One entry per plan entry: a {@link Block}, or {@code null} for a max-pool. */
    private final List<Block> body;
    private final List<Linear> classifier;

    private Vgg(Architecture architecture, List<Block> body, List<Linear> classifier) {
        this.architecture = architecture;
        this.body = body;
        this.classifier = classifier;
    }

    /**
     * A freshly initialised network (initialisation laws in the class comment).
     *
     * @param rng draws every weight, in plan order then classifier order (Modified)
     */
    public static Vgg create(Architecture a, SplittableRandom rng) {
        return create(a, LINEAR_STD, rng);
    }

    /**
     * {@link #create(Architecture, SplittableRandom)} with Linear weights {@code N(0, linearStd²)}.
     *
     * <p>NOTE: the reference code's {@code σ = 0.01} (docs/theory.md §1.4) is tuned for the full width: each classifier layer scales
     * the signal by about {@code σ·√d_in} (0.23 at {@code d_in = 512}), so the logits start near
     * {@code 1e−2} and the body's gradients pass three such factors. With width divisor {@code q}
     * every {@code d_in} shrinks by {@code q} and the start is slower still (measured: VGG19/8 on 5 000
     * CIFAR-10 images stayed at loss 2.30 for two epochs). {@code σ = 0.01·√q} restores the full
     * network's gain per layer; {@code train-vgg --linear-std} chooses.
     */
    public static Vgg create(Architecture a, double linearStd, SplittableRandom rng) {
        List<Block> body = new ArrayList<>();
        int c = a.inChannels();
        for (int k : a.plan) {
            if (k == POOL) {
                body.add(null);
                continue;
            }
            Tensor w = Tensor.zeros(k, c, 3, 3);
            double std = Math.sqrt(2.0 / (k * 9));
            for (int i = 0; i < w.size(); i++) {
                w.data()[i] = (float) (std * rng.nextGaussian());
            }
            body.add(new Block(Variable.parameter(w), Variable.parameter(Tensor.full(1f, k)),
                    Variable.parameter(Tensor.zeros(k)), BatchNorm.Running.fresh(k)));
            c = k;
        }
        Initializer init = new Initializer.Gaussian(linearStd);
        int h = a.classifierWidth();
        List<Linear> classifier = List.of(Linear.create(a.featureDim(), h, true, init, rng),
                Linear.create(h, h, true, init, rng), Linear.create(h, a.classes(), true, init, rng));
        return new Vgg(a, body, classifier);
    }

    public Architecture architecture() {
        return architecture;
    }

    /**
     * The body's output, flattened: {@code N×featureDim}. In training mode ({@code training}) batch
     * norm uses the batch statistics and updates its running averages; otherwise it uses them.
     *
     * <p>For VGG19 this is the output of the 16th convolution after its BatchNorm and ReLU and the
     * fifth max-pool, {@code N×(512/q)×1×1}, flattened: the features of docs/theory.md §1.4.
     *
     * @param images {@code N×C_in×S×S}
     */
    public Variable body(Variable images, Backend backend, boolean training) {
        Tensor x = images.value();
        x.requireRank(4);
        if (x.dim(1) != architecture.inChannels() || x.dim(2) != architecture.imageSize()
                || x.dim(3) != architecture.imageSize()) {
            throw new IllegalArgumentException("VGG for " + architecture.inChannels() + "×" + architecture.imageSize()
                    + "×" + architecture.imageSize() + " images given a batch of shape " + x.shapeString());
        }
        Variable h = images;
        for (Block b : body) {
            if (b == null) {
                h = MaxPool.apply(h, backend);
                continue;
            }
            h = Convolution3x3.apply(h, b.weight(), backend);
            h = training ? BatchNorm.apply(h, b.gamma(), b.beta(), backend, b.running())
                    : BatchNormInference.apply(h, b.gamma(), b.beta(), b.running());
            h = Pointwise.apply(h, PointwiseOp.RELU);
        }
        return Reshape.flatten(h);
    }

    /**
     * Logits {@code N×classes}. Training mode when {@code dropout} is given (batch statistics,
     * running averages updated, dropout masks drawn from it); evaluation mode when it is {@code null}.
     *
     * @param dropout source of the dropout masks (Modified), or {@code null} to evaluate
     */
    public Variable logits(Variable images, Backend backend, SplittableRandom dropout) {
        boolean training = dropout != null;
        Variable h = body(images, backend, training);
        for (int i = 0; i < classifier.size(); i++) {
            h = classifier.get(i).forward(h, training);
            if (i < classifier.size() - 1) {
                h = Pointwise.apply(h, PointwiseOp.RELU);
                if (training) {
                    h = Dropout.apply(h, DROPOUT, dropout);
                }
            }
        }
        return h;
    }

    /** The features of docs/theory.md §1.4 in evaluation mode: {@code body(images, backend, false)}. */
    public Variable features(Variable images, Backend backend) {
        return body(images, backend, false);
    }

    /**
     * The trainable parameters in a fixed order: per block filters, {@code γ}, {@code β}; then
     * per classifier layer weight and bias.
     */
    public List<Variable> parameters() {
        List<Variable> out = new ArrayList<>();
        for (Block b : body) {
            if (b != null) {
                out.addAll(List.of(b.weight(), b.gamma(), b.beta()));
            }
        }
        for (Linear l : classifier) {
            out.addAll(l.parameters());
        }
        return out;
    }

    /** The batch-norm running averages (Modified by training), per block mean then variance. */
    public List<Tensor> runningStatistics() {
        List<Tensor> out = new ArrayList<>();
        for (Block b : body) {
            if (b != null) {
                out.add(b.running().mean());
                out.add(b.running().variance());
            }
        }
        return out;
    }

    /** Number of trainable scalars. */
    public long parameterCount() {
        long n = 0;
        for (Variable v : parameters()) {
            n += v.value().size();
        }
        return n;
    }
}
