package ntklc.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The folder one run writes into ({@code out/<command>-<timestamp>/} unless the user chose one).
 * Every file is written through {@link AtomicFiles#write}: temporary file in the same folder,
 * fsync, atomic rename, fsync of the folder, so an interrupted run never leaves a half-written
 * file under its final name. A run that records its finished units with {@link FinishedRows} can
 * be continued with {@code --resume} ({@code ntklc.cli.Resume}). A folder that cannot be used is a
 * {@link RunFolderException}.
 */
public final class RunFolder {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /** The file holding a run's options. */
    public static final String CONFIG = "config.properties";

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
                    throw new RunFolderException(command + ": --out=" + explicit + " exists and is not a folder");
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
            throw new RunFolderException(command + ": cannot create the run folder: " + e.getMessage());
        }
    }

    /** Wraps an existing folder (e.g. for {@code --resume}); it must exist. */
    public static RunFolder existing(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new RunFolderException("run folder not found: " + dir);
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

    /** The lock file of a folder in use ({@link #lock}). */
    static final String LOCK = ".lock";

    /** Lock files held by this JVM, by absolute folder; kept open until the JVM ends. */
    private static final Map<Path, FileChannel> HELD = new HashMap<>();

    /**
     * Marks the folder as in use by this process until it ends: an exclusive lock on
     * {@code .lock} in the folder ({@link FileChannel#tryLock()}, an advisory {@code fcntl} lock on
     * Linux that the system releases when the process dies, SIGKILL included). A second process
     * that opens the same folder (two {@code --resume} of one run, or {@code --out} of a running
     * one) is refused instead of overwriting the first one's files and taking its temporaries for
     * strays. Locking a folder this JVM already holds does nothing.
     *
     * @throws RunFolderException when another process holds the folder
     */
    public RunFolder lock() {
        Path key = dir.toAbsolutePath().normalize();
        synchronized (HELD) {
            if (HELD.containsKey(key)) {
                return this;
            }
            try {
                FileChannel channel = FileChannel.open(key.resolve(LOCK), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE);
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    throw e;
                }
                if (lock == null) {
                    channel.close();
                    throw new RunFolderException(dir + " is in use by another running process");
                }
                HELD.put(key, channel);
                return this;
            } catch (IOException e) {
                // NOTE: a file system without locks (some network mounts) runs unprotected.
                return this;
            }
        }
    }

    /** Writes {@code name} durably and atomically ({@link AtomicFiles#write}). */
    public Path write(String name, AtomicFiles.Writer writer) {
        return AtomicFiles.write(dir.resolve(name), writer);
    }

    /**
     * The options recorded in this folder's {@code config.properties} by {@link #writeConfig}.
     *
     * @throws RunFolderException when the file is missing or unreadable (not a run folder)
     */
    public Map<String, String> recordedOptions() {
        Path config = dir.resolve(CONFIG);
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(config)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            throw new RunFolderException("no " + CONFIG + " in " + dir + " (not a run folder?)");
        } catch (IOException e) {
            throw new RunFolderException("cannot read " + config + ": " + e.getMessage());
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : p.stringPropertyNames()) {
            out.put(key, p.getProperty(key));
        }
        return out;
    }

    /**
     * Removes the temporaries a killed run left in this folder ({@link AtomicFiles#removeStrayTemporaries});
     * called when the folder is reopened for {@code --resume}.
     */
    public RunFolder removeStrayTemporaries() {
        try {
            AtomicFiles.removeStrayTemporaries(dir);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code config.properties}: every option of the run (a {@code key=value} per line, in order). */
    public Path writeConfig(Map<String, String> config) {
        return write(CONFIG, out -> {
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
