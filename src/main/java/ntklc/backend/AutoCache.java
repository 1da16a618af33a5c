package ntklc.backend;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import ntklc.backend.opencl.ClDevice;
import ntklc.tensor.MatMul;
import ntklc.tensor.Parallel;

/**
 * What {@code --device=auto} measured, kept across runs so that a later run decides without
 * opening an OpenCL context just to time it: the file {@code device-auto.properties} in
 * {@code $XDG_CACHE_HOME/ntk-lc} (else {@code ~/.cache/ntk-lc}; the system property
 * {@code ntklc.cache.dir} overrides both, for tests). Each entry is keyed by what the timing
 * depends on: the measurement ({@code conv} or {@code matmul}), the OpenCL platform and device
 * names, the CPU model, the number of Java threads and the Java kernel in use. The environment
 * variable {@value #RETIME_ENV}{@code =1} ignores the stored entries and times again (and stores
 * the new result). A missing or unreadable file only means timing again.
 */
final class AutoCache {
    /** Set to 1 to ignore the stored decisions and time again. */
    static final String RETIME_ENV = "NTKLC_AUTO_RETIME";
    static final String FILE = "device-auto.properties";

    private AutoCache() {
    }

    /** The cache file (which may not exist yet). */
    static Path file() {
        String dir = System.getProperty("ntklc.cache.dir");
        if (dir == null || dir.isBlank()) {
            String xdg = System.getenv("XDG_CACHE_HOME");
            dir = xdg != null && !xdg.isBlank() ? Path.of(xdg, "ntk-lc").toString()
                    : Path.of(System.getProperty("user.home"), ".cache", "ntk-lc").toString();
        }
        return Path.of(dir, FILE);
    }

    /** The key of measurement {@code what} on {@code device} in this JVM on this machine. */
    static String key(String what, ClDevice device) {
        return what + " | " + device.platformName() + " | " + device.name() + " | " + cpuModel() + " | "
                + Parallel.threads() + " threads | " + MatMul.kernelDescription();
    }

    /** The stored value of {@code key}; empty when absent, unreadable, or when {@value #RETIME_ENV} is 1. */
    static synchronized Optional<String> get(String key) {
        if ("1".equals(System.getenv(RETIME_ENV))) {
            return Optional.empty();
        }
        return Optional.ofNullable(read().getProperty(key));
    }

    /** Stores {@code key = value} (temp file and rename); a failure to write is ignored: the next run times again. */
    static synchronized void put(String key, String value) {
        Path file = file();
        Properties p = read();
        p.setProperty(key, value);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), FILE, ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                p.store(out, "ntk-lc: --device=auto decisions (delete this file, or set " + RETIME_ENV + "=1, to time again)");
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | SecurityException e) {
            // a read-only home: every run times again, as before the cache existed
        }
    }

    private static Properties read() {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file())) {
            p.load(in);
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            // absent or corrupt: start empty
        }
        return p;
    }

    /** The {@code model name} of /proc/cpuinfo, else {@code os.arch}. */
    static String cpuModel() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8);
            for (String line : lines) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | SecurityException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }
}
