package ntklc.autograd;

import ntklc.backend.Backend;
import ntklc.backend.DeviceTensor;
import ntklc.tensor.Tensor;

/**
 * 3×3 convolution, stride 1, zero padding 1, no bias: the convolution of every VGG19 block
 * (docs/theory.md §1.4). The arithmetic is the backend's ({@link Backend#conv3x3Forward} and its two
 * backward passes; CPU reference {@link ntklc.backend.cpu.Conv3x3}, which writes the formulas).
 *
 * <p>Shapes: {@code x: N×C×H×W}, {@code w: K×C×3×3}, output {@code y: N×K×H×W}.
 * <pre>
 *   y[n,k,h,v]  = Σ_{c,i,j} w[k,c,i,j] · x[n,c,h+i−1,v+j−1]      (x = 0 outside the image)
 *   ∂L/∂x       = conv3x3BackwardData(G, w)      (the transposed convolution of G)
 *   ∂L/∂w       = conv3x3BackwardWeights(x, G)   (Σ over images and pixels of G ⊗ shifted x)
 * </pre>
 *
 * <p>NOTE: the graph holds host tensors ({@link Variable}), so each call uploads its operands to the
 * backend and downloads the result. On the CPU backend that is a memory copy; on an OpenCL device
 * it is a host round trip per operation, which a device-resident graph would avoid.
 */
public final class Convolution3x3 extends Primitive {
    private final Variable x;
    private final Variable w;
    private final Backend backend;

    private Convolution3x3(Variable x, Variable w, Backend backend) {
        super(x, w);
        this.x = x;
        this.w = w;
        this.backend = backend;
    }

    /**
     * @param x       images {@code N×C×H×W}
     * @param w       filters {@code K×C×3×3}
     * @param backend where the convolution runs
     * @return {@code N×K×H×W}
     */
    public static Variable apply(Variable x, Variable w, Backend backend) {
        Tensor xv = x.value();
        Tensor wv = w.value();
        xv.requireRank(4);
        wv.requireRank(4);
        if (wv.dim(1) != xv.dim(1) || wv.dim(2) != 3 || wv.dim(3) != 3) {
            throw new IllegalArgumentException("conv3x3: filters " + wv.shapeString() + " for images "
                    + xv.shapeString() + " (need K×C×3×3 with C = " + xv.dim(1) + ")");
        }
        Tensor y;
        try (DeviceTensor dx = backend.upload(xv);
             DeviceTensor dw = backend.upload(wv);
             DeviceTensor dy = backend.zeros(xv.dim(0), wv.dim(0), xv.dim(2), xv.dim(3))) {
            backend.conv3x3Forward(dx, dw, dy);
            y = backend.download(dy);
        }
        return new Convolution3x3(x, w, backend).output(y);
    }

    @Override
    protected void backward(Tensor g) {
        try (DeviceTensor dg = backend.upload(g)) {
            if (x.requiresGrad()) {
                try (DeviceTensor dw = backend.upload(w.value());
                     DeviceTensor dx = backend.zeros(x.value().shape())) {
                    backend.conv3x3BackwardData(dg, dw, dx);
                    x.accumulate(backend.download(dx));
                }
            }
            if (w.requiresGrad()) {
                try (DeviceTensor dx = backend.upload(x.value());
                     DeviceTensor dw = backend.zeros(w.value().shape())) {
                    backend.conv3x3BackwardWeights(dx, dg, dw);
                    w.accumulate(backend.download(dw));
                }
            }
        }
    }
}
