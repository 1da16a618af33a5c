package ntklc.autograd;

import ntklc.backend.Backend;
import ntklc.backend.DeviceTensor;
import ntklc.tensor.Tensor;

/**
 * 2×2 max-pooling with stride 2: the "M" of the VGG19 channel plan (docs/theory.md §1.4). The arithmetic is
 * the backend's ({@link Backend#maxPoolForward}, {@link Backend#maxPoolBackward}; CPU reference
 * {@link ntklc.backend.cpu.MaxPool2x2}).
 *
 * <p>Shapes: {@code x: N×C×H×W → y: N×C×⌊H/2⌋×⌊W/2⌋},
 * {@code y[n,c,a,b] = max_{i,j∈{0,1}} x[n,c,2a+i,2b+j]}. Backward routes each {@code G[n,c,a,b]} to
 * the position of the maximum of its window (kept from the forward pass, first one on ties) and
 * gives 0 to the other three.
 */
public final class MaxPool extends Primitive {
    private final Variable x;
    private final Backend backend;
    /** Argmax position {@code 2i+j} of each window, shape of {@code y}, stored as floats (exact). */
    private final Tensor window;

    private MaxPool(Variable x, Backend backend, Tensor window) {
        super(x);
        this.x = x;
        this.backend = backend;
        this.window = window;
    }

    /** @param x images {@code N×C×H×W}, {@code H, W ≥ 2} */
    public static Variable apply(Variable x, Backend backend) {
        Tensor xv = x.value();
        xv.requireRank(4);
        if (xv.dim(2) < 2 || xv.dim(3) < 2) {
            throw new IllegalArgumentException("max-pool 2×2 of images " + xv.shapeString() + " smaller than 2×2");
        }
        int[] out = {xv.dim(0), xv.dim(1), xv.dim(2) / 2, xv.dim(3) / 2};
        Tensor y;
        Tensor window;
        try (DeviceTensor dx = backend.upload(xv);
             DeviceTensor dy = backend.zeros(out);
             DeviceTensor dwin = backend.zeros(out)) {
            backend.maxPoolForward(dx, dy, dwin);
            y = backend.download(dy);
            window = backend.download(dwin);
        }
        return new MaxPool(x, backend, window).output(y);
    }

    @Override
    protected void backward(Tensor g) {
        try (DeviceTensor dg = backend.upload(g);
             DeviceTensor dwin = backend.upload(window);
             DeviceTensor dx = backend.zeros(x.value().shape())) {
            backend.maxPoolBackward(dg, dwin, dx);
            x.accumulate(backend.download(dx));
        }
    }
}
