package ntklc.backend.opencl;

import static org.jocl.CL.CL_CONTEXT_PLATFORM;
import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;
import static org.jocl.CL.clBuildProgram;
import static org.jocl.CL.clCreateCommandQueueWithProperties;
import static org.jocl.CL.clCreateContext;
import static org.jocl.CL.clCreateProgramWithSource;
import static org.jocl.CL.clGetProgramBuildInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_program;

import ntklc.tensor.Notices;

/**
 * The one OpenCL context of a device in this JVM, with its in-order command queue and the
 * programs built in it: every {@link OpenClBackend} on the device shares them.
 *
 * <p>They are never released: the operating system reclaims them when the process ends. Each
 * {@code auto} timing and each test class used to create and release a PoCL context; keeping one
 * per device bounds what is held to one context, one queue and the compiled programs (a few MiB),
 * builds each program once, and frees no OpenCL object that queued work may touch except device
 * buffers, which their owners close after the queue has finished. A release at JVM exit would only
 * race with the driver's own exit handlers.
 *
 * <p>NOTE: the SIGSEGVs of issue 14 (exit 139, no hs_err) were not a release race: PoCL's LLVM
 * replaces the JVM's SIGSEGV handler when the driver loads (see {@code ntklc.cli.Launcher}, which
 * preloads HotSpot's {@code libjsig} to keep the JVM's handlers first). A context created without it
 * is announced once through {@link Notices}.
 */
final class ClContext {
    private static final Map<Integer, ClContext> BY_DEVICE = new HashMap<>();

    final ClDevice device;
    final cl_context context;
    final cl_command_queue queue;
    private final Map<String, cl_program> programs = new HashMap<>();

    private ClContext(ClDevice device) {
        this.device = device;
        String preload = System.getenv("LD_PRELOAD");
        if (System.getProperty("os.name", "").startsWith("Linux") && (preload == null || !preload.contains("libjsig"))) {
            Notices.once("note: OpenCL runs without HotSpot's signal chaining; drivers built on LLVM (PoCL) replace the"
                    + " JVM's SIGSEGV handler and can crash it: start java with LD_PRELOAD=$JAVA_HOME/lib/libjsig.so"
                    + " (java -jar target/ntk-lc.jar does so itself)");
        }
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL_CONTEXT_PLATFORM, device.platform());
        context = clCreateContext(props, 1, new cl_device_id[] {device.id()}, null, null, null);
        queue = clCreateCommandQueueWithProperties(context, device.id(), null, null);
    }

    /** The context of {@code device}, created at the first call for its index and kept for the JVM's life. */
    static synchronized ClContext of(ClDevice device) {
        return BY_DEVICE.computeIfAbsent(device.index(), i -> new ClContext(device));
    }

    /** Number of contexts this JVM has created (one per device used; for tests). */
    static synchronized int count() {
        return BY_DEVICE.size();
    }

    /** The program of {@code kernels/<file>} built with {@code options}, built once per context. */
    synchronized cl_program program(String file, String options) {
        return programs.computeIfAbsent(file + "|" + options, key -> build(file, options));
    }

    private cl_program build(String file, String options) {
        String source;
        try (InputStream in = ClContext.class.getResourceAsStream("/kernels/" + file)) {
            if (in == null) {
                throw new IllegalStateException("kernel source kernels/" + file + " is not on the classpath");
            }
            source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        cl_program program = clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
        try {
            clBuildProgram(program, 1, new cl_device_id[] {device.id()}, options, null, null);
        } catch (CLException e) {
            long[] size = new long[1];
            clGetProgramBuildInfo(program, device.id(), CL_PROGRAM_BUILD_LOG, 0, null, size);
            byte[] log = new byte[(int) size[0]];
            clGetProgramBuildInfo(program, device.id(), CL_PROGRAM_BUILD_LOG, log.length, Pointer.to(log), null);
            throw new IllegalStateException("building kernels/" + file + " failed: " + new String(log, StandardCharsets.UTF_8), e);
        }
        return program;
    }
}
