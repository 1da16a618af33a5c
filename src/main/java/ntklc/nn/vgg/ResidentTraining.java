package ntklc.nn.vgg;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

import ntklc.activation.PointwiseOp;
import ntklc.autograd.BatchNorm;
import ntklc.autograd.Dropout;
import ntklc.autograd.Variable;
import ntklc.backend.Backend;
import ntklc.backend.DeviceTensor;
import ntklc.nn.Sgd;
import ntklc.tensor.Tensor;

/**
 * VGG training steps whose tensors stay resident on one {@link Backend}: the parameters, the SGD
 * velocities and the batch-norm running averages are uploaded once, every operation of a step
 * (forward, fused softmax cross-entropy, backward, SGD update) runs on the device, and per step only
 * the images, labels and dropout masks go up and the loss and logits come down. The same arithmetic
 * as {@link Vgg#logits} + {@link ntklc.autograd.SoftmaxCrossEntropy} + {@link Sgd#step}, written out
 * layer by layer instead of through the host-side autograd graph (whose primitives upload and
 * download their operands on every call); {@code ResidentTrainingTest} checks the two against each
 * other.
 *
 * <p>The network is held as typed parameter groups in the model's order: a {@link ConvBlock} or a
 * {@link MaxPool} per plan entry, then a {@link LinearLayer} per classifier layer. The forward pass
 * of each stage is one method ({@code convBlockForward}, {@code maxPoolForward},
 * {@code linearForward}, {@code reluDropoutForward}) that pushes its backward pass onto a tape, and
 * the backward pass pops the tape (last stage first), as an autograd graph would.
 *
 * <p>Backward, per layer (G = ∂L/∂output, shapes as in {@link Vgg}):
 * <pre>
 *   Linear z = a·Wᵀ + 1·bᵀ:   ∂W = Gᵀ·a,  ∂b = Gᵀ·1,  ∂a = G·W
 *   dropout d = r ∘ m:        ∂r = G ∘ m
 *   ReLU r = max(u, 0):       ∂u = 1[u &gt; 0] ∘ G
 *   batch norm, conv3×3, max-pool: the backend's backward passes
 * </pre>
 * The bias terms use matrix products with a column of ones, so no broadcast kernel is needed.
 *
 * <p>The host model is stale while steps run; {@link #download} copies the device state back into
 * it (parameters, velocities, running averages), e.g. before an evaluation or a checkpoint.
 */
public final class ResidentTraining implements AutoCloseable {
    /** What one step returns: the batch's mean loss and its logits {@code N×classes} (before the update). */
    public record Step(double loss, Tensor logits) {
    }

    /** One trained tensor on the device: its value, the gradient of the current step, its SGD velocity. */
    private record Parameter(DeviceTensor value, DeviceTensor gradient, DeviceTensor velocity) {
    }

    /** A stage of the convolutional body, in plan order. */
    private sealed interface Stage permits ConvBlock, MaxPool {
    }

    /**
     * conv3×3 → batch norm → ReLU: the convolution weight {@code K×C×3×3} (no bias), the batch-norm
     * scale γ and shift β (length K), and the running mean and variance (length K) for evaluation.
     */
    private record ConvBlock(Parameter weight, Parameter gamma, Parameter beta, DeviceTensor runningMean,
                             DeviceTensor runningVariance) implements Stage {
    }

    /** A 2×2/stride-2 max-pool (the "M" of the plan); no parameters. */
    private record MaxPool() implements Stage {
    }

    /** A classifier layer {@code z = a·Wᵀ + 1·bᵀ}: weight {@code W: out×in}, bias {@code b} of length {@code out}. */
    private record LinearLayer(Parameter weight, Parameter bias) {
    }

    /**
     * The backward pass of one forward stage: ∂L/∂input from ∂L/∂output ({@code g}), adding the
     * stage's parameter gradients; {@code inputGradient} is false for the first stage, whose input
     * (the images) needs no gradient.
     */
    @FunctionalInterface
    private interface Backward {
        DeviceTensor apply(DeviceTensor g, boolean inputGradient);
    }

