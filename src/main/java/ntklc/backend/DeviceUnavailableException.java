package ntklc.backend;

/**
 * An OpenCL device that was asked for explicitly cannot be opened (no driver, no such index). The
 * message is the OpenCL layer's reason; the caller knows which device it asked for and adds the remedy.
 */
public final class DeviceUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public DeviceUnavailableException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
