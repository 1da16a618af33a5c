package ntklc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar ntk-lc.jar spectrum --n=40 --p=40}, typed without
 * {@code --add-modules jdk.incubator.vector}, runs to the end ({@link Launcher} starts it again
 * with the module). The jar is built here as {@code mvn package} builds it as far as starting goes:
 * its manifest names {@code ntklc.experiments.Main} and, in place of the shaded classes, the test
 * classpath; the packaged jar is not there yet when {@code mvn test} runs.
 */
class JarLaunchTest {
    @TempDir
    Path dir;

    @Test
    void theJarStartsWithoutTheVectorFlag() throws IOException, InterruptedException {
        Path jar = launcherJar();
        Path out = dir.resolve("run");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-Djava.awt.headless=true", "-jar", jar.toString(), "spectrum", "--n=40", "--p=40", "--device=cpu",
                "--out=" + out);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove(Launcher.ENV);
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "still running");
        assertEquals(0, p.exitValue(), log);
        assertFalse(log.contains("NoClassDefFoundError"), log);
        assertTrue(log.contains("Using incubator modules: jdk.incubator.vector"), "the child has the module:\n" + log);
        assertTrue(Files.isRegularFile(out.resolve("summary.csv")), log);
    }

    @Test
    void jitOptionsGivenWithAnyValueAreKeptAndTheTestJvmHasThemAll() {
        // The pom's surefire argLine and Launcher.JIT_OPTIONS are written in two places: the test
        // JVM, started with the pom's options, must lack none of the launcher's.
        List<String> mine = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments();
        assertEquals(List.of(), Launcher.missingJitOptions(mine), "surefire argLine " + mine);
        assertEquals(Launcher.JIT_OPTIONS, Launcher.missingJitOptions(List.of("-Xmx1g", "-XX:+PrintCompilation")));
        // a user's own value counts as given (the child then gets only the other option)
        assertEquals(List.of(Launcher.JIT_OPTIONS.get(1)),
                Launcher.missingJitOptions(List.of("-XX:PerBytecodeTrapLimit=4")));
    }

    /** A jar whose manifest starts {@code ntklc.experiments.Main} on the test classpath. */
    private Path launcherJar() throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "ntklc.experiments.Main");
        List<String> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                urls.add(Path.of(entry).toAbsolutePath().toUri().toString());
            }
        }
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", urls));
        Path jar = dir.resolve("ntk-lc.jar");
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(os, m)) {
            j.flush();
        }
        return jar;
    }
}
