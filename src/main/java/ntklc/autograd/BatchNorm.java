package ntklc.autograd;

import ntklc.backend.Backend;
import ntklc.backend.DeviceTensor;
import ntklc.backend.cpu.BatchNorm2d;
import ntklc.tensor.Tensor;

/**
 * Batch normalisation in training mode, per channel over {@code N×H×W} (Ioffe &amp; Szegedy 2015,
 * Algorithm 1): the BatchNorm after every VGG19 convolution (docs/theory.md §1.4). The arithmetic is the
 * backend's ({@link Backend#batchNormForward}, {@link Backend#batchNormBackward}; CPU reference
 * {@link ntklc.backend.cpu.BatchNorm2d}, which writes the backward formula).
 *
 * <p>Shapes: {@code x, y: N×C×H×W}; {@code γ, β}: length {@code C}. With {@code M = N·H·W},
 * <pre>
 *   μ_c = (1/M) Σ x,   σ²_c = (1/M) Σ (x − μ_c)²,   y = γ_c·(x − μ_c)/√(σ²_c + ε) + β_c
 * </pre>
 * The batch statistics depend on {@code x}, and the backward pass differentiates through them.
 *
 * <p>Running statistics for evaluation ({@link BatchNormInference}), as PyTorch keeps them: with
 * momentum {@code m} (PyTorch's default 0.1), {@code mean ← (1−m)·mean + m·μ} and
 * {@code var ← (1−m)·var + m·σ²·M/(M−1)} (the unbiased batch variance).
 */
public final class BatchNorm extends Primitive {
    /** {@code ε} of PyTorch's {@code BatchNorm2d}. */
    public static final float EPS = 1e-5f;
    /** Momentum of the running averages, PyTorch's default. */
    public static final float MOMENTUM = 0.1f;

    /**
     * The running averages of one layer, updated (Modified) by every training-mode forward pass.
     *
     * @param mean     length {@code C}, starts at 0
     * @param variance length {@code C}, starts at 1
     * @param momentum {@code m} in {@code (0, 1]}
     */
    public record Running(Tensor mean, Tensor variance, float momentum) {
        /** Fresh statistics for {@code c} channels: mean 0, variance 1 (PyTorch's start). */
        public static Running fresh(int c) {
            return new Running(Tensor.zeros(c), Tensor.full(1f, c), MOMENTUM);
        }
    }

    private final Variable x;
    private final Variable gamma;
    private final Variable beta;
    private final Backend backend;
    private final Tensor mean;
    private final Tensor invStd;

    private BatchNorm(Variable x, Variable gamma, Variable beta, Backend backend, Tensor mean, Tensor invStd) {
        super(x, gamma, beta);
        this.x = x;
        this.gamma = gamma;
        this.beta = beta;
        this.backend = backend;
        this.mean = mean;
        this.invStd = invStd;
    }

    /**
     * @param x       {@code N×C×H×W} with {@code N·H·W ≥ 2}
     * @param gamma   scale {@code γ}, length {@code C}
     * @param beta    shift {@code β}, length {@code C}
     * @param running running averages to update (Modified), or {@code null} to keep none
     */
    public static Variable apply(Variable x, Variable gamma, Variable beta, Backend backend, Running running) {
        Tensor xv = x.value();
        xv.requireRank(4);
        int c = xv.dim(1);
        long m = (long) xv.dim(0) * xv.dim(2) * xv.dim(3);
        if (gamma.value().size() != c || beta.value().size() != c) {
            throw new IllegalArgumentException("batch norm of " + c + " channels given γ " + gamma.value().shapeString()
                    + " and β " + beta.value().shapeString());
        }
        if (m < 2) {
            throw new IllegalArgumentException("batch norm needs at least 2 values per channel, got " + xv.shapeString());
        }
        Tensor y;
        Tensor mean;
        Tensor invStd;
        try (DeviceTensor dx = backend.upload(xv);
             DeviceTensor dg = backend.upload(gamma.value());
             DeviceTensor db = backend.upload(beta.value());
             DeviceTensor dy = backend.zeros(xv.shape());
             DeviceTensor dm = backend.zeros(c);
             DeviceTensor ds = backend.zeros(c)) {
            backend.batchNormForward(dx, dg, db, EPS, dy, dm, ds);
            y = backend.download(dy);
            mean = backend.download(dm);
            invStd = backend.download(ds);
        }
        if (running != null) {
            BatchNorm2d.runningUpdate(mean, invStd, EPS, m, running.momentum(), running.mean(), running.variance());
        }
        return new BatchNorm(x, gamma, beta, backend, mean, invStd).output(y);
    }

    @Override
    protected void backward(Tensor g) {
        int c = gamma.value().size();
        try (DeviceTensor dgy = backend.upload(g);
             DeviceTensor dx = backend.upload(x.value());
             DeviceTensor dgamma = backend.upload(gamma.value());
             DeviceTensor dm = backend.upload(mean);
             DeviceTensor ds = backend.upload(invStd);
             DeviceTensor gx = backend.zeros(x.value().shape());
             DeviceTensor gg = backend.zeros(c);
             DeviceTensor gb = backend.zeros(c)) {
            backend.batchNormBackward(dgy, dx, dgamma, dm, ds, gx, gg, gb);
            x.accumulate(backend.download(gx));
            gamma.accumulate(backend.download(gg));
            beta.accumulate(backend.download(gb));
        }
    }
}
