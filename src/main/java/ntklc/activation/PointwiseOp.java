package ntklc.activation;

import java.util.Locale;

/**
 * The pointwise activations that have a float kernel of their own on every device: the one
 * definition of ReLU, tanh and the logistic sigmoid that the autograd primitive
 * ({@code ntklc.autograd.Pointwise}), the CPU backend and the OpenCL kernels
 * ({@code <op>_forward}, {@code <op>_backward} in {@code kernels/elementwise.cl}) all compute.
 * {@link #opName()} is the op's one name on every device and also its command-line spelling; the
 * double-precision {@link Activation} of the same function, with its Gaussian moments for the
 * theory, is {@link #activation()}.
 *
 * <p>Arrays are flat, of any shape. Backward passes take the forward input {@code x} and the output
 * gradient {@code dy} and return {@code dx = σ'(x)·dy}. NOTE: ReLU keeps NaN (as
 * {@link Math#max(float, float)} does), so a diverging network shows a NaN loss instead of hiding it.
 */
public enum PointwiseOp {
    /** {@code σ(x) = max(x, 0)}, {@code σ'(x) = 1[x > 0]} (0 at the kink, a subgradient). */
    RELU {
        @Override
        public float apply(float x) {
            return Math.max(x, 0f);
        }

        @Override
        public float derivative(float x) {
            return x > 0 ? 1f : 0f;
        }

        /** A select, not a product: {@code dx = dy} where {@code x > 0}, else exactly 0 (also for an infinite dy). */
        @Override
        public void backward(float[] x, float[] dy, float[] dx, int from, int to) {
            for (int i = from; i < to; i++) {
                dx[i] = x[i] > 0 ? dy[i] : 0f;
            }
        }

        @Override
        public Activation activation() {
            return Activations.relu();
        }
    },
    /** {@code σ(x) = tanh x}, {@code σ'(x) = 1 − tanh² x}. */
    TANH {
        @Override
        public float apply(float x) {
            return (float) Math.tanh(x);
        }

        @Override
        public float derivative(float x) {
            double t = Math.tanh(x);
            return (float) (1 - t * t);
        }

        @Override
        public Activation activation() {
            return Activations.tanh();
        }
    },
    /** {@code σ(x) = 1/(1 + e^{−x})}, {@code σ'(x) = σ(x)(1 − σ(x))}. */
    SIGMOID {
        @Override
        public float apply(float x) {
            return (float) (1 / (1 + Math.exp(-x)));
        }

        @Override
        public float derivative(float x) {
            double s = 1 / (1 + Math.exp(-x));
            return (float) (s * (1 - s));
        }

        @Override
        public Activation activation() {
            return Activations.sigmoid();
        }
    };

    /** {@code σ(x)}, rounded to float. */
    public abstract float apply(float x);

    /** {@code σ'(x)}, rounded to float. */
    public abstract float derivative(float x);

    /** The same function in double precision with its Gaussian moments (the theory's σ). */
    public abstract Activation activation();

    /** The op's name on every device and on the command line: {@code relu}, {@code tanh}, {@code sigmoid}. */
    public String opName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code y[i] = σ(x[i])} for {@code from ≤ i < to}; {@code y} Modified, may be {@code x}. */
    public void forward(float[] x, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] = apply(x[i]);
        }
    }

    /** {@code dx[i] = σ'(x[i])·dy[i]} for {@code from ≤ i < to}; {@code dx} Modified, may be {@code dy}. */
    public void backward(float[] x, float[] dy, float[] dx, int from, int to) {
        for (int i = from; i < to; i++) {
            dx[i] = derivative(x[i]) * dy[i];
        }
    }
}
