package ntklc.nn.vgg;

import java.util.List;
import java.util.SplittableRandom;

import ntklc.autograd.BatchNorm2d;
import ntklc.autograd.Conv2d;
import ntklc.autograd.Variable;
import ntklc.nn.Module;
import ntklc.tensor.Tensor;

/**
 * One VGG block "conv3×3 (pad 1) → BatchNorm → ReLU" of spec §2.5, {@code N×C×H×W → N×K×H×W}.
 *
 * <p>Initialisation as in the reference code: conv weights Kaiming-normal with fan-out and the
 * ReLU gain, {@code w ~ N(0, 2/(9K))}; BatchNorm {@code γ = 1}, {@code β = 0}. The convolution has
 * no bias: the batch norm that follows subtracts the channel mean, which cancels any bias exactly.
 * Evaluation uses running averages of the batch statistics (momentum {@link #MOMENTUM}, unbiased
 * variance, as PyTorch's BatchNorm2d); they are updated by every training forward pass.
 */
public final class ConvBlock implements Module {
    /** BatchNorm ε (PyTorch's default). */
    public static final float EPS = 1e-5f;
    /** Weight of the newest batch in the running statistics (PyTorch's default). */
    public static final float MOMENTUM = 0.1f;

    private final Variable weight;
    private final Variable gamma;
    private final Variable beta;
    private final Tensor runningMean;
    private final Tensor runningVar;

    /** A block {@code in → out} channels with weights drawn from {@code rng} (Modified). */
    public ConvBlock(int in, int out, SplittableRandom rng) {
        Tensor w = Tensor.zeros(out, in, 3, 3);
        double std = Math.sqrt(2.0 / (9.0 * out));
        for (int i = 0; i < w.size(); i++) {
            w.data()[i] = (float) (std * rng.nextGaussian());
        }
        weight = Variable.parameter(w);
        gamma = Variable.parameter(Tensor.full(1f, out));
        beta = Variable.parameter(Tensor.zeros(out));
        runningMean = Tensor.zeros(out);
        runningVar = Tensor.full(1f, out);
    }

    @Override
    public Variable forward(Variable x, boolean training) {
        Variable y = Conv2d.apply(x, weight);
        if (training) {
            Variable z = BatchNorm2d.apply(y, gamma, beta, EPS);
            updateRunningStatistics(y.value());
            return z.relu();
        }
        return Variable.constant(evalNormReLU(y.value()));
    }

    /** Running mean and unbiased variance, {@code r ← (1 − m)·r + m·batch}. */
    private void updateRunningStatistics(Tensor y) {
        int n = y.dim(0);
        int c = y.dim(1);
        int hw = y.dim(2) * y.dim(3);
        double count = (double) n * hw;
        for (int ch = 0; ch < c; ch++) {
            double s = 0;
            double ss = 0;
            for (int img = 0; img < n; img++) {
                int base = (img * c + ch) * hw;
                for (int i = 0; i < hw; i++) {
                    double v = y.data()[base + i];
                    s += v;
                    ss += v * v;
                }
            }
            double mean = s / count;
            double var = count > 1 ? (ss - count * mean * mean) / (count - 1) : 0;
            runningMean.data()[ch] = (float) ((1 - MOMENTUM) * runningMean.data()[ch] + MOMENTUM * mean);
            runningVar.data()[ch] = (float) ((1 - MOMENTUM) * runningVar.data()[ch] + MOMENTUM * var);
        }
    }

    /** Evaluation mode: {@code relu(γ·(y − running mean)/√(running var + ε) + β)}, no graph. */
    private Tensor evalNormReLU(Tensor y) {
        int n = y.dim(0);
        int c = y.dim(1);
        int hw = y.dim(2) * y.dim(3);
        Tensor out = Tensor.zeros(y.shape());
        for (int ch = 0; ch < c; ch++) {
            float scale = (float) (gamma.value().data()[ch] / Math.sqrt(runningVar.data()[ch] + EPS));
            float shift = beta.value().data()[ch] - scale * runningMean.data()[ch];
            for (int img = 0; img < n; img++) {
                int base = (img * c + ch) * hw;
                for (int i = 0; i < hw; i++) {
                    out.data()[base + i] = Math.max(0f, scale * y.data()[base + i] + shift);
                }
            }
        }
        return out;
    }

    @Override
    public List<Variable> parameters() {
        return List.of(weight, gamma, beta);
    }

    /** Running mean and variance (Modified by training passes), for checkpoints. */
    public List<Tensor> buffers() {
        return List.of(runningMean, runningVar);
    }
}
