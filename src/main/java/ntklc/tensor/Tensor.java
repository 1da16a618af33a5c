package ntklc.tensor;

import java.util.Arrays;

/**
 * A dense float32 tensor, row-major and contiguous.
 *
 * <p>Layout: for shape {@code (s_0, …, s_{r−1})} the element {@code (i_0, …, i_{r−1})} lives at
 * {@code data[Σ_j i_j · stride_j]} with {@code stride_j = Π_{m>j} s_m}. For a matrix with
 * {@code rows × cols} this is {@code data[i·cols + j]}; for an image batch {@code N×C×H×W} it is
 * {@code data[((n·C + c)·H + h)·W + w]}.
 *
 * <p>Shape vocabulary used across the code base: {@code n} samples, {@code p} input dimension,
 * {@code d_ℓ} width of layer ℓ, {@code K} classes, {@code C} channels, {@code H×W} image size.
 * Data matrices are stored one sample per row ({@code n×p}); the paper writes the transpose
 * {@code X ∈ R^{p×n}}, so the paper's Gram matrix {@code XᵀX} is {@code x·xᵀ} here.
 *
 * <p>There is no implicit broadcasting: every operation checks shapes and refuses a mismatch.
 * Reshaping shares the backing array (a view); everything else that returns a tensor allocates.
 */
public final class Tensor {
    private final float[] data;
    private final int[] shape;

    private Tensor(float[] data, int[] shape) {
        this.data = data;
        this.shape = shape;
    }

    /** A new zero tensor of the given shape. */
    public static Tensor zeros(int... shape) {
        return new Tensor(new float[checkedSize(shape)], shape.clone());
    }

    /** A new tensor of the given shape with every element equal to {@code value}. */
    public static Tensor full(float value, int... shape) {
        Tensor t = zeros(shape);
        Arrays.fill(t.data, value);
        return t;
    }

    /**
     * Wraps {@code data} (not copied: later writes to either are seen by both) as a tensor of the
     * given shape.
     *
     * @throws IllegalArgumentException if {@code data.length} is not the product of the shape
     */
    public static Tensor wrap(float[] data, int... shape) {
        int size = checkedSize(shape);
        if (data.length != size) {
            throw new IllegalArgumentException("data has " + data.length + " elements, shape "
                    + Arrays.toString(shape) + " needs " + size);
        }
        return new Tensor(data, shape.clone());
    }

    /** A matrix copied from a {@code double[rows][cols]} array (rows must have equal length). */
    public static Tensor fromRows(double[][] rows) {
        int r = rows.length;
        int c = r == 0 ? 0 : rows[0].length;
        Tensor t = zeros(r, c);
        for (int i = 0; i < r; i++) {
            if (rows[i].length != c) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " entries, expected " + c);
            }
            for (int j = 0; j < c; j++) {
                t.data[i * c + j] = (float) rows[i][j];
            }
        }
        return t;
    }

    private static int checkedSize(int[] shape) {
        long size = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            size *= s;
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " exceeds the 2^31 element limit");
        }
        return (int) size;
    }

    /** The backing array, row-major (Modified when the caller writes to it). */
    public float[] data() {
        return data;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Size of dimension {@code axis}. */
    public int dim(int axis) {
        return shape[axis];
    }

    /** Total number of elements. */
    public int size() {
        return data.length;
    }

    /** Rows of a matrix (rank 2 required). */
    public int rows() {
        requireRank(2);
        return shape[0];
    }

    /** Columns of a matrix (rank 2 required). */
    public int cols() {
        requireRank(2);
        return shape[1];
    }

    /** Element {@code (i, j)} of a matrix. */
    public float get(int i, int j) {
        return data[i * shape[1] + j];
    }

    /** Sets element {@code (i, j)} of a matrix. */
    public void set(int i, int j, float value) {
        data[i * shape[1] + j] = value;
    }

    /** A view with a new shape over the same data (same number of elements required). */
    public Tensor reshape(int... newShape) {
        return wrap(data, newShape);
    }

    /** A deep copy. */
    public Tensor copy() {
        return new Tensor(data.clone(), shape.clone());
    }

    /** True if both shapes are equal. */
    public boolean sameShape(Tensor other) {
        return Arrays.equals(shape, other.shape);
    }

    /** Throws unless this tensor has the given rank. */
    public void requireRank(int rank) {
        if (shape.length != rank) {
            throw new IllegalArgumentException("expected a rank-" + rank + " tensor, got shape " + shapeString());
        }
    }

    /** Throws unless both tensors have the same shape; {@code op} names the operation in the message. */
    public static void requireSameShape(Tensor a, Tensor b, String op) {
        if (!a.sameShape(b)) {
            throw new IllegalArgumentException(op + ": shapes differ, " + a.shapeString() + " vs " + b.shapeString());
        }
    }

    /** The shape written as {@code [2, 3]}. */
    public String shapeString() {
        return Arrays.toString(shape);
    }

    @Override
    public String toString() {
        return "Tensor" + shapeString();
    }
}
