package ntklc.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * Starts the command in a JVM that has what it needs, starting itself again in a child JVM when
 * the running one lacks either (same JVM options, classpath, main class and arguments, standard
 * streams inherited, the child's exit status passed through; the child is destroyed when this JVM
 * stops and halts when this JVM is killed outright):
 *
 * <ul>
 *   <li>the incubator module {@code jdk.incubator.vector} of the SIMD kernels, which Java resolves
 *       only when asked with {@code --add-modules}, so that {@code java -jar target/ntk-lc.jar
 *       <command>} works as typed. Chosen over scalar fallbacks for every SIMD path: one mechanism
 *       for all of them, a single (fast) code path in the numerical kernels;</li>
 *   <li>on Linux, HotSpot's signal-chaining library {@code $JAVA_HOME/lib/libjsig.so} in
 *       {@code LD_PRELOAD}. An OpenCL driver built on LLVM (PoCL) installs its own handlers for
 *       SIGSEGV, SIGBUS, SIGILL and SIGUSR2 (LLVM, with {@code SA_RESETHAND}) and SIGFPE (PoCL) over
 *       the JVM's, which uses SIGSEGV for every safepoint poll and implicit null check; when several
 *       threads fault at one safepoint, all but the first meet the reset default action and the
 *       process dies with SIGSEGV and no hs_err file (issue 14: {@code -Xcheck:jni} prints "SIGSEGV
 *       handler modified" with libLLVM-15's handler in place). With {@code libjsig} the JVM's handlers
 *       stay installed and the driver's are chained behind them.</li>
 *   <li>the HotSpot options {@link #JIT_OPTIONS}, which keep C2 speculating on receiver types
 *       (a guard and an uncommon trap, so that a vector's class, and with it the species the
 *       Vector API's intrinsics need as constants, stays known). C2 gives that up for a whole
 *       compilation once the trap counts of the methods it inlines add up to
 *       {@code PerMethodTrapLimit} (default 100; the Vector API's own methods are inlined into
 *       every kernel and share their counts), and at a bytecode that has trapped before. A
 *       method's count saturates at 255, which C2 then reads as unlimited, so the per-bytecode
 *       limit must stay small enough that the Vector API's methods never get there: 20 traps per
 *       bytecode, 100000 per method. With the defaults the packed engine's counting loop came out
 *       of C2 with every vector boxed in one JVM start in three to five; with 1000 per bytecode
 *       the Vector API's methods trapped 1000 times at one bytecode, saturated, and every kernel
 *       compiled after that was boxed, 10–25× slower, in one start in three
 *       (docs/bench/README.md, "Slow starts").</li>
 * </ul>
 *
 * The cost is a second JVM start (about 0.3 s); giving all of them yourself
 * ({@code LD_PRELOAD=$JAVA_HOME/lib/libjsig.so java --add-modules jdk.incubator.vector
 * -XX:PerBytecodeTrapLimit=20 -XX:PerMethodTrapLimit=100000 -jar …}) avoids it; an option given
 * with another value is kept as given. The variable {@value #ENV} marks the child, so it never
 * starts a third JVM.
 */
public final class Launcher {
    /** The incubator module of the Vector API. */
    public static final String MODULE = "jdk.incubator.vector";
    /** Set in the child's environment. */
    static final String ENV = "NTKLC_RELAUNCHED";
    /** HotSpot options the child gets unless this JVM was given them (with any value). */
    public static final List<String> JIT_OPTIONS = List.of("-XX:PerBytecodeTrapLimit=20", "-XX:PerMethodTrapLimit=100000");

    private Launcher() {
    }

    /** Whether the running JVM has resolved {@link #MODULE}. */
    public static boolean vectorModuleLoaded() {
        return ModuleLayer.boot().findModule(MODULE).isPresent();
    }

    /** {@code $JAVA_HOME/lib/libjsig.so} when this is Linux and it exists, else null. */
    public static Path signalChainingLibrary() {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return null;
        }
        Path lib = Path.of(System.getProperty("java.home"), "lib", "libjsig.so");
        return Files.isRegularFile(lib) ? lib : null;
    }

    /** Whether HotSpot's signal-chaining library is preloaded (or unavailable here, so that nothing can be done). */
    public static boolean signalChainingLoaded() {
        String preload = System.getenv("LD_PRELOAD");
        return signalChainingLibrary() == null || (preload != null && preload.contains("libjsig"));
    }

    /** The {@link #JIT_OPTIONS} whose option does not appear in {@code jvmArguments} with some value. */
    static List<String> missingJitOptions(List<String> jvmArguments) {
        List<String> missing = new ArrayList<>();
        for (String option : JIT_OPTIONS) {
            String name = option.substring(0, option.indexOf('=') + 1);
            if (jvmArguments.stream().noneMatch(a -> a.startsWith(name))) {
                missing.add(option);
            }
        }
        return missing;
    }

    /**
     * Runs {@code mainClass} with {@code args} in a child JVM that has {@link #MODULE}, the
     * signal-chaining library and the {@link #JIT_OPTIONS}, if this JVM lacks any of them and a
     * child can have them; returns the child's exit status, or empty when this JVM should run the
     * command itself.
     */
    public static OptionalInt relaunch(Class<?> mainClass, String[] args) {
        if (System.getenv(ENV) != null) {
            // The child: a parent killed outright (SIGKILL runs no shutdown hook) takes it along.
            ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(137)));
            return OptionalInt.empty();
        }
        boolean module = vectorModuleLoaded() || ModuleFinder.ofSystem().find(MODULE).isEmpty();
        List<String> jvmArguments = ManagementFactory.getRuntimeMXBean().getInputArguments();
        List<String> jit = missingJitOptions(jvmArguments);
        if (module && signalChainingLoaded() && jit.isEmpty()) {
            return OptionalInt.empty();
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (ModuleFinder.ofSystem().find(MODULE).isPresent()) {
            cmd.add("--add-modules=" + MODULE);
        }
        cmd.addAll(jit);
        cmd.addAll(jvmArguments);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().put(ENV, "1");
        Path jsig = signalChainingLibrary();
        if (jsig != null && !signalChainingLoaded()) {
            String preload = pb.environment().get("LD_PRELOAD");
            pb.environment().put("LD_PRELOAD", preload == null || preload.isBlank() ? jsig.toString() : jsig + ":" + preload);
        }
        Process child;
        try {
            child = pb.start();
        } catch (IOException e) {
            return OptionalInt.empty(); // no java binary beside this one: run here, on the scalar paths
        }
        Thread stop = new Thread(child::destroy);
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            return OptionalInt.of(child.waitFor());
        } catch (InterruptedException e) {
            child.destroy();
            Thread.currentThread().interrupt();
            return OptionalInt.of(130);
        }
    }
}