    private final Vgg model;
    private final Sgd optimizer;
    private final Backend backend;
    /** The host parameters, in {@link Vgg#parameters()} order. */
    private final List<Variable> hostParameters;
    /** Their device copies, in the same order. */
    private final List<Parameter> parameters = new ArrayList<>();
    /** The running averages, in {@link Vgg#runningStatistics()} order. */
    private final List<DeviceTensor> running = new ArrayList<>();
    private final List<Stage> body = new ArrayList<>();
    private final List<LinearLayer> classifier = new ArrayList<>();
    private final List<DeviceTensor> stepTensors = new ArrayList<>();
    private boolean closed;

    /**
     * Uploads the model's parameters and running averages and the optimizer's velocities.
     *
     * @param model     the network (its tensors are Modified only by {@link #download})
     * @param optimizer supplies the velocities, momentum, weight decay and, at each step, the learning rate
     */
    public ResidentTraining(Vgg model, Sgd optimizer, Backend backend) {
        this.model = model;
        this.optimizer = optimizer;
        this.backend = backend;
        this.hostParameters = model.parameters();
        if (!hostParameters.equals(optimizer.parameters())) {
            throw new IllegalArgumentException("the optimizer does not train this model's parameters in its order");
        }
        for (int p = 0; p < hostParameters.size(); p++) {
            Tensor w = hostParameters.get(p).value();
            parameters.add(new Parameter(backend.upload(w), backend.zeros(w.shape()),
                    backend.upload(optimizer.velocity().get(p))));
        }
        for (Tensor t : model.runningStatistics()) {
            running.add(backend.upload(t));
        }
        // Vgg.parameters(): per conv block weight, γ, β; then per classifier layer weight, bias.
        // Vgg.runningStatistics(): per conv block mean, variance.
        Iterator<Parameter> nextParameter = parameters.iterator();
        Iterator<DeviceTensor> nextRunning = running.iterator();
        for (int k : model.architecture().plan()) {
            body.add(k == Vgg.POOL ? new MaxPool()
                    : new ConvBlock(nextParameter.next(), nextParameter.next(), nextParameter.next(),
                            nextRunning.next(), nextRunning.next()));
        }
        while (nextParameter.hasNext()) {
            classifier.add(new LinearLayer(nextParameter.next(), nextParameter.next()));
        }
    }

    private DeviceTensor temp(DeviceTensor t) {
        stepTensors.add(t);
        return t;
    }

    private DeviceTensor zeros(int... shape) {
        return temp(backend.zeros(shape));
    }

    /**
     * One training step: forward in training mode (batch statistics, running averages updated,
     * inverted dropout with the masks of {@link Dropout#mask} drawn from {@code dropout} in the order of
     * {@link Vgg#logits}),
     * loss, and — only when the loss is finite — backward and an SGD step at the optimizer's
     * current learning rate.
     *
     * @param images  {@code N×C_in×S×S}
     * @param labels  class indices, length {@code N}
     * @param dropout source of the dropout masks (Modified)
     */
    public Step step(Tensor images, int[] labels, SplittableRandom dropout) {
        if (closed) {
            throw new IllegalStateException("resident training was closed");
        }
        try {
            return runStep(images, labels, dropout);
        } finally {
            for (DeviceTensor t : stepTensors) {
                t.close();
            }
            stepTensors.clear();
        }
    }

    private Step runStep(Tensor images, int[] labels, SplittableRandom dropout) {
        int n = images.dim(0);
        if (labels.length != n) {
            throw new IllegalArgumentException(labels.length + " labels for " + n + " images");
        }
        Deque<Backward> tape = new ArrayDeque<>();
        DeviceTensor logits = forward(temp(backend.upload(images)), dropout, tape);
        DeviceTensor g = zeros(logits.shape());
        double loss = backend.softmaxCrossEntropy(logits, temp(backend.upload(labelValues(labels))), g);
        Tensor hostLogits = backend.download(logits);
        if (!Double.isFinite(loss)) {
            return new Step(loss, hostLogits);
        }
        while (!tape.isEmpty()) {
            g = tape.pop().apply(g, !tape.isEmpty());
        }
        update();
        return new Step(loss, hostLogits);
    }

