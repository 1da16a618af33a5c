package ntklc.autograd;

import ntklc.backend.cpu.Conv3x3;
import ntklc.tensor.Tensor;

/**
 * 3×3 convolution, stride 1, zero padding 1, no bias (the convolution of VGG19, spec §2.5):
 * {@code y = conv(x, w)} with {@code x: N×C×H×W}, {@code w: K×C×3×3}, {@code y: N×K×H×W}.
 * Computed by {@link Conv3x3} (im2col + GEMM), whose Javadoc writes the three sums.
 *
 * <p>Backward: {@code ∂L/∂x = conv(G, flip(w))} and {@code ∂L/∂w = Σ_n G_n·col(x_n)ᵀ}
 * ({@link Conv3x3#backwardData}, {@link Conv3x3#backwardWeights}); both inputs are kept.
 */
public final class Conv2d extends Primitive {
    private final Variable x;
    private final Variable w;

    private Conv2d(Variable x, Variable w) {
        super(x, w);
        this.x = x;
        this.w = w;
    }

    public static Variable apply(Variable x, Variable w) {
        return new Conv2d(x, w).output(Conv3x3.forward(x.value(), w.value()));
    }

    @Override
    protected void backward(Tensor g) {
        if (x.requiresGrad()) {
            x.accumulate(Conv3x3.backwardData(g, w.value()));
        }
        if (w.requiresGrad()) {
            w.accumulate(Conv3x3.backwardWeights(x.value(), g, w.value().dim(0)));
        }
    }
}
