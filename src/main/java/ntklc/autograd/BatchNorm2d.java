package ntklc.autograd;

import ntklc.tensor.Tensor;

/**
 * Batch normalisation in training mode over {@code N×H×W} per channel (Ioffe &amp; Szegedy 2015,
 * Algorithm 1; VGG19's BatchNorm, spec §2.5): {@code y = γ_c·(x − μ_c)/√(σ²_c + ε) + β_c} with the
 * batch mean and biased variance of channel {@code c}. {@code x: N×C×H×W}, {@code γ, β}: length
 * {@code C}. Computed by {@link ntklc.backend.cpu.BatchNorm2d}, whose Javadoc writes the backward
 * formulas; the batch statistics are kept for the backward pass and exposed for the running
 * averages that evaluation mode uses.
 */
public final class BatchNorm2d extends Primitive {
    private final Variable x;
    private final Variable gamma;
    private final Variable beta;
    private final Tensor mean;
    private final Tensor invStd;

    private BatchNorm2d(Variable x, Variable gamma, Variable beta, Tensor mean, Tensor invStd) {
        super(x, gamma, beta);
        this.x = x;
        this.gamma = gamma;
        this.beta = beta;
        this.mean = mean;
        this.invStd = invStd;
    }

    /** Training-mode batch norm of {@code x} with {@code ε = eps}. */
    public static Variable apply(Variable x, Variable gamma, Variable beta, float eps) {
        ntklc.backend.cpu.BatchNorm2d.Forward f =
                ntklc.backend.cpu.BatchNorm2d.forward(x.value(), gamma.value(), beta.value(), eps);
        return new BatchNorm2d(x, gamma, beta, f.mean(), f.invStd()).output(f.y());
    }

    @Override
    protected void backward(Tensor g) {
        ntklc.backend.cpu.BatchNorm2d.Backward b =
                ntklc.backend.cpu.BatchNorm2d.backward(g, x.value(), gamma.value(), mean, invStd);
        x.accumulate(b.dx());
        gamma.accumulate(b.dGamma());
        beta.accumulate(b.dBeta());
    }
}
