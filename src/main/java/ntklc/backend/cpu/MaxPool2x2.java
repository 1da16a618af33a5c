package ntklc.backend.cpu;

import ntklc.tensor.Parallel;
import ntklc.tensor.Tensor;

/**
 * 2×2 max-pooling with stride 2 (the "M" of the VGG19 channel plan, docs/theory.md §1.4): the CPU reference
 * for {@code kernels/max_pool.cl}.
 *
 * <p>Shapes: {@code x: N×C×H×W} → {@code y: N×C×⌊H/2⌋×⌊W/2⌋} (a trailing odd row or column is
 * dropped, as in PyTorch). {@code y[n,c,a,b] = max_{i,j∈{0,1}} x[n,c,2a+i,2b+j]}; the position of the
 * maximum inside its window, {@code 2i+j ∈ {0,1,2,3}} (first one on ties), is kept in
 * {@code window} (same shape as {@code y}, stored as floats, exact) for the backward pass, which
 * routes {@code dy} to that position: {@code dx[n,c,2a+i,2b+j] = dy[n,c,a,b]} if {@code window = 2i+j},
 * else 0.
 */
public final class MaxPool2x2 {
    private MaxPool2x2() {
    }

    /** Output and argmax window of a forward pass. */
    public record Result(Tensor y, Tensor window) {
    }

    /** Forward pass; {@code x} not modified. */
    public static Result forward(Tensor x) {
        x.requireRank(4);
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        int ho = h / 2;
        int wo = w / 2;
        Tensor y = Tensor.zeros(n, c, ho, wo);
        Tensor window = Tensor.zeros(n, c, ho, wo);
        float[] xs = x.data();
        float[] ys = y.data();
        float[] ws = window.data();
        Parallel.forRange(n * c, 16, (p0, p1) -> {
            for (int plane = p0; plane < p1; plane++) {
                for (int a = 0; a < ho; a++) {
                    for (int b = 0; b < wo; b++) {
                        int base = (plane * h + 2 * a) * w + 2 * b;
                        float best = xs[base];
                        int arg = 0;
                        float v1 = xs[base + 1];
                        float v2 = xs[base + w];
                        float v3 = xs[base + w + 1];
                        if (v1 > best) {
                            best = v1;
                            arg = 1;
                        }
                        if (v2 > best) {
                            best = v2;
                            arg = 2;
                        }
                        if (v3 > best) {
                            best = v3;
                            arg = 3;
                        }
                        int o = (plane * ho + a) * wo + b;
                        ys[o] = best;
                        ws[o] = arg;
                    }
                }
            }
        });
        return new Result(y, window);
    }

    /** Backward pass: {@code dx: N×C×h×w} from {@code dy} and the forward {@code window}; inputs not modified. */
    public static Tensor backward(Tensor dy, Tensor window, int h, int w) {
        Tensor.requireSameShape(dy, window, "max_pool_backward");
        int n = dy.dim(0);
        int c = dy.dim(1);
        int ho = dy.dim(2);
        int wo = dy.dim(3);
        if (ho != h / 2 || wo != w / 2) {
            throw new IllegalArgumentException("maxpool backward: dy " + dy.shapeString() + " does not match input " + h + "×" + w);
        }
        Tensor dx = Tensor.zeros(n, c, h, w);
        float[] d = dy.data();
        float[] ws = window.data();
        float[] out = dx.data();
        Parallel.forRange(n * c, 16, (p0, p1) -> {
            for (int plane = p0; plane < p1; plane++) {
                for (int a = 0; a < ho; a++) {
                    for (int b = 0; b < wo; b++) {
                        int o = (plane * ho + a) * wo + b;
                        int arg = (int) ws[o];
                        out[(plane * h + 2 * a + (arg >> 1)) * w + 2 * b + (arg & 1)] = d[o];
                    }
                }
            }
        });
        return dx;
    }
}