    /** Logits {@code N×classes} of {@code images} in training mode; every stage pushes its backward pass onto {@code tape}. */
    private DeviceTensor forward(DeviceTensor images, SplittableRandom dropout, Deque<Backward> tape) {
        DeviceTensor h = images;
        for (Stage stage : body) {
            h = stage instanceof ConvBlock block ? convBlockForward(block, h, tape) : maxPoolForward(h, tape);
        }
        int n = h.dim(0);
        int[] bodyShape = h.shape();
        tape.push((g, inputGradient) -> temp(backend.reshape(g, bodyShape)));
        DeviceTensor ones = temp(backend.upload(Tensor.full(1f, n, 1)));
        h = temp(backend.reshape(h, n, h.size() / n));
        for (int i = 0; i < classifier.size(); i++) {
            h = linearForward(classifier.get(i), h, ones, tape);
            if (i < classifier.size() - 1) {
                h = reluDropoutForward(h, dropout, tape);
            }
        }
        return h;
    }

    /** conv3×3 → batch norm (batch statistics; running averages updated) → ReLU. */
    private DeviceTensor convBlockForward(ConvBlock b, DeviceTensor x, Deque<Backward> tape) {
        int n = x.dim(0);
        int height = x.dim(2);
        int width = x.dim(3);
        int k = b.weight().value().dim(0);
        DeviceTensor conv = zeros(n, k, height, width);
        backend.conv3x3Forward(x, b.weight().value(), conv);
        DeviceTensor normed = zeros(n, k, height, width);
        DeviceTensor mean = zeros(k);
        DeviceTensor invStd = zeros(k);
        backend.batchNormForward(conv, b.gamma().value(), b.beta().value(), BatchNorm.EPS, normed, mean, invStd);
        backend.batchNormRunningUpdate(mean, invStd, BatchNorm.EPS, (long) n * height * width, BatchNorm.MOMENTUM,
                b.runningMean(), b.runningVariance());
        DeviceTensor out = zeros(n, k, height, width);
        backend.pointwiseForward(PointwiseOp.RELU, normed, out);
        tape.push((g, inputGradient) -> convBlockBackward(b, x, conv, normed, mean, invStd, g, inputGradient));
        return out;
    }

    /** ∂L/∂x of a conv block, adding ∂L/∂W, ∂L/∂γ, ∂L/∂β; {@code null} without {@code inputGradient}. */
    private DeviceTensor convBlockBackward(ConvBlock b, DeviceTensor x, DeviceTensor conv, DeviceTensor normed,
                                           DeviceTensor mean, DeviceTensor invStd, DeviceTensor g,
                                           boolean inputGradient) {
        DeviceTensor dNormed = zeros(normed.shape());
        backend.pointwiseBackward(PointwiseOp.RELU, normed, g, dNormed);
        DeviceTensor dConv = zeros(conv.shape());
        backend.batchNormBackward(dNormed, conv, b.gamma().value(), mean, invStd, dConv, b.gamma().gradient(),
                b.beta().gradient());
        backend.conv3x3BackwardWeights(x, dConv, b.weight().gradient());
        if (!inputGradient) {
            return null;
        }
        DeviceTensor dx = zeros(x.shape());
        backend.conv3x3BackwardData(dConv, b.weight().value(), dx);
        return dx;
    }

