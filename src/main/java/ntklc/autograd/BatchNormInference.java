package ntklc.autograd;

import ntklc.tensor.Parallel;
import ntklc.tensor.Tensor;

/**
 * Batch normalisation in evaluation mode: a per-channel affine map with the running statistics
 * ({@link BatchNorm.Running}) in place of the batch ones (docs/theory.md §1.4; PyTorch's {@code model.eval()}).
 *
 * <p>Shapes: {@code x, y: N×C×H×W}; {@code γ, β}, running mean {@code μ̄} and variance
 * {@code σ̄²}: length {@code C}. With {@code s_c = 1/√(σ̄²_c + ε)}:
 * <pre>
 *   y = γ_c·s_c·(x − μ̄_c) + β_c
 *   ∂L/∂x = G·γ_c·s_c,   ∂L/∂γ_c = Σ_{n,h,v} G·s_c·(x − μ̄_c),   ∂L/∂β_c = Σ_{n,h,v} G
 * </pre>
 * The running statistics are constants here (neither differentiated nor updated). Host arithmetic:
 * one multiply-add per element, no backend operation needed.
 */
public final class BatchNormInference extends Primitive {
    private final Variable x;
    private final Variable gamma;
    private final Variable beta;
    private final float[] mu;
    private final float[] s;

    private BatchNormInference(Variable x, Variable gamma, Variable beta, float[] mu, float[] s) {
        super(x, gamma, beta);
        this.x = x;
        this.gamma = gamma;
        this.beta = beta;
        this.mu = mu;
        this.s = s;
    }

    /** @param running the statistics to use (Not modified) */
    public static Variable apply(Variable x, Variable gamma, Variable beta, BatchNorm.Running running) {
        Tensor xv = x.value();
        xv.requireRank(4);
        int n = xv.dim(0);
        int c = xv.dim(1);
        int hw = xv.dim(2) * xv.dim(3);
        if (gamma.value().size() != c || beta.value().size() != c || running.mean().size() != c
                || running.variance().size() != c) {
            throw new IllegalArgumentException("batch norm of " + c + " channels given parameters of other lengths");
        }
        float[] mu = running.mean().data().clone();
        float[] s = new float[c];
        for (int ch = 0; ch < c; ch++) {
            s[ch] = (float) (1 / Math.sqrt(running.variance().data()[ch] + BatchNorm.EPS));
        }
        float[] g = gamma.value().data();
        float[] b = beta.value().data();
        float[] xs = xv.data();
        Tensor y = Tensor.zeros(xv.shape());
        float[] ys = y.data();
        Parallel.forRange(n * c, 16, (p0, p1) -> {
            for (int plane = p0; plane < p1; plane++) {
                int ch = plane % c;
                float scale = g[ch] * s[ch];
                float shift = b[ch] - scale * mu[ch];
                int base = plane * hw;
                for (int i = base; i < base + hw; i++) {
                    ys[i] = scale * xs[i] + shift;
                }
            }
        });
        return new BatchNormInference(x, gamma, beta, mu, s).output(y);
    }

    @Override
    protected void backward(Tensor gy) {
        Tensor xv = x.value();
        int n = xv.dim(0);
        int c = xv.dim(1);
        int hw = xv.dim(2) * xv.dim(3);
        float[] xs = xv.data();
        float[] gs = gy.data();
        float[] g = gamma.value().data();
        Tensor dx = Tensor.zeros(xv.shape());
        float[] d = dx.data();
        Tensor dGamma = Tensor.zeros(c);
        Tensor dBeta = Tensor.zeros(c);
        for (int ch = 0; ch < c; ch++) {
            double sg = 0;
            double sb = 0;
            float scale = g[ch] * s[ch];
            for (int img = 0; img < n; img++) {
                int base = (img * c + ch) * hw;
                for (int i = base; i < base + hw; i++) {
                    d[i] = gs[i] * scale;
                    sg += (double) gs[i] * s[ch] * (xs[i] - mu[ch]);
                    sb += gs[i];
                }
            }
            dGamma.data()[ch] = (float) sg;
            dBeta.data()[ch] = (float) sb;
        }
        x.accumulate(dx);
        gamma.accumulate(dGamma);
        beta.accumulate(dBeta);
    }
}
