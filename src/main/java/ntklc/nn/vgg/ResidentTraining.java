package ntklc.nn.vgg;

import java.util.ArrayList;
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

    /** A conv → batch norm → ReLU block's device tensors: parameters, their gradients and velocities, running averages. */
    private record Block(int index, DeviceTensor w, DeviceTensor gamma, DeviceTensor beta,
                         DeviceTensor runningMean, DeviceTensor runningVariance) {
    }

    /** What the backward pass of a conv block needs from the forward pass. */
    private record BlockCache(Block block, DeviceTensor input, DeviceTensor conv, DeviceTensor normed,
                              DeviceTensor mean, DeviceTensor invStd) {
    }

    /** What the backward pass of a max-pool needs. */
    private record PoolCache(DeviceTensor input, DeviceTensor window) {
    }

    private final Vgg model;
    private final Sgd optimizer;
    private final Backend backend;
    private final List<Variable> parameters;
    private final List<DeviceTensor> weights = new ArrayList<>();
    private final List<DeviceTensor> gradients = new ArrayList<>();
    private final List<DeviceTensor> velocities = new ArrayList<>();
    private final List<DeviceTensor> running = new ArrayList<>();
    /** One entry per plan entry, {@code null} for a max-pool. */
    private final List<Block> body = new ArrayList<>();
    /** Parameter index of each classifier layer's weight (its bias follows). */
    private final int[] classifier;
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
        this.parameters = model.parameters();
        if (!parameters.equals(optimizer.parameters())) {
            throw new IllegalArgumentException("the optimizer does not train this model's parameters in its order");
        }
        for (int p = 0; p < parameters.size(); p++) {
            Tensor w = parameters.get(p).value();
            weights.add(backend.upload(w));
            gradients.add(backend.zeros(w.shape()));
            velocities.add(backend.upload(optimizer.velocity().get(p)));
        }
        for (Tensor t : model.runningStatistics()) {
            running.add(backend.upload(t));
        }
        int p = 0;
        int r = 0;
        for (int k : model.architecture().plan()) {
            if (k == Vgg.POOL) {
                body.add(null);
                continue;
            }
            body.add(new Block(p, weights.get(p), weights.get(p + 1), weights.get(p + 2), running.get(r),
                    running.get(r + 1)));
            p += 3;
            r += 2;
        }
        classifier = new int[(parameters.size() - p) / 2];
        for (int i = 0; i < classifier.length; i++) {
            classifier[i] = p + 2 * i;
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
        // ---- forward: body
        DeviceTensor h = temp(backend.upload(images));
        List<Object> caches = new ArrayList<>();
        for (Block b : body) {
            int c = h.dim(1);
            int height = h.dim(2);
            int width = h.dim(3);
            if (b == null) {
                DeviceTensor y = zeros(n, c, height / 2, width / 2);
                DeviceTensor window = zeros(n, c, height / 2, width / 2);
                backend.maxPoolForward(h, y, window);
                caches.add(new PoolCache(h, window));
                h = y;
                continue;
            }
            int k = b.w().dim(0);
            DeviceTensor conv = zeros(n, k, height, width);
            backend.conv3x3Forward(h, b.w(), conv);
            DeviceTensor normed = zeros(n, k, height, width);
            DeviceTensor mean = zeros(k);
            DeviceTensor invStd = zeros(k);
            backend.batchNormForward(conv, b.gamma(), b.beta(), BatchNorm.EPS, normed, mean, invStd);
            backend.batchNormRunningUpdate(mean, invStd, BatchNorm.EPS, (long) n * height * width, BatchNorm.MOMENTUM,
                    b.runningMean(), b.runningVariance());
            DeviceTensor out = zeros(n, k, height, width);
            backend.pointwiseForward(PointwiseOp.RELU, normed, out);
            caches.add(new BlockCache(b, h, conv, normed, mean, invStd));
            h = out;
        }
        int[] bodyShape = h.shape();
        // ---- forward: classifier
        DeviceTensor ones = temp(backend.upload(Tensor.full(1f, n, 1)));
        int layers = classifier.length;
        DeviceTensor[] inputs = new DeviceTensor[layers];
        DeviceTensor[] preActivations = new DeviceTensor[layers];
        DeviceTensor[] masks = new DeviceTensor[layers];
        DeviceTensor a = temp(backend.reshape(h, n, h.size() / n));
        for (int i = 0; i < layers; i++) {
            inputs[i] = a;
            DeviceTensor w = weights.get(classifier[i]);
            DeviceTensor z = zeros(n, w.dim(0));
            backend.gemm(false, true, a, w, z, false);
            backend.gemm(false, false, ones, temp(backend.reshape(weights.get(classifier[i] + 1), 1, w.dim(0))), z, true);
            preActivations[i] = z;
            if (i < layers - 1) {
                DeviceTensor r = zeros(z.shape());
                backend.pointwiseForward(PointwiseOp.RELU, z, r);
                masks[i] = temp(backend.upload(Tensor.wrap(Dropout.mask(z.size(), Vgg.DROPOUT, dropout), z.shape())));
                DeviceTensor d = zeros(z.shape());
                backend.multiply(r, masks[i], d);
                a = d;
            }
        }
        DeviceTensor logits = preActivations[layers - 1];
        // ---- loss
        Tensor labelValues = Tensor.zeros(n);
        for (int i = 0; i < n; i++) {
            labelValues.data()[i] = labels[i];
        }
        DeviceTensor g = zeros(logits.shape());
        double loss = backend.softmaxCrossEntropy(logits, temp(backend.upload(labelValues)), g);
        Tensor hostLogits = backend.download(logits);
        if (!Double.isFinite(loss)) {
            return new Step(loss, hostLogits);
        }
        // ---- backward: classifier
        for (int i = layers - 1; i >= 0; i--) {
            int p = classifier[i];
            DeviceTensor w = weights.get(p);
            backend.gemm(true, false, g, inputs[i], gradients.get(p), false);
            backend.gemm(true, false, ones, g, temp(backend.reshape(gradients.get(p + 1), 1, w.dim(0))), false);
            DeviceTensor da = zeros(inputs[i].shape());
            backend.gemm(false, false, g, w, da, false);
            if (i > 0) {
                backend.multiply(da, masks[i - 1], da);
                DeviceTensor dz = zeros(da.shape());
                backend.pointwiseBackward(PointwiseOp.RELU, preActivations[i - 1], da, dz);
                g = dz;
            } else {
                g = temp(backend.reshape(da, bodyShape));
            }
        }
        // ---- backward: body
        for (int j = caches.size() - 1; j >= 0; j--) {
            if (caches.get(j) instanceof PoolCache pc) {
                DeviceTensor dx = zeros(pc.input().shape());
                backend.maxPoolBackward(g, pc.window(), dx);
                g = dx;
                continue;
            }
            BlockCache bc = (BlockCache) caches.get(j);
            Block b = bc.block();
            DeviceTensor dNormed = zeros(bc.normed().shape());
            backend.pointwiseBackward(PointwiseOp.RELU, bc.normed(), g, dNormed);
            DeviceTensor dConv = zeros(bc.conv().shape());
            backend.batchNormBackward(dNormed, bc.conv(), b.gamma(), bc.mean(), bc.invStd(), dConv,
                    gradients.get(b.index() + 1), gradients.get(b.index() + 2));
            backend.conv3x3BackwardWeights(bc.input(), dConv, gradients.get(b.index()));
            if (j > 0) {
                DeviceTensor dx = zeros(bc.input().shape());
                backend.conv3x3BackwardData(dConv, b.w(), dx);
                g = dx;
            }
        }
        // ---- update
        float lr = (float) optimizer.learningRate();
        for (int p = 0; p < weights.size(); p++) {
            backend.sgdStep(lr, optimizer.momentum(), optimizer.weightDecay(), gradients.get(p), weights.get(p),
                    velocities.get(p));
        }
        return new Step(loss, hostLogits);
    }

    /** Copies the device state into the host model and optimizer: parameters, velocities, running averages. */
    public void download() {
        for (int p = 0; p < parameters.size(); p++) {
            copy(backend.download(weights.get(p)), parameters.get(p).value());
            copy(backend.download(velocities.get(p)), optimizer.velocity().get(p));
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
        for (List<DeviceTensor> list : List.of(weights, gradients, velocities, running)) {
            list.forEach(DeviceTensor::close);
        }
    }
}
