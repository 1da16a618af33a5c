package ntklc.cli;

import java.util.function.Consumer;

import ntklc.backend.Backend;
import ntklc.backend.DeviceUnavailableException;
import ntklc.backend.Devices;

/**
 * The shared {@code --device=auto|cpu|opencl[:N]} option: declare it with {@link #addOption}, then
 * open the chosen backend ({@link #open}) or route a command's matrix products
 * ({@link #routeMatrixProducts}) through {@link Devices}, which takes the typed
 * {@link Devices.Request}. A bad spelling or a missing OpenCL device becomes a one-line
 * {@link UserError} naming the option.
 */
public final class DeviceOption {
    /** The option name. */
    public static final String OPTION = "device";

    private DeviceOption() {
    }

    /** Declares {@code --device} with default {@code auto}; returns {@code spec} (Modified). */
    public static OptionSpec addOption(OptionSpec spec) {
        return spec.add(OPTION, "auto", "compute device: auto (an OpenCL device where a timing finds it faster, else cpu), cpu (pure Java),"
                + " or opencl[:N] (OpenCL device N, default 0)");
    }

    /** The device {@code --device} names. */
    public static Devices.Request request(ParsedOptions o) {
        String text = o.getString(OPTION);
        try {
            return Devices.parse(text);
        } catch (IllegalArgumentException e) {
            throw o.bad(OPTION, text, "auto, cpu, opencl or opencl:N");
        }
    }

    /** Opens the backend named by {@code --device} and logs the choice ({@link Devices#open}). */
    public static Backend open(ParsedOptions o, Consumer<String> log) {
        return open(request(o), log);
    }

    /** Opens the requested backend and logs the choice ({@link Devices#open}). */
    public static Backend open(Devices.Request request, Consumer<String> log) {
        try {
            return Devices.open(request, log);
        } catch (DeviceUnavailableException e) {
            throw unavailable(request, e);
        }
    }

    /** Routes the command's matrix products by {@code --device} ({@link Devices#routeMatrixProducts}). */
    public static Devices.Route routeMatrixProducts(ParsedOptions o, Consumer<String> log) {
        Devices.Request request = request(o);
        try {
            return Devices.routeMatrixProducts(request, log);
        } catch (DeviceUnavailableException e) {
            throw unavailable(request, e);
        }
    }

    private static UserError unavailable(Devices.Request request, DeviceUnavailableException e) {
        return new UserError("--device=opencl:" + request.index() + ": " + e.getMessage()
                + " (install an OpenCL driver, e.g. Debian's pocl-opencl-icd, or use --device=cpu)");
    }
}
