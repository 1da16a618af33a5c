package ntklc.tensor;

/**
 * Element-wise operations, reductions and shape helpers on {@link Tensor}s: the CPU reference for
 * everything that is not a matrix multiply ({@link MatMul}).
 *
 * <p>Conventions. Shapes are checked and never broadcast implicitly: a bias is added with the
 * named {@link #addRowVector}, a scalar with {@link #addScalar}. Methods that return a tensor
 * allocate it; methods whose name ends in {@code InPlace} write into their first argument
 * (Modified) and leave every other argument Not modified. Loops run over the flat row-major array
 * with one shared index {@code i} so that HotSpot's C2 compiler emits SIMD code, and arrays with
 * at least {@link #PARALLEL_THRESHOLD} elements are split across cores with {@link Parallel}.
 * Reductions accumulate in {@code double}.
 */
public final class TensorOps {
    /** Element count below which an operation runs on the calling thread. */
    public static final int PARALLEL_THRESHOLD = 1 << 15;

    private TensorOps() {
    }

    /** Runs {@code body} over {@code [0, n)}, in parallel chunks when {@code n} is large. */
    private static void forEach(int n, Parallel.RangeBody body) {
        Parallel.forRange(n, PARALLEL_THRESHOLD, body);
    }

    // ---------------------------------------------------------------- element-wise, two operands

