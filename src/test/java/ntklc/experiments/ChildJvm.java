package ntklc.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import ntklc.cli.Launcher;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a command of {@link Main} in a child JVM (the test's classpath, a small heap, its output in
 * a log file) and kills it with SIGKILL when a condition holds: the tool of the kill-and-resume
 * tests. SIGKILL can neither be caught nor delayed (no {@code finally}, shutdown hook or flush
 * runs), so what survives is exactly what the command had made durable.
 */
final class ChildJvm implements AfterEachCallback {
    /** Exit status of a process killed by SIGKILL (signal 9) on Linux: 128 + 9. */
    static final int SIGKILL_STATUS = 128 + 9;
    /** Upper bound on any one child run; only reached when something hangs. */
    static final long TIMEOUT_S = 300;
    /** Attempts of {@link #killMidRun} before it gives up. */
    static final int ATTEMPTS = 3;

    private final List<Process> started = new ArrayList<>();

    /** {@code java ... ntklc.experiments.Main COMMAND ARGS}, output (both streams) to {@code log}. */
    Process start(String command, List<String> args, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            cmd.add("--add-modules=jdk.incubator.vector");
        }
        cmd.addAll(Launcher.JIT_OPTIONS); // as the launcher would: no second JVM
        cmd.addAll(List.of("-Xmx512m", "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), command));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(p);
        return p;
    }

    /** Runs to the end and returns the exit status. */
    int run(String command, List<String> args, Path log) throws IOException, InterruptedException {
        return finish(start(command, args, log));
    }

    /**
     * Polls {@code ready} every few milliseconds while {@code p} runs, then SIGKILLs it.
     *
     * @return true when {@code p} was still alive at the kill and died of it (status 137 on Linux);
     *         false when it exited by itself before {@code ready} held or before the kill
     */
    boolean killWhen(Process p, BooleanSupplier ready, Path log) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (p.isAlive() && !ready.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "the kill condition never held\n" + tail(log));
            Thread.sleep(5);
        }
        boolean aliveAtKill = p.isAlive();
        // Process.destroyForcibly() is SIGKILL on Linux (kill -9): the JVM gets no chance to clean up.
        p.destroyForcibly();
        assertTrue(p.waitFor(TIMEOUT_S, TimeUnit.SECONDS), "the killed run did not die");
        if (!aliveAtKill) {
            return false;
        }
        int status = p.exitValue();
        if (status == 0) {
            return false; // finished between the check and the signal
        }
        if (System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")) {
            assertEquals(SIGKILL_STATUS, status, "exit status of the killed run\n" + tail(log));
        }
        return true;
    }

    /** A run killed mid-way: its folder and the size scale it ran at. */
    record Killed(Path dir, int scale) {
    }

    /**
     * Starts {@code command} with {@code args(dir, scale)} and SIGKILLs it as soon as
     * {@code ready(dir)} holds. If the run outran the kill ({@code finished(dir, scale)} after it), the
     * attempt is repeated with four times the scale, and after {@value #ATTEMPTS} misses the test
     * fails rather than pass without a kill.
     *
     * @param tmp folder in which the attempts' folders {@code killed-N} and logs are made
     */
    Killed killMidRun(String command, Path tmp, int scale, BiFunction<Path, Integer, List<String>> args,
                      Predicate<Path> ready, BiPredicate<Path, Integer> finished) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            Path dir = tmp.resolve("killed-" + attempt);
            Path log = tmp.resolve("killed-" + attempt + ".log");
            Process p = start(command, args.apply(dir, scale), log);
            if (killWhen(p, () -> ready.test(dir), log) && !finished.test(dir, scale)) {
                return new Killed(dir, scale);
            }
            if (attempt == ATTEMPTS) {
                fail(command + " finished before the kill in " + ATTEMPTS + " attempts (last scale " + scale
                        + "); nothing was tested\n" + tail(log));
            }
            scale *= 4;
        }
    }

    static int finish(Process p) throws InterruptedException {
        if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("child run still going after " + TIMEOUT_S + " s");
        }
        return p.exitValue();
    }

    /** The last 20 lines of a child's log, for assertion messages. */
    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "--- " + log.getFileName() + " (last lines) ---\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Kills whatever child is still running (a failed test); registered with {@code @RegisterExtension}. */
    @Override
    public void afterEach(ExtensionContext context) {
        for (Process p : started) {
            p.destroyForcibly();
        }
    }
}
