package ntklc.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

import ntklc.tensor.Tensor;

/**
 * The user's own samples as CSV: one row per sample, the p features (numbers) then the integer
 * class label (0, 1, …) in the last column, separated by commas, no quoting. Empty lines and
 * lines starting with {@code #} (e.g. a header) are skipped. A malformed row is a
 * {@link DataException} naming the file and line.
 */
public final class CsvSamples {
    /** Labels above this are refused (they would create that many classes). */
    static final int MAX_LABEL = 9_999;

    /** Parsed rows before the number of classes is known: x is n×p row-major. */
    record Rows(Path file, float[] x, int[] labels, int p) {
        int maxLabel() {
            return Arrays.stream(labels).max().orElse(-1);
        }

        Dataset toDataset(int numClasses) {
            return new Dataset(Tensor.wrap(x, labels.length, p), labels, numClasses);
        }
    }

    private CsvSamples() {
    }

    /** Reads one file as a data set with K = (largest label) + 1 classes. */
    public static Dataset read(Path file) {
        Rows rows = parse(file);
        return rows.toDataset(rows.maxLabel() + 1);
    }

    /** Parses one file; see the class comment for the format. */
    static Rows parse(Path file) {
        float[] x = new float[1024];
        int[] labels = new int[64];
        int n = 0;
        int p = -1;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                String[] fields = trimmed.split(",", -1);
                if (fields.length < 2) {
                    throw bad(file, lineNo, "needs at least one feature and a label, found " + fields.length + " field");
                }
                if (p < 0) {
                    p = fields.length - 1;
                } else if (fields.length - 1 != p) {
                    throw bad(file, lineNo, "has " + (fields.length - 1) + " features, earlier rows have " + p);
                }
                if ((long) (n + 1) * p > Integer.MAX_VALUE - 8) {
                    throw bad(file, lineNo, "too many values for one array (2^31)");
                }
                if (x.length < (n + 1) * p) {
                    x = Arrays.copyOf(x, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(2L * x.length, (long) (n + 1) * p)));
                }
                if (labels.length == n) {
                    labels = Arrays.copyOf(labels, 2 * n);
                }
                for (int j = 0; j < p; j++) {
                    x[n * p + j] = number(file, lineNo, j + 1, fields[j]);
                }
                labels[n] = label(file, lineNo, fields[p]);
                n++;
            }
        } catch (NoSuchFileException e) {
            throw new DataException("file not found: " + file);
        } catch (IOException e) {
            throw new DataException(file + ": cannot read (" + e.getMessage() + ")");
        }
        if (n == 0) {
            throw new DataException(file + ": no samples (every line is empty or a # comment)");
        }
        return new Rows(file, Arrays.copyOf(x, n * p), Arrays.copyOf(labels, n), p);
    }

    private static float number(Path file, int line, int column, String field) {
        String s = field.strip();
        try {
            float v = Float.parseFloat(s);
            if (Float.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(file, line, "column " + column + ": '" + s + "' is not a finite number"
                + (line == 1 ? " (a header line must start with #)" : ""));
    }

    private static int label(Path file, int line, String field) {
        String s = field.strip();
        try {
            int v = Integer.parseInt(s);
            if (v >= 0 && v <= MAX_LABEL) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(file, line, "last column: '" + s + "' is not a class label (an integer 0.." + MAX_LABEL + ")"
                + (line == 1 ? " (a header line must start with #)" : ""));
    }

    private static DataException bad(Path file, int line, String what) {
        return new DataException(file + ":" + line + ": " + what);
    }
}