    /** 2×2 max-pool; its backward routes each gradient to the window's maximum. */
    private DeviceTensor maxPoolForward(DeviceTensor x, Deque<Backward> tape) {
        int n = x.dim(0);
        int c = x.dim(1);
        DeviceTensor y = zeros(n, c, x.dim(2) / 2, x.dim(3) / 2);
        DeviceTensor window = zeros(y.shape());
        backend.maxPoolForward(x, y, window);
        tape.push((g, inputGradient) -> {
            DeviceTensor dx = zeros(x.shape());
            backend.maxPoolBackward(g, window, dx);
            return dx;
        });
        return y;
    }

    /** {@code z = a·Wᵀ + 1·bᵀ}; backward {@code ∂W = Gᵀ·a}, {@code ∂b = Gᵀ·1}, {@code ∂a = G·W}. */
    private DeviceTensor linearForward(LinearLayer layer, DeviceTensor a, DeviceTensor ones, Deque<Backward> tape) {
        DeviceTensor w = layer.weight().value();
        int out = w.dim(0);
        DeviceTensor z = zeros(a.dim(0), out);
        backend.gemm(false, true, a, w, z, false);
        backend.gemm(false, false, ones, temp(backend.reshape(layer.bias().value(), 1, out)), z, true);
        tape.push((g, inputGradient) -> {
            backend.gemm(true, false, g, a, layer.weight().gradient(), false);
            backend.gemm(true, false, ones, g, temp(backend.reshape(layer.bias().gradient(), 1, out)), false);
            DeviceTensor da = zeros(a.shape());
            backend.gemm(false, false, g, w, da, false);
            return da;
        });
        return z;
    }

    /** {@code d = relu(z) ∘ m} with an inverted-dropout mask m drawn now; backward {@code ∂z = 1[z > 0] ∘ (G ∘ m)}. */
    private DeviceTensor reluDropoutForward(DeviceTensor z, SplittableRandom dropout, Deque<Backward> tape) {
        DeviceTensor r = zeros(z.shape());
        backend.pointwiseForward(PointwiseOp.RELU, z, r);
        DeviceTensor mask = temp(backend.upload(Tensor.wrap(Dropout.mask(z.size(), Vgg.DROPOUT, dropout), z.shape())));
        DeviceTensor d = zeros(z.shape());
        backend.multiply(r, mask, d);
        tape.push((g, inputGradient) -> {
            backend.multiply(g, mask, g);
            DeviceTensor dz = zeros(g.shape());
            backend.pointwiseBackward(PointwiseOp.RELU, z, g, dz);
            return dz;
        });
        return d;
    }

    /** The labels as the float vector the fused loss reads. */
    private static Tensor labelValues(int[] labels) {
        Tensor values = Tensor.zeros(labels.length);
        for (int i = 0; i < labels.length; i++) {
            values.data()[i] = labels[i];
        }
        return values;
    }

    /** One SGD step with momentum and weight decay on every parameter, at the optimizer's current learning rate. */
    private void update() {
        float lr = (float) optimizer.learningRate();
        for (Parameter p : parameters) {
            backend.sgdStep(lr, optimizer.momentum(), optimizer.weightDecay(), p.gradient(), p.value(), p.velocity());
        }
    }

    /** Copies the device state into the host model and optimizer: parameters, velocities, running averages. */
    public void download() {
        for (int p = 0; p < parameters.size(); p++) {
            copy(backend.download(parameters.get(p).value()), hostParameters.get(p).value());
            copy(backend.download(parameters.get(p).velocity()), optimizer.velocity().get(p));
        }
        List<Tensor> hostRunning = model.runningStatistics();
        for (int i = 0; i < running.size(); i++) {
            copy(backend.download(running.get(i)), hostRunning.get(i));
        }
    }

    private static void copy(Tensor from, Tensor to) {
        System.arraycopy(from.data(), 0, to.data(), 0, to.size());
    }

    /** Releases the device tensors (the host model keeps what the last {@link #download} wrote). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Parameter p : parameters) {
            p.value().close();
            p.gradient().close();
            p.velocity().close();
        }
        running.forEach(DeviceTensor::close);
    }
}
