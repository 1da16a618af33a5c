package ntklc.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * Makes {@code java -jar target/ntk-lc.jar <command>} work as typed: the SIMD kernels of
 * {@code ntklc.linalg} (and the fast matrix multiply of {@code ntklc.tensor}) need the incubator
 * module {@code jdk.incubator.vector}, which Java resolves only when asked with
 * {@code --add-modules}. When the running JVM lacks it but its runtime image has it, the command
 * starts again in a child JVM with the same JVM options plus {@code --add-modules
 * jdk.incubator.vector}, the same classpath, main class and arguments, standard streams inherited,
 * and exits with the child's status (the child is destroyed if this JVM is stopped).
 *
 * <p>Chosen over scalar fallbacks for every SIMD path because it is one mechanism for all of them,
 * keeps a single (fast) code path in the numerical kernels, and costs only a second JVM start
 * (about 0.3 s). The variable {@value #ENV} marks the child, so a runtime that still refuses the
 * module can never loop; there the scalar matrix multiply announces itself and the SIMD linear
 * algebra reports one error line.
 */
public final class Launcher {
    /** The incubator module of the Vector API. */
    public static final String MODULE = "jdk.incubator.vector";
    /** Set in the child's environment. */
    static final String ENV = "NTKLC_RELAUNCHED";

    private Launcher() {
    }

    /** Whether the running JVM has resolved {@link #MODULE}. */
    public static boolean vectorModuleLoaded() {
        return ModuleLayer.boot().findModule(MODULE).isPresent();
    }

    /**
     * Runs {@code mainClass} with {@code args} in a child JVM that has {@link #MODULE}, if this JVM
     * lacks it and can get it; returns the child's exit status, or empty when this JVM should run
     * the command itself (it has the module, or no child can have it).
     */
    public static OptionalInt relaunchWithVectorModule(Class<?> mainClass, String[] args) {
        if (vectorModuleLoaded() || System.getenv(ENV) != null || ModuleFinder.ofSystem().find(MODULE).isEmpty()) {
            return OptionalInt.empty();
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-modules=" + MODULE);
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().put(ENV, "1");
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
