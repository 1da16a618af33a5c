package ntklc.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * A small in-memory table with named columns: what every CSV output of the project is made of,
 * and what the charts are drawn from. Numbers are written with full precision
 * ({@link Double#toString}); {@code null} is written as an empty cell.
 */
public final class Table {
    private final List<String> columns;
    private final List<List<Object>> rows = new ArrayList<>();

    public Table(String... columns) {
        this.columns = List.of(columns);
    }

    public Table(List<String> columns) {
        this.columns = List.copyOf(columns);
    }

    /** Appends a row; it must have one value per column. */
    public Table add(Object... values) {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException("row has " + values.length + " values, table has " + columns.size()
                    + " columns " + columns);
        }
        rows.add(Collections.unmodifiableList(new ArrayList<>(Arrays.asList(values))));
        return this;
    }

    public List<String> columns() {
        return columns;
    }

    public List<List<Object>> rows() {
        return Collections.unmodifiableList(rows);
    }

    public int size() {
        return rows.size();
    }

    /** The index of a column. */
    public int column(String name) {
        int i = columns.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no column " + name + " in " + columns);
        }
        return i;
    }

    /** A numeric column as doubles (empty cells become NaN). */
    public double[] doubles(String name) {
        int c = column(name);
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = rows.get(i).get(c);
            out[i] = v == null || v.toString().isEmpty() ? Double.NaN
                    : v instanceof Number num ? num.doubleValue() : Double.parseDouble(v.toString());
        }
        return out;
    }

    /** Cell {@code (row, column)} as text. */
    public String text(int row, String name) {
        Object v = rows.get(row).get(column(name));
        return v == null ? "" : v.toString();
    }

    /** Writes the table as CSV with a header line (UTF-8, RFC 4180). */
    public void writeCsv(OutputStream out) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        CSVPrinter printer = new CSVPrinter(w, CSVFormat.RFC4180.builder()
                .setHeader(columns.toArray(String[]::new)).setRecordSeparator('\n').get());
        for (List<Object> row : rows) {
            List<Object> cells = new ArrayList<>(row.size());
            for (Object v : row) {
                cells.add(v == null ? "" : v);
            }
            printer.printRecord(cells);
        }
        printer.flush();
    }

    /** Reads a CSV with a header line; every cell is kept as text. */
    public static Table readCsv(Path path) throws IOException {
        try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8);
             CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            Table t = new Table(parser.getHeaderNames());
            for (CSVRecord rec : parser) {
                t.add((Object[]) rec.values());
            }
            return t;
        }
    }

    /** Formats the table for the console with aligned columns; numbers to {@code digits} significant digits. */
    public String format(int digits) {
        List<String[]> cells = new ArrayList<>();
        cells.add(columns.toArray(String[]::new));
        for (List<Object> row : rows) {
            String[] line = new String[row.size()];
            for (int i = 0; i < line.length; i++) {
                Object v = row.get(i);
                line[i] = v == null ? "" : v instanceof Double d ? formatNumber(d, digits)
                        : v instanceof Float f ? formatNumber(f, digits) : v.toString();
            }
            cells.add(line);
        }
        int[] width = new int[columns.size()];
        for (String[] line : cells) {
            for (int i = 0; i < line.length; i++) {
                width[i] = Math.max(width[i], line[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] line : cells) {
            for (int i = 0; i < line.length; i++) {
                sb.append(i == 0 ? "" : "  ").append(" ".repeat(width[i] - line[i].length())).append(line[i]);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** {@code %.{digits}g}, without a trailing exponent for ordinary magnitudes. */
    public static String formatNumber(double v, int digits) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        return String.format(java.util.Locale.ROOT, "%." + digits + "g", v);
    }
}
