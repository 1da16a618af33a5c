package ntklc.backend;

import java.util.List;
import java.util.function.Consumer;

import ntklc.backend.opencl.ClDevice;
import ntklc.backend.opencl.OpenClBackend;
import ntklc.cli.OptionSpec;
import ntklc.cli.ParsedOptions;
import ntklc.cli.UserError;
import ntklc.tensor.Notices;

/**
 * The shared {@code --device=auto|cpu|opencl[:N]} option: declare it with {@link #addOption},
 * open the chosen backend with {@link #open(ParsedOptions, Consumer)}.
 *
 * <p>{@code auto} picks an OpenCL GPU or accelerator when one is present, and the pure-Java CPU
 * backend otherwise. An OpenCL <em>CPU</em> device (PoCL) runs on the same cores as the Java code
 * and measured slower than it for GEMM on the 2-core test machine (see {@code bench}), so
 * {@code auto} does not pick it; {@code --device=opencl} still does. The choice is reported
 * through the log callback (commands pass {@code System.err::println}).
 *
 * <p>This is the one class of {@code ntklc.backend} that knows the OpenCL implementation.
 */
public final class Devices {
    /** The option name. */
    public static final String OPTION = "device";

    private Devices() {
    }

    /** What the user asked for: {@code kind} is {@code auto}, {@code cpu} or {@code opencl}; {@code index} ≥ 0 for OpenCL. */
    public record Request(String kind, int index) {
    }

    /** Declares {@code --device} with default {@code auto}. */
    public static OptionSpec addOption(OptionSpec spec) {
        return spec.add(OPTION, "auto", "compute device: auto (an OpenCL GPU if present, else cpu), cpu (pure Java),"
                + " or opencl[:N] (OpenCL device N, default 0)");
    }

    /**
     * Parses the text of {@code --device}.
     *
     * @throws UserError on anything but {@code auto}, {@code cpu}, {@code opencl}, {@code opencl:N}
     */
    public static Request parse(String text) {
        String t = text.trim();
        if (t.equals("auto") || t.equals("cpu")) {
            return new Request(t, 0);
        }
        if (t.equals("opencl")) {
            return new Request("opencl", 0);
        }
        if (t.startsWith("opencl:")) {
            try {
                int index = Integer.parseInt(t.substring("opencl:".length()));
                if (index >= 0) {
                    return new Request("opencl", index);
                }
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new UserError("--device=" + text + " is not auto, cpu, opencl or opencl:N");
    }

    /** Opens the backend named by {@code --device} and logs the choice; installs {@code log} as the {@link Notices} listener. */
    public static Backend open(ParsedOptions options, Consumer<String> log) {
        return open(parse(options.getString(OPTION)), log);
    }

    /**
     * Opens the requested backend and logs which one runs.
     *
     * @throws UserError when an explicitly requested OpenCL device is missing
     */
    public static Backend open(Request request, Consumer<String> log) {
        Notices.setListener(log);
        Backend b = switch (request.kind()) {
            case "cpu" -> new CpuBackend();
            case "opencl" -> openCl(request.index());
            default -> auto(log);
        };
        log.accept("device: " + b.name());
        return b;
    }

    private static Backend openCl(int index) {
        try {
            return OpenClBackend.open(index);
        } catch (IllegalStateException e) {
            throw new UserError("--device=opencl:" + index + ": " + e.getMessage()
                    + " (install an OpenCL driver, e.g. Debian's pocl-opencl-icd, or use --device=cpu)");
        }
    }

    private static Backend auto(Consumer<String> log) {
        String[] why = new String[1];
        List<ClDevice> devices = ClDevice.list(why);
        for (ClDevice d : devices) {
            if (!d.isCpu()) {
                return OpenClBackend.open(d.index());
            }
        }
        log.accept("device: auto chose the Java CPU backend ("
                + (devices.isEmpty() ? why[0] : "only OpenCL CPU devices, slower than the Java kernels here") + ")");
        return new CpuBackend();
    }
}
