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

/**
 * The one OpenCL context of a device in this JVM, with its in-order command queue and the
 * programs built in it: every {@link OpenClBackend} on the device shares them.
 *
 * <p>They are never released: the operating system reclaims them when the process ends. Opening
 * and releasing a PoCL context per backend (each {@code auto} timing, each test class) left the
 * driver's worker threads and its per-context state to be torn down while the JVM went on with
 * other work, the pattern behind the SIGSEGVs without an hs_err file seen after {@code auto} had
 * timed PoCL (issue 14); a release at JVM exit would race the same way with PoCL's own exit
 * handlers. Keeping one context per device bounds what is held to one context, one queue and the
 * compiled programs (a few MiB), and no OpenCL object that queued work may touch is ever freed
 * except device buffers, which their owners close after the queue has finished.
 */
final class ClContext {
    private static final Map<Integer, ClContext> BY_DEVICE = new HashMap<>();

    final ClDevice device;
    final cl_context context;
    final cl_command_queue queue;
    private final Map<String, cl_program> programs = new HashMap<>();

    private ClContext(ClDevice device) {
        this.device = device;
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
