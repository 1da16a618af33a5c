package ntklc.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ntklc.cli.Launcher;
import ntklc.experiments.Main;

/**
 * The sequence that crashed the JVM with SIGSEGV in issue 14 (exit 139, no hs_err, 6 of 12 runs):
 * {@code --device=auto} opens PoCL, times a convolution step on it, chooses Java, and the run goes
 * on with CPU work. The cause: PoCL's LLVM replaces the JVM's SIGSEGV handler (with
 * {@code SA_RESETHAND}), and the next safepoint at which several threads fault kills the process;
 * the fix preloads HotSpot's {@code libjsig} ({@link Launcher}). Each repetition is a fresh child JVM
 * started as the launcher starts it, running
 * {@code bench --op=conv --shape=64,256,8,8,256 --device=auto} with {@code NTKLC_AUTO_RETIME=1},
 * so that every one of them times the device; all must exit 0. A last run without the variable
 * must reuse the stored decision and open no device. Skipped without an OpenCL device.
 */
@Tag("opencl")
class OpenClAutoSequenceTest {
    /** Child runs that time the device: at the crash rate of issue 14 (1/2), 4 runs miss it with probability 1/16. */
    static final int RUNS = 4;
    static final long CHILD_TIMEOUT_S = 600;

    @TempDir
    Path dir;

    @BeforeAll
    static void needsOpenCl() {
        String[] why = new String[1];
        Assumptions.assumeTrue(!ClDevice.list(why).isEmpty(), () -> "no OpenCL device: " + why[0]);
    }

    @Test
    void autoTimingThenCpuWorkExitsCleanlyEveryTime() throws Exception {
        Path cache = dir.resolve("cache");
        for (int r = 0; r < RUNS; r++) {
            Path log = dir.resolve("run" + r + ".log");
            int status = bench(cache, true, log);
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertEquals(0, status, "run " + r + " exited with " + status + " (139 = SIGSEGV):\n" + out);
            assertTrue(out.contains("device: auto timed a 3×3 convolution"), "run " + r + " timed the device:\n" + out);
        }
        Path log = dir.resolve("cached.log");
        assertEquals(0, bench(cache, false, log));
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(out.contains("device: auto reused its earlier timing"), out);
        assertFalse(out.contains("device: auto timed"), out);
    }

    @Test
    void backendsOnOneDeviceShareOneContext() {
        int before = ClContext.count();
        for (int i = 0; i < 3; i++) {
            try (OpenClBackend cl = OpenClBackend.open(0)) {
                cl.finish();
            }
        }
        assertTrue(ClContext.count() <= before + 1, "at most one new context for device 0, got "
                + (ClContext.count() - before));
    }

    /** {@code java … Main bench --op=conv --shape=64,256,8,8,256 --device=auto} in a child JVM. */
    private int bench(Path cache, boolean retime, Path log) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            cmd.add("--add-modules=jdk.incubator.vector");
        }
        cmd.addAll(Launcher.JIT_OPTIONS); // as the launcher would: no second JVM
        cmd.addAll(List.of("-Xmx1g", "-Djava.awt.headless=true", "-Dntklc.cache.dir=" + cache,
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "bench", "--op=conv", "--shape=64,256,8,8,256", "--device=auto", "--out=" + dir.resolve(log.getFileName() + ".out")));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        // What java -jar target/ntk-lc.jar does (ntklc.cli.Launcher): HotSpot's signal chaining
        // preloaded, so that PoCL's LLVM cannot displace the JVM's SIGSEGV handler.
        Path jsig = Launcher.signalChainingLibrary();
        if (jsig != null) {
            pb.environment().put("LD_PRELOAD", jsig.toString());
        }
        if (retime) {
            pb.environment().put("NTKLC_AUTO_RETIME", "1");
        } else {
            pb.environment().remove("NTKLC_AUTO_RETIME");
        }
        Process p = pb.start();
        if (!p.waitFor(CHILD_TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("child run still going after " + CHILD_TIMEOUT_S + " s");
        }
        return p.exitValue();
    }
}
