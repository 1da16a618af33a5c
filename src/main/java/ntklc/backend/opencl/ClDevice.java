package ntklc.backend.opencl;

import static org.jocl.CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE;
import static org.jocl.CL.CL_DEVICE_NAME;
import static org.jocl.CL.CL_DEVICE_TYPE;
import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.CL_DEVICE_TYPE_CPU;
import static org.jocl.CL.CL_PLATFORM_NAME;
import static org.jocl.CL.clGetDeviceIDs;
import static org.jocl.CL.clGetDeviceInfo;
import static org.jocl.CL.clGetPlatformIDs;
import static org.jocl.CL.clGetPlatformInfo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * One OpenCL device as listed by the installed ICDs: {@code index} is its position in the list
 * over all platforms (what {@code --device=opencl:N} names); {@code maxAllocBytes} is the largest
 * single buffer it allows ({@code CL_DEVICE_MAX_MEM_ALLOC_SIZE}: 1 GiB on PoCL unless
 * {@code POCL_MEMORY_LIMIT} raises it).
 */
public record ClDevice(int index, String platformName, String name, boolean isCpu, long maxAllocBytes,
                       cl_platform_id platform, cl_device_id id) {

    /**
     * Every OpenCL device of every platform, in platform order; empty when no OpenCL runtime is
     * installed (no {@code libOpenCL}, no ICD, or no platform). The reason for an empty list is
     * returned in {@code why[0]} when {@code why} is non-null.
     */
    public static List<ClDevice> list(String[] why) {
        List<ClDevice> out = new ArrayList<>();
        try {
            CL.setExceptionsEnabled(true);
            int[] count = new int[1];
            clGetPlatformIDs(0, null, count);
            cl_platform_id[] platforms = new cl_platform_id[count[0]];
            clGetPlatformIDs(count[0], platforms, null);
            for (cl_platform_id p : platforms) {
                int[] nd = new int[1];
                try {
                    clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 0, null, nd);
                } catch (RuntimeException e) {
                    continue; // a platform without devices
                }
                cl_device_id[] ids = new cl_device_id[nd[0]];
                clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, nd[0], ids, null);
                for (cl_device_id d : ids) {
                    long[] type = new long[1];
                    clGetDeviceInfo(d, CL_DEVICE_TYPE, Sizeof.cl_long, Pointer.to(type), null);
                    long[] maxAlloc = new long[1];
                    clGetDeviceInfo(d, CL_DEVICE_MAX_MEM_ALLOC_SIZE, Sizeof.cl_long, Pointer.to(maxAlloc), null);
                    out.add(new ClDevice(out.size(), platformString(p), deviceString(d),
                            (type[0] & CL_DEVICE_TYPE_CPU) != 0, maxAlloc[0], p, d));
                }
            }
            if (out.isEmpty() && why != null) {
                why[0] = "no OpenCL device found (" + platforms.length + " platforms)";
            }
        } catch (RuntimeException | LinkageError e) {
            if (why != null) {
                why[0] = "no OpenCL runtime (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
            }
            out.clear();
        }
        return out;
    }

    private static String platformString(cl_platform_id p) {
        long[] size = new long[1];
        clGetPlatformInfo(p, CL_PLATFORM_NAME, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        clGetPlatformInfo(p, CL_PLATFORM_NAME, buf.length, Pointer.to(buf), null);
        return cString(buf);
    }

    private static String deviceString(cl_device_id d) {
        long[] size = new long[1];
        clGetDeviceInfo(d, CL_DEVICE_NAME, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        clGetDeviceInfo(d, CL_DEVICE_NAME, buf.length, Pointer.to(buf), null);
        return cString(buf);
    }

    private static String cString(byte[] buf) {
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, StandardCharsets.UTF_8).trim();
    }

    /** E.g. {@code opencl:0 (pthread-skylake-avx512, Portable Computing Language, CPU)}. */
    public String describe() {
        return "opencl:" + index + " (" + name + ", " + platformName + (isCpu ? ", CPU" : "") + ")";
    }
}
