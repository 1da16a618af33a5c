package ntklc.autograd;

import ntklc.backend.cpu.MaxPool2x2;
import ntklc.tensor.Tensor;

/**
 * 2×2 max-pooling with stride 2 (the "M" of the VGG19 channel plan, spec §2.5):
 * {@code x: N×C×H×W → y: N×C×⌊H/2⌋×⌊W/2⌋}, each output the maximum of its window
 * ({@link MaxPool2x2}).
 *
 * <p>Backward: the gradient of each output goes to the position of its window's maximum (kept
 * from the forward pass), zero elsewhere — a subgradient where a window has ties.
 */
public final class MaxPool2d extends Primitive {
    private final Variable x;
    private final Tensor window;

    private MaxPool2d(Variable x, Tensor window) {
        super(x);
        this.x = x;
        this.window = window;
    }

    public static Variable apply(Variable x) {
        MaxPool2x2.Result r = MaxPool2x2.forward(x.value());
        return new MaxPool2d(x, r.window()).output(r.y());
    }

    @Override
    protected void backward(Tensor g) {
        x.accumulate(MaxPool2x2.backward(g, window, x.value().dim(2), x.value().dim(3)));
    }
}