    /** {@code a + b}, element-wise; equal shapes required. */
    public static Tensor add(Tensor a, Tensor b) {
        Tensor.requireSameShape(a, b, "add");
        Tensor c = Tensor.zeros(a.shape());
        float[] x = a.data();
        float[] y = b.data();
        float[] z = c.data();
        forEach(z.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                z[i] = x[i] + y[i];
            }
        });
        return c;
    }

    /** {@code a − b}, element-wise; equal shapes required. */
    public static Tensor sub(Tensor a, Tensor b) {
        Tensor.requireSameShape(a, b, "sub");
        Tensor c = Tensor.zeros(a.shape());
        float[] x = a.data();
        float[] y = b.data();
        float[] z = c.data();
        forEach(z.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                z[i] = x[i] - y[i];
            }
        });
        return c;
    }

    /** {@code a ∘ b} (Hadamard product), element-wise; equal shapes required. */
    public static Tensor mul(Tensor a, Tensor b) {
        Tensor.requireSameShape(a, b, "mul");
        Tensor c = Tensor.zeros(a.shape());
        float[] x = a.data();
        float[] y = b.data();
        float[] z = c.data();
        forEach(z.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                z[i] = x[i] * y[i];
            }
        });
        return c;
    }

    /** {@code a += b}, element-wise. {@code a} Modified. */
    public static void addInPlace(Tensor a, Tensor b) {
        axpyInPlace(a, 1f, b);
    }

    /** {@code a += s·b}, element-wise (BLAS "axpy"). {@code a} Modified. */
    public static void axpyInPlace(Tensor a, float s, Tensor b) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException("axpy: sizes differ, " + a.shapeString() + " vs " + b.shapeString());
        }
        float[] x = a.data();
        float[] y = b.data();
        forEach(x.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                x[i] += s * y[i];
            }
        });
    }

    // ---------------------------------------------------------------- scalars

    /** {@code s·a}. */
    public static Tensor scale(Tensor a, float s) {
        Tensor c = a.copy();
        scaleInPlace(c, s);
        return c;
    }

    /** {@code a ← s·a}. {@code a} Modified. */
    public static void scaleInPlace(Tensor a, float s) {
        float[] x = a.data();
        forEach(x.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                x[i] *= s;
            }
        });
    }

    /** {@code a + s} for every element. */
    public static Tensor addScalar(Tensor a, float s) {
        Tensor c = Tensor.zeros(a.shape());
        float[] x = a.data();
        float[] z = c.data();
        forEach(z.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                z[i] = x[i] + s;
            }
        });
        return c;
    }

    // ---------------------------------------------------------------- rows and columns

    /**
     * {@code Y = X + 1·bᵀ}: adds the vector {@code b} to every row of {@code X}, i.e.
     * {@code Y[i, j] = X[i, j] + b[j]}. This is the only way a bias is broadcast.
     *
     * @param x {@code n×d}, Not modified
     * @param b rank 1 of length {@code d}, Not modified
     * @return {@code n×d}
     */
    public static Tensor addRowVector(Tensor x, Tensor b) {
        int n = x.rows();
        int d = x.cols();
        requireVector(b, d, "addRowVector");
        Tensor y = Tensor.zeros(n, d);
        float[] xs = x.data();
        float[] bs = b.data();
        float[] ys = y.data();
        Parallel.forRange(n, Math.max(1, PARALLEL_THRESHOLD / Math.max(1, d)), (r0, r1) -> {
            float[] row = new float[d];
            for (int r = r0; r < r1; r++) {
                System.arraycopy(xs, r * d, row, 0, d);
                for (int j = 0; j < d; j++) {
                    row[j] += bs[j];
                }
                System.arraycopy(row, 0, ys, r * d, d);
            }
        });
        return y;
    }

    /**
     * Column sums {@code s[j] = Σ_i X[i, j]} (the gradient of a bias that was added to every row).
     *
     * @param x {@code n×d}, Not modified
     * @return rank 1 of length {@code d}
     */
    public static Tensor columnSums(Tensor x) {
        int n = x.rows();
        int d = x.cols();
        float[] xs = x.data();
        double[] acc = new double[d];
        float[] row = new float[d];
        for (int r = 0; r < n; r++) {
            System.arraycopy(xs, r * d, row, 0, d);
            for (int j = 0; j < d; j++) {
                acc[j] += row[j];
            }
        }
        Tensor s = Tensor.zeros(d);
        for (int j = 0; j < d; j++) {
            s.data()[j] = (float) acc[j];
        }
        return s;
    }

    /**
     * Row sums {@code s[i] = Σ_j X[i, j]}.
     *
     * @param x {@code n×d}, Not modified
     * @return rank 1 of length {@code n}
     */
    public static Tensor rowSums(Tensor x) {
        int n = x.rows();
        int d = x.cols();
        float[] xs = x.data();
        Tensor s = Tensor.zeros(n);
        float[] ss = s.data();
        Parallel.forRange(n, Math.max(1, PARALLEL_THRESHOLD / Math.max(1, d)), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                double acc = 0;
                int base = r * d;
                for (int j = 0; j < d; j++) {
                    acc += xs[base + j];
                }
                ss[r] = (float) acc;
            }
        });
        return s;
    }

    /**
     * Index of the largest entry of each row (the first one on ties); a predicted class per sample.
     *
     * @param x {@code n×d} with {@code d ≥ 1}, Not modified
     * @return {@code n} indices in {@code [0, d)}
     */
    public static int[] argmaxRows(Tensor x) {
        int n = x.rows();
        int d = x.cols();
        if (d == 0) {
            throw new IllegalArgumentException("argmaxRows: matrix has no columns");
        }
        float[] xs = x.data();
        int[] out = new int[n];
        for (int r = 0; r < n; r++) {
            int base = r * d;
            int best = 0;
            for (int j = 1; j < d; j++) {
                if (xs[base + j] > xs[base + best]) {
                    best = j;
                }
            }
            out[r] = best;
        }
        return out;
    }

    // ---------------------------------------------------------------- reductions

    /** {@code Σ_i a_i}, accumulated in double. */
    public static double sum(Tensor a) {
        float[] x = a.data();
        int chunks = Math.max(1, Parallel.threads());
        double[] partial = new double[chunks];
        Parallel.forRange(chunks, 1, (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                int from = (int) ((long) x.length * c / chunks);
                int to = (int) ((long) x.length * (c + 1) / chunks);
                double acc = 0;
                for (int i = from; i < to; i++) {
                    acc += x[i];
                }
                partial[c] = acc;
            }
        });
        double total = 0;
        for (double p : partial) {
            total += p;
        }
        return total;
    }

    /** {@code (1/N) Σ_i a_i} over all {@code N} elements ({@code N ≥ 1}). */
    public static double mean(Tensor a) {
        if (a.size() == 0) {
            throw new IllegalArgumentException("mean of an empty tensor");
        }
        return sum(a) / a.size();
    }

    /** The largest {@code |a_i|} (0 for an empty tensor); NaN if any element is NaN. */
    public static double maxAbs(Tensor a) {
        double m = 0;
        for (float v : a.data()) {
            if (Float.isNaN(v)) {
                return Double.NaN;
            }
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    // ---------------------------------------------------------------- shapes

    /** Transpose of a matrix (delegates to {@link MatMul#transpose}). */
    public static Tensor transpose(Tensor a) {
        return MatMul.transpose(a);
    }

    /**
     * Flattens every axis after the first: {@code N×C×H×W → N×(C·H·W)}; a view sharing the data.
     */
    public static Tensor flatten(Tensor a) {
        if (a.rank() < 1) {
            throw new IllegalArgumentException("flatten: a scalar has no sample axis");
        }
        int n = a.dim(0);
        return a.reshape(n, n == 0 ? 0 : a.size() / n);
    }

    /**
     * The rows {@code indices[0], indices[1], …} of {@code x}, copied into a new matrix (a
     * mini-batch).
     *
     * @param x {@code n×d}, Not modified
     * @return {@code indices.length × d}
     */
    public static Tensor gatherRows(Tensor x, int[] indices) {
        int d = x.cols();
        Tensor out = Tensor.zeros(indices.length, d);
        for (int r = 0; r < indices.length; r++) {
            System.arraycopy(x.data(), indices[r] * d, out.data(), r * d, d);
        }
        return out;
    }

    private static void requireVector(Tensor b, int length, String op) {
        if (b.rank() != 1 || b.size() != length) {
            throw new IllegalArgumentException(op + ": expected a vector of length " + length + ", got shape "
                    + b.shapeString());
        }
    }
}
