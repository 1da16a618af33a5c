package ntklc.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import ntklc.cli.UserError;

/**
 * The folder one run writes into ({@code out/<command>-<timestamp>/} unless the user chose one).
 * Every file is written atomically: to a temporary file in the same folder, then renamed, so an
 * interrupted run never leaves a half-written file under its final name.
 */
public final class RunFolder {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path dir;

    private RunFolder(Path dir) {
        this.dir = dir;
    }

    /**
     * Opens (creating it if needed) the run folder: {@code explicit} when non-empty, otherwise a
     * new {@code out/<command>-<timestamp>} folder (suffixed {@code -2}, {@code -3}, … if taken).
     */
    public static RunFolder create(String explicit, String command) {
        try {
            Path dir;
            if (explicit != null && !explicit.isBlank()) {
                dir = Paths.get(explicit);
                if (Files.exists(dir) && !Files.isDirectory(dir)) {
                    throw new UserError(command + ": --out=" + explicit + " exists and is not a folder");
                }
            } else {
                String base = "out/" + command + "-" + LocalDateTime.now().format(STAMP);
                dir = Paths.get(base);
                for (int i = 2; Files.exists(dir); i++) {
                    dir = Paths.get(base + "-" + i);
                }
            }
            Files.createDirectories(dir);
            return new RunFolder(dir);
        } catch (IOException e) {
            throw new UserError(command + ": cannot create the run folder: " + e.getMessage());
        }
    }

    /** Wraps an existing folder (e.g. for {@code --resume}); it must exist. */
    public static RunFolder existing(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserError("run folder not found: " + dir);
        }
        return new RunFolder(dir);
    }

    public Path dir() {
        return dir;
    }

    /** The path of {@code name} inside the folder. */
    public Path resolve(String name) {
        return dir.resolve(name);
    }

    /** Body that writes a file's content. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Writes {@code name} atomically (temporary file in the same folder, then rename). */
    public Path write(String name, Writer writer) {
        return writeAtomically(dir.resolve(name), writer);
    }

    /** Writes any path atomically: temporary sibling, then an atomic rename over the target. */
    public static Path writeAtomically(Path target, Writer writer) {
        try {
            Path parent = target.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, "." + target.getFileName(), ".tmp");
            try {
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    writer.write(out);
                }
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code config.properties}: every option of the run (a {@code key=value} per line, in order). */
    public Path writeConfig(Map<String, String> config) {
        return write("config.properties", out -> {
            StringBuilder sb = new StringBuilder("# options of this run, in the order --help lists them\n");
            config.forEach((k, v) -> sb.append(k).append('=').append(escape(v)).append('\n'));
            out.write(sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        });
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\n", "\\n");
    }

    /** Writes a table as CSV. */
    public Path writeCsv(String name, Table table) {
        return write(name, table::writeCsv);
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
