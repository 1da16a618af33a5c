package ntklc.backend.cpu;

import ntklc.tensor.Parallel;
import ntklc.tensor.Tensor;

/**
 * Batch normalisation over {@code N×H×W} per channel, training mode (Ioffe &amp; Szegedy 2015,
 * Algorithm 1; the BatchNorm of VGG19, docs/theory.md §1.4): the CPU reference for {@code kernels/batch_norm.cl}.
 *
 * <p>Shapes: {@code x, y, dy, dx: N×C×H×W}; {@code γ, β, mean, invStd, dγ, dβ}: length {@code C}.
 * With {@code M = N·H·W}:
 * <pre>
 *   μ_c = (1/M) Σ x,   σ²_c = (1/M) Σ (x − μ_c)²  (biased),   invStd_c = 1/√(σ²_c + ε)
 *   x̂ = (x − μ_c)·invStd_c,   y = γ_c·x̂ + β_c
 *   dβ_c = Σ dy,   dγ_c = Σ dy·x̂,   dx = (γ_c·invStd_c / M)·(M·dy − dβ_c − x̂·dγ_c)
 * </pre>
 * Sums are accumulated in double. Running statistics for evaluation are the caller's business
 * (they are exponential averages of {@code mean} and the unbiased variance).
 */
public final class BatchNorm2d {
    private BatchNorm2d() {
    }

    /** Forward result: output and the per-channel statistics the backward pass needs. */
    public record Forward(Tensor y, Tensor mean, Tensor invStd) {
    }

    /** Backward result: input gradient and parameter gradients. */
    public record Backward(Tensor dx, Tensor dGamma, Tensor dBeta) {
    }

    /** Forward pass in training mode; inputs not modified. */
    public static Forward forward(Tensor x, Tensor gamma, Tensor beta, float eps) {
        x.requireRank(4);
        int n = x.dim(0);
        int c = x.dim(1);
        int hw = x.dim(2) * x.dim(3);
        checkParam(gamma, c, "gamma");
        checkParam(beta, c, "beta");
        Tensor y = Tensor.zeros(x.shape());
        Tensor mean = Tensor.zeros(c);
        Tensor invStd = Tensor.zeros(c);
        float[] xs = x.data();
        float[] ys = y.data();
        Parallel.forRange(c, 1, (c0, c1) -> {
            for (int ch = c0; ch < c1; ch++) {
                double s = 0;
                for (int img = 0; img < n; img++) {
                    int base = (img * c + ch) * hw;
                    for (int i = 0; i < hw; i++) {
                        s += xs[base + i];
                    }
                }
                double mu = s / ((double) n * hw);
                double ss = 0;
                for (int img = 0; img < n; img++) {
                    int base = (img * c + ch) * hw;
                    for (int i = 0; i < hw; i++) {
                        double d = xs[base + i] - mu;
                        ss += d * d;
                    }
                }
                double inv = 1.0 / Math.sqrt(ss / ((double) n * hw) + eps);
                mean.data()[ch] = (float) mu;
                invStd.data()[ch] = (float) inv;
                float scale = (float) (gamma.data()[ch] * inv);
                float shift = (float) (beta.data()[ch] - mu * gamma.data()[ch] * inv);
                for (int img = 0; img < n; img++) {
                    int base = (img * c + ch) * hw;
                    for (int i = 0; i < hw; i++) {
                        ys[base + i] = xs[base + i] * scale + shift;
                    }
                }
            }
        });
        return new Forward(y, mean, invStd);
    }

    /** Backward pass from the forward input and statistics; inputs not modified. */
    public static Backward backward(Tensor dy, Tensor x, Tensor gamma, Tensor mean, Tensor invStd) {
        Tensor.requireSameShape(dy, x, "batchnorm backward");
        int n = x.dim(0);
        int c = x.dim(1);
        int hw = x.dim(2) * x.dim(3);
        double m = (double) n * hw;
        Tensor dx = Tensor.zeros(x.shape());
        Tensor dGamma = Tensor.zeros(c);
        Tensor dBeta = Tensor.zeros(c);
        float[] xs = x.data();
        float[] ds = dy.data();
        float[] out = dx.data();
        Parallel.forRange(c, 1, (c0, c1) -> {
            for (int ch = c0; ch < c1; ch++) {
                double mu = mean.data()[ch];
                double inv = invStd.data()[ch];
                double sumDy = 0;
                double sumDyXhat = 0;
                for (int img = 0; img < n; img++) {
                    int base = (img * c + ch) * hw;
                    for (int i = 0; i < hw; i++) {
                        sumDy += ds[base + i];
                        sumDyXhat += ds[base + i] * ((xs[base + i] - mu) * inv);
                    }
                }
                dBeta.data()[ch] = (float) sumDy;
                dGamma.data()[ch] = (float) sumDyXhat;
                double k = gamma.data()[ch] * inv / m;
                for (int img = 0; img < n; img++) {
                    int base = (img * c + ch) * hw;
                    for (int i = 0; i < hw; i++) {
                        double xhat = (xs[base + i] - mu) * inv;
                        out[base + i] = (float) (k * (m * ds[base + i] - sumDy - xhat * sumDyXhat));
                    }
                }
            }
        });
        return new Backward(dx, dGamma, dBeta);
    }

    /**
     * Running averages for evaluation, as PyTorch keeps them: with momentum {@code m},
     * {@code mean ← (1−m)·mean + m·μ} and {@code var ← (1−m)·var + m·σ²·M/(M−1)} (the unbiased batch
     * variance), where the biased batch variance is recovered from the forward pass as
     * {@code σ² = max(0, 1/invStd² − ε)}. Evaluated in double, stored in float.
     *
     * @param count            {@code M = N·H·W}, the values per channel (≥ 2)
     * @param runningMean      length C (Modified)
     * @param runningVariance  length C (Modified)
     */
    public static void runningUpdate(Tensor mean, Tensor invStd, float eps, long count, float momentum,
                                     Tensor runningMean, Tensor runningVariance) {
        int c = runningMean.size();
        checkParam(mean, c, "mean");
        checkParam(invStd, c, "invStd");
        checkParam(runningVariance, c, "running variance");
        float[] rm = runningMean.data();
        float[] rv = runningVariance.data();
        double mo = momentum;
        for (int ch = 0; ch < c; ch++) {
            double s = invStd.data()[ch];
            double unbiased = Math.max(0, 1 / (s * s) - eps) * count / (count - 1);
            rm[ch] = (float) ((1 - mo) * rm[ch] + mo * mean.data()[ch]);
            rv[ch] = (float) ((1 - mo) * rv[ch] + mo * unbiased);
        }
    }

    private static void checkParam(Tensor t, int c, String name) {
        if (t.size() != c) {
            throw new IllegalArgumentException("batchnorm: " + name + " has " + t.size() + " entries, expected " + c);
        }
    }
}
