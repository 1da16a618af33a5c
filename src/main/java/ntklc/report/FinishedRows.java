package ntklc.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The finished units of a resumable run (one network of {@code compress}, one activation of
 * {@code activations}, …): a CSV table in the run folder with one row per finished unit, each row
 * identified by a stable key made of its key columns, rewritten as a whole after every finished
 * unit.
 *
 * <p>Why a table rewritten atomically rather than an append-only journal: the rewrite goes through
 * {@link AtomicFiles#write} (temporary, fsync, rename, fsync of the folder), so after a kill at any
 * instant the file is the previous or the new complete table. There is no torn last line to detect
 * and skip, no second format beside the CSV, and the file under its final name is, at every
 * moment, the result table of the units finished so far (readable mid-run, and the final output
 * once the run ends). Its cost, rewriting {@code r} rows after the {@code r}-th unit, is O(r²)
 * bytes in all: a few megabytes for a thousand rows, negligible next to units that take seconds
 * to hours.
 *
 * <p>Use: {@link #open} at the start of the run (it reloads what a killed run finished), skip every
 * unit whose {@link #isFinished key} is recorded, {@link #add} a row when a unit finishes.
 * Reloaded rows hold their cells as the text of the CSV, so rewriting them reproduces the file
 * byte for byte; {@link Table#doubles} reads either form.
 */
public final class FinishedRows {
    private final RunFolder run;
    private final String file;
    private final Table table;
    private final int[] keyColumns;
    private final Set<String> finished = new HashSet<>();

    private FinishedRows(RunFolder run, String file, Table table, int[] keyColumns) {
        this.run = run;
        this.file = file;
        this.table = table;
        this.keyColumns = keyColumns;
        for (List<Object> row : table.rows()) {
            finished.add(keyOf(row));
        }
    }

    /**
     * Opens the table {@code file} of {@code run}: the rows already there (a resumed run) or none.
     *
     * @param columns    the table's columns, in order
     * @param keyColumns the columns whose values identify a unit (e.g. method, ε, widths)
     * @throws RunFolderException when an existing file has other columns (written by another version or command)
     */
    public static FinishedRows open(RunFolder run, String file, List<String> columns, List<String> keyColumns) {
        Path path = run.resolve(file);
        Table table;
        if (Files.exists(path)) {
            try {
                table = Table.readCsv(path);
            } catch (IOException | IllegalArgumentException e) {
                throw new RunFolderException("cannot read " + path + ": " + e.getMessage());
            }
            if (!table.columns().equals(columns)) {
                throw new RunFolderException(path + " has the columns " + table.columns() + ", expected " + columns
                        + " (written by another version of the command?)");
            }
        } else {
            table = new Table(columns);
        }
        int[] keys = new int[keyColumns.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = table.column(keyColumns.get(i));
        }
        return new FinishedRows(run, file, table, keys);
    }

    /** The key of a unit: the text of its key-column values joined by {@code |}. */
    public static String key(Object... keyValues) {
        StringJoiner j = new StringJoiner("|");
        for (Object v : keyValues) {
            j.add(v == null ? "" : v.toString());
        }
        return j.toString();
    }

    private String keyOf(List<Object> row) {
        Object[] values = new Object[keyColumns.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = row.get(keyColumns[i]);
        }
        return key(values);
    }

    /** True if the unit of this key has a row. */
    public boolean isFinished(String key) {
        return finished.contains(key);
    }

    /**
     * Records a finished unit: appends its row and rewrites the file atomically before returning.
     *
     * @throws IllegalStateException if a row of the same key exists (a unit computed twice)
     */
    public void add(Object... row) {
        String key = keyOf(Arrays.asList(row));
        if (finished.contains(key)) {
            throw new IllegalStateException("unit " + key + " is already recorded in " + file);
        }
        table.add(row);
        finished.add(key);
        run.writeCsv(file, table);
    }

    /** The rows so far (reloaded ones first), in the order they finished. */
    public Table table() {
        return table;
    }

    /** How many units are finished. */
    public int size() {
        return table.size();
    }
}
