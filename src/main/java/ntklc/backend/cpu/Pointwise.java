package ntklc.backend.cpu;

/**
 * Element-wise activations with their derivatives, on flat arrays of any shape: the CPU reference
 * for {@code kernels/elementwise.cl}. Backward passes take the forward input {@code x} and the
 * output gradient {@code dy} and return {@code dx = σ'(x)·dy}.
 */
public enum Pointwise {
    /** {@code σ(x) = max(x, 0)}, {@code σ'(x) = 1[x > 0]}. */
    RELU {
        @Override
        public float apply(float x) {
            return x > 0 ? x : 0f;
        }

        @Override
        public float derivative(float x) {
            return x > 0 ? 1f : 0f;
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
    };

    /** {@code σ(x)}. */
    public abstract float apply(float x);

    /** {@code σ'(x)}. */
    public abstract float derivative(float x);

    /** The kernel name suffix in {@code elementwise.cl}: {@code relu}, {@code tanh}, {@code sigmoid}. */
    public String kernelName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** {@code y[i] = σ(x[i])}; {@code y} Modified, may be {@code x}. */
    public void forward(float[] x, float[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] = apply(x[i]);
        }
    }

    /** {@code dx[i] = σ'(x[i])·dy[i]}; {@code dx} Modified, may be {@code dy}. */
    public void backward(float[] x, float[] dy, float[] dx) {
        for (int i = 0; i < x.length; i++) {
            dx[i] = derivative(x[i]) * dy[i];
        }
    }
}
