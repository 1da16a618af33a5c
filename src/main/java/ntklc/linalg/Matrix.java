package ntklc.linalg;

import java.util.Arrays;

import ntklc.tensor.Tensor;

/**
 * A dense double-precision matrix, row-major and contiguous.
 *
 * <p>Layout: element {@code (i, j)} of a {@code rows × cols} matrix lives at
 * {@code data[i·cols + j]}; row {@code i} is the contiguous slice
 * {@code data[i·cols, (i+1)·cols)}. A kernel matrix is {@code n×n}; a data matrix is {@code n×p}
 * (one sample per row, as in {@link Tensor}), so the paper's Gram matrix {@code XᵀX} is
 * {@code Products.gram(x)} = {@code x·xᵀ}.
 *
 * <p>Shapes are checked; there is no implicit broadcasting. Methods that return a matrix allocate
 * a new one unless their name says "InPlace".
 */
public final class Matrix {
    private final int rows;
    private final int cols;
    private final double[] data;

    private Matrix(int rows, int cols, double[] data) {
        this.rows = rows;
        this.cols = cols;
        this.data = data;
    }

    /** A new {@code rows × cols} zero matrix. */
    public static Matrix zeros(int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("negative shape " + rows + "×" + cols);
        }
        return new Matrix(rows, cols, new double[Math.multiplyExact(rows, cols)]);
    }

    /** The {@code n×n} identity. */
    public static Matrix identity(int n) {
        Matrix m = zeros(n, n);
        for (int i = 0; i < n; i++) {
            m.data[i * n + i] = 1;
        }
        return m;
    }

    /** Wraps {@code data} (not copied) as a {@code rows × cols} matrix. */
    public static Matrix wrap(double[] data, int rows, int cols) {
        if ((long) rows * cols != data.length) {
            throw new IllegalArgumentException("data has " + data.length + " elements, shape " + rows + "×" + cols
                    + " needs " + (long) rows * cols);
        }
        return new Matrix(rows, cols, data);
    }

    /** A matrix copied from {@code double[rows][cols]} (rows of equal length). */
    public static Matrix fromRows(double[][] values) {
        int r = values.length;
        int c = r == 0 ? 0 : values[0].length;
        Matrix m = zeros(r, c);
        for (int i = 0; i < r; i++) {
            if (values[i].length != c) {
                throw new IllegalArgumentException("row " + i + " has " + values[i].length + " entries, expected " + c);
            }
            System.arraycopy(values[i], 0, m.data, i * c, c);
        }
        return m;
    }

    /** A double copy of a float matrix (rank-2 tensor). */
    public static Matrix fromTensor(Tensor t) {
        t.requireRank(2);
        Matrix m = zeros(t.rows(), t.cols());
        float[] src = t.data();
        for (int i = 0; i < src.length; i++) {
            m.data[i] = src[i];
        }
        return m;
    }

    /** The diagonal matrix {@code diag(d)}. */
    public static Matrix diagonal(double[] d) {
        Matrix m = zeros(d.length, d.length);
        for (int i = 0; i < d.length; i++) {
            m.data[i * d.length + i] = d[i];
        }
        return m;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** The backing array (not a copy): writes are seen by the matrix. */
    public double[] data() {
        return data;
    }

    public double get(int i, int j) {
        return data[i * cols + j];
    }

    public void set(int i, int j, double value) {
        data[i * cols + j] = value;
    }

    /** {@code A[i][j] += value}. */
    public void add(int i, int j, double value) {
        data[i * cols + j] += value;
    }

    /** A copy of row {@code i}. */
    public double[] row(int i) {
        return Arrays.copyOfRange(data, i * cols, (i + 1) * cols);
    }

    /** A copy of column {@code j}. */
    public double[] column(int j) {
        double[] c = new double[rows];
        for (int i = 0; i < rows; i++) {
            c[i] = data[i * cols + j];
        }
        return c;
    }

    /** The diagonal {@code (A_00, A_11, …)} of a square matrix. */
    public double[] diagonal() {
        requireSquare("diagonal");
        double[] d = new double[rows];
        for (int i = 0; i < rows; i++) {
            d[i] = data[i * cols + i];
        }
        return d;
    }

    public Matrix copy() {
        return new Matrix(rows, cols, data.clone());
    }

    /** {@code Aᵀ}. */
    public Matrix transpose() {
        Matrix t = zeros(cols, rows);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t.data[j * rows + i] = data[i * cols + j];
            }
        }
        return t;
    }

    /** {@code A − B} (same shape). Not modified. */
    public Matrix minus(Matrix b) {
        requireSameShape(b, "minus");
        Matrix out = zeros(rows, cols);
        for (int i = 0; i < data.length; i++) {
            out.data[i] = data[i] - b.data[i];
        }
        return out;
    }

    /** {@code A + B} (same shape). Not modified. */
    public Matrix plus(Matrix b) {
        requireSameShape(b, "plus");
        Matrix out = zeros(rows, cols);
        for (int i = 0; i < data.length; i++) {
            out.data[i] = data[i] + b.data[i];
        }
        return out;
    }

    /** {@code s·A}. Not modified. */
    public Matrix times(double s) {
        Matrix out = zeros(rows, cols);
        for (int i = 0; i < data.length; i++) {
            out.data[i] = s * data[i];
        }
        return out;
    }

    /** {@code A += s·B} (same shape). This matrix is Modified, {@code b} is not. */
    public Matrix addInPlace(double s, Matrix b) {
        requireSameShape(b, "addInPlace");
        for (int i = 0; i < data.length; i++) {
            data[i] += s * b.data[i];
        }
        return this;
    }

    /** {@code A += s·I} (square). Modified. */
    public Matrix addIdentityInPlace(double s) {
        requireSquare("addIdentityInPlace");
        for (int i = 0; i < rows; i++) {
            data[i * cols + i] += s;
        }
        return this;
    }

    /** {@code max_ij |A_ij|} (0 for an empty matrix). */
    public double maxAbs() {
        double m = 0;
        for (double v : data) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** Frobenius norm {@code √(Σ_ij A_ij²)}. */
    public double frobeniusNorm() {
        double scale = maxAbs();
        if (scale == 0 || !Double.isFinite(scale)) {
            return scale;
        }
        double s = 0;
        for (double v : data) {
            double r = v / scale;
            s += r * r;
        }
        return scale * Math.sqrt(s);
    }

    /** True when every entry is finite (no NaN, no ±∞). */
    public boolean isFinite() {
        for (double v : data) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Refuses a matrix that is not square and symmetric to within
     * {@code |A_ij − A_ji| ≤ relTol · max|A|}.
     *
     * @throws IllegalArgumentException naming the worst offending pair
     */
    public void requireSymmetric(String what, double relTol) {
        requireSquare(what);
        double tol = relTol * maxAbs();
        double worst = 0;
        int wi = 0;
        int wj = 0;
        for (int i = 0; i < rows; i++) {
            for (int j = i + 1; j < cols; j++) {
                double diff = Math.abs(data[i * cols + j] - data[j * cols + i]);
                if (!(diff <= worst)) {
                    worst = diff;
                    wi = i;
                    wj = j;
                }
            }
        }
        if (!(worst <= tol)) {
            throw new IllegalArgumentException(what + ": matrix is not symmetric: |A[" + wi + "][" + wj + "] − A[" + wj
                    + "][" + wi + "]| = " + worst + " > " + tol + " (" + relTol + " · max|A|)");
        }
    }

    /** @throws IllegalArgumentException unless square */
    public void requireSquare(String what) {
        if (rows != cols) {
            throw new IllegalArgumentException(what + ": needs a square matrix, got " + shapeString());
        }
    }

    private void requireSameShape(Matrix b, String what) {
        if (rows != b.rows || cols != b.cols) {
            throw new IllegalArgumentException(what + ": shapes differ, " + shapeString() + " vs " + b.shapeString());
        }
    }

    /** {@code "rows×cols"}. */
    public String shapeString() {
        return rows + "×" + cols;
    }

    @Override
    public String toString() {
        return "Matrix " + shapeString();
    }
}
