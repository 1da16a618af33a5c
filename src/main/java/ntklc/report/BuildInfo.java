package ntklc.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Which build computed a result and on which machine, for the provenance of long runs that span
 * several sessions (and possibly several builds) through {@code --resume}.
 *
 * <ul>
 *   <li>{@code commit}: the system property {@code ntklc.commit} when set; otherwise the
 *       {@code git describe --always --dirty --abbrev=7} of the checkout that holds the running jar
 *       (or classes folder), suffixed {@code (jar older than HEAD)} when the jar was built before
 *       that commit (a build of an earlier checkout); {@code unknown} outside a git checkout.</li>
 *   <li>{@code jarSha256}: the first 12 hex digits of the running jar's SHA-256, which names the
 *       build exactly whatever the checkout says ({@code classes} when run from a classes folder).</li>
 *   <li>{@code cpu}: the CPU model of {@code /proc/cpuinfo} (or {@code os.arch}) and the number of
 *       processors this JVM sees.</li>
 * </ul>
 *
 * @param commit    the commit as described above
 * @param jarSha256 the jar's digest prefix, or {@code classes}
 * @param cpu       CPU model and processor count
 */
public record BuildInfo(String commit, String jarSha256, String cpu) {
    /** The build and machine of this JVM (computed once; a few milliseconds and one {@code git} call). */
    public static BuildInfo current() {
        return Holder.CURRENT;
    }

    private static final class Holder {
        static final BuildInfo CURRENT = detect();
    }

    private static BuildInfo detect() {
        Path code = codeLocation();
        String sha = code != null && Files.isRegularFile(code) ? sha256(code) : "classes";
        String commit = System.getProperty("ntklc.commit", "").trim();
        if (commit.isEmpty()) {
            commit = code == null ? "unknown" : gitCommit(Files.isRegularFile(code) ? code.getParent() : code, code);
        }
        return new BuildInfo(commit, sha, cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " processors");
    }

    private static Path codeLocation() {
        try {
            return Path.of(BuildInfo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            return null; // no code source (a custom class loader): the commit stays unknown
        }
    }

    private static String gitCommit(Path dir, Path code) {
        String describe = git(dir, "describe", "--always", "--dirty", "--abbrev=7");
        if (describe.isEmpty()) {
            return "unknown";
        }
        String time = git(dir, "log", "-1", "--format=%ct");
        try {
            long headSeconds = Long.parseLong(time);
            long builtSeconds = Files.getLastModifiedTime(code).toMillis() / 1000;
            if (Files.isRegularFile(code) && builtSeconds < headSeconds) {
                return describe + " (jar older than HEAD)";
            }
        } catch (NumberFormatException | IOException e) {
            // no commit time: keep the description alone
        }
        return describe;
    }

    /** One line of {@code git -C dir args…}, or "" when git is missing, fails or takes over 10 s. */
    private static String git(Path dir, String... args) {
        try {
            List<String> cmd = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroy();
                return "";
            }
            return new String(out, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) {
                md.update(buf, 0, r);
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 12);
        } catch (IOException | NoSuchAlgorithmException e) {
            return "unreadable";
        }
    }

    /** The {@code model name} of {@code /proc/cpuinfo}, else {@code os.arch}. */
    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.toLowerCase(Locale.ROOT).startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch", "unknown CPU");
    }
}
