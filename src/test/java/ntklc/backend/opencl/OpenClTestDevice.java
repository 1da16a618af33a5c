package ntklc.backend.opencl;

import java.util.List;

import org.junit.jupiter.api.Assumptions;

/**
 * Test support for the OpenCL parity tests: the device they run on (OpenCL device 0, or
 * {@code -Dntklc.opencl.device=N}), or a skipped test class, with the reason, when the machine has
 * no OpenCL device (CI installs {@code pocl-opencl-icd} so that they run on the CPU).
 */
public final class OpenClTestDevice {
    private OpenClTestDevice() {
    }

    /**
     * Opens the test device for a {@code @BeforeAll}; aborts the class (JUnit assumption) with
     * {@code skipMessage + reason} when no OpenCL device exists.
     */
    public static OpenClBackend openOrSkip(String skipMessage) {
        String[] why = new String[1];
        List<ClDevice> devices = ClDevice.list(why);
        Assumptions.assumeTrue(!devices.isEmpty(), () -> skipMessage + why[0]);
        return OpenClBackend.open(Integer.getInteger("ntklc.opencl.device", 0));
    }

    /** Releases a device from {@link #openOrSkip} in an {@code @AfterAll}; null (skipped class) is fine. */
    public static void close(OpenClBackend cl) {
        if (cl != null) {
            cl.close();
        }
    }
}
