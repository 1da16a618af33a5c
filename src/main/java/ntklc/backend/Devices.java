package ntklc.backend;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import ntklc.backend.opencl.ClDevice;
import ntklc.backend.opencl.OpenClBackend;
import ntklc.backend.opencl.OpenClGemm;
import ntklc.tensor.GemmOffload;
import ntklc.tensor.MatMul;
import ntklc.tensor.Notices;
import ntklc.tensor.Tensor;

/**
 * The compute device a command asked for ({@code auto}, {@code cpu}, {@code opencl[:N]}; the
 * command-line option {@code --device} is declared by {@code ntklc.cli.DeviceOption}): parse its
 * text with {@link #parse}, open the backend with {@link #open(Request, Consumer)} or route the
 * matrix products with {@link #routeMatrixProducts(Request, Consumer)}.
 *
 * <p>{@code auto} decides by timing, once per machine (the result is kept in {@link AutoCache}, keyed
 * by device, CPU model, threads and Java kernel; {@code NTKLC_AUTO_RETIME=1} times again): for whole
 * networks ({@link #open}) it takes the first OpenCL device (a GPU if there is one) only if a convolution training step runs
 * at least 1.25× faster there than on the Java backend; for the matrix products of the other commands
 * ({@link #routeMatrixProducts}) it routes each product by size. On the 2-core test machine the only
 * OpenCL device is PoCL on the same cores, slower than the Java kernels, so {@code auto} keeps
 * everything in Java there; {@code --device=opencl} still forces it. The choice and the timings are
 * reported through the log callback (commands pass {@code System.err::println}).
 *
 * <p>This class and its {@link AutoCache} are the only ones of {@code ntklc.backend} that know the
 * OpenCL implementation.
 */
public final class Devices {
    private Devices() {
    }

    /** What the user asked for: {@code kind} is {@code auto}, {@code cpu} or {@code opencl}; {@code index} ≥ 0 for OpenCL. */
    public record Request(String kind, int index) {
    }

    /**
     * Parses the spelling of a device.
     *
     * @throws IllegalArgumentException on anything but {@code auto}, {@code cpu}, {@code opencl}, {@code opencl:N}
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
        throw new IllegalArgumentException("'" + text + "' is not a device (auto, cpu, opencl or opencl:N)");
    }

    /**
     * Opens the requested backend and logs which one runs; installs {@code log} as the
     * {@link Notices} listener.
     *
     * @throws DeviceUnavailableException when an explicitly requested OpenCL device is missing
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

    private static OpenClBackend openCl(int index) {
        try {
            return OpenClBackend.open(index);
        } catch (IllegalStateException e) {
            throw new DeviceUnavailableException(e.getMessage(), e);
        }
    }

    /** Per OpenCL device index: whether it ran the calibration convolution step faster than Java (once per process). */
    private static final Map<Integer, Boolean> CONV_FASTER = new HashMap<>();
    /** How much faster the device must be: a close call (PoCL on the same cores) stays on Java, whose timing is the noisier. */
    static final double MARGIN = 1.25;

    /**
     * The backend for whole networks ({@code train-vgg}, {@code features}): the first OpenCL device
     * (a GPU if there is one) when it runs a convolution training step at least {@link #MARGIN} times
     * faster than the Java backend, timed once per machine ({@link AutoCache}) on {@code 16×64×16×16 → 64} (forward and
     * both backward passes, median of three after warm-up); the Java CPU backend otherwise.
     */
    private static Backend auto(Consumer<String> log) {
        String[] why = new String[1];
        List<ClDevice> devices = ClDevice.list(why);
        if (devices.isEmpty()) {
            log.accept("device: auto chose the Java CPU backend (" + why[0] + ")");
            return new CpuBackend();
        }
        ClDevice chosen = devices.stream().filter(d -> !d.isCpu()).findFirst().orElse(devices.get(0));
        synchronized (CONV_FASTER) {
            String key = AutoCache.key("conv", chosen);
            Boolean known = CONV_FASTER.get(chosen.index());
            if (known == null) {
                known = AutoCache.get(key).map(v -> v.startsWith("faster")).orElse(null);
                if (known != null) {
                    log.accept("device: auto reused its earlier timing of " + chosen.describe() + " (" + AutoCache.file()
                            + "; " + AutoCache.RETIME_ENV + "=1 times again)");
                }
            }
            if (known == null || known) {
                // Opened only to time it (once per machine) or to use it: a device known to be slower stays closed.
                OpenClBackend cl = OpenClBackend.open(chosen.index());
                if (known == null) {
                    double java = convStepSeconds(new CpuBackend(), 1.0);
                    double device = convStepSeconds(cl, 0);
                    known = device * MARGIN < java;
                    String timing = String.format(Locale.ROOT, "Java %.1f ms, %s %.1f ms", java * 1e3, chosen.describe(),
                            device * 1e3);
                    log.accept("device: auto timed a 3×3 convolution training step (16×64×16×16 → 64): " + timing);
                    AutoCache.put(key, (known ? "faster" : "slower") + " (" + timing + ")");
                }
                CONV_FASTER.put(chosen.index(), known);
                if (known) {
                    return cl;
                }
                cl.close();
            }
            CONV_FASTER.put(chosen.index(), known);
        }
        log.accept("device: auto chose the Java CPU backend (faster than " + chosen.describe() + " on a convolution step)");
        return new CpuBackend();
    }

    /** Seconds ({@link #medianSeconds}) of one convolution forward + backward-data + backward-weights on {@code be}. */
    private static double convStepSeconds(Backend be, double warmSeconds) {
        SplittableRandom rng = new SplittableRandom(7);
        int n = 16;
        int c = 64;
        int hw = 16;
        float[] values = new float[n * c * hw * hw];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) rng.nextGaussian();
        }
        Tensor images = Tensor.wrap(values, n, c, hw, hw);
        Tensor filters = Tensor.wrap(Arrays.copyOf(values, c * c * 9), c, c, 3, 3);
        try (DeviceTensor x = be.upload(images); DeviceTensor w = be.upload(filters); DeviceTensor dy = be.upload(images);
             DeviceTensor y = be.zeros(n, c, hw, hw); DeviceTensor dx = be.zeros(n, c, hw, hw); DeviceTensor dw = be.zeros(c, c, 3, 3)) {
            return medianSeconds(() -> {
                be.conv3x3Forward(x, w, y);
                be.conv3x3BackwardData(dy, w, dx);
                be.conv3x3BackwardWeights(x, dy, dw);
                be.finish();
            }, warmSeconds);
        }
    }

    // ------------------------------------------------------------ matrix products of whole commands

    /** The routing installed by {@link #routeMatrixProducts}; closing restores the previous one. */
    public interface Route extends AutoCloseable {
        @Override
        void close();
    }

    /** Smallest product sent to an explicitly requested OpenCL device: below 64³ the transfers dominate on any device. */
    static final long EXPLICIT_MIN_MULTIPLY_ADDS = 64L * 64 * 64;
    /** Square sizes at which {@code auto} times the Java kernel against an OpenCL device. */
    static final int[] CALIBRATION_SIZES = {256, 512, 1024};
    /** Measured thresholds per OpenCL device index ({@link Long#MAX_VALUE}: never faster), once per process. */
    private static final Map<Integer, Long> THRESHOLDS = new HashMap<>();

    /**
     * Routes the {@link MatMul} products of a command (MLP training, random-feature networks, kernels)
     * by the requested device: {@code cpu} keeps them on the Java kernel; {@code opencl[:N]} sends every
     * product of at least 64³ multiply-adds to OpenCL device N; {@code auto} times the Java kernel
     * against the first OpenCL device (a GPU if there is one) at n = 256, 512, 1024, including the
     * transfers, and sends a product to the device only from the smallest size at which the device
     * won at that size and every larger one, deciding at the first product of at least 64³ (after the
     * command has checked its options and data). The choice and the measurements are logged. Close the
     * result to restore the previous routing and release the device.
     */
    public static Route routeMatrixProducts(Request request, Consumer<String> log) {
        Notices.setListener(log);
        GemmOffload route;
        OpenClBackend explicit = null;
        if (request.kind().equals("cpu")) {
            return () -> { };
        } else if (request.kind().equals("opencl")) {
            explicit = openCl(request.index());
            route = new OpenClGemm(explicit, EXPLICIT_MIN_MULTIPLY_ADDS);
            log.accept("device: matrix products on " + route.describe() + ", smaller ones on cpu");
        } else {
            route = new AutoRoute(log);
        }
        GemmOffload previous = MatMul.setOffload(route);
        OpenClBackend opened = explicit;
        return () -> {
            MatMul.setOffload(previous);
            if (opened != null) {
                opened.close();
            }
            if (route instanceof AutoRoute auto) {
                auto.close();
            }
        };
    }

    /**
     * {@code auto} for matrix products, decided at the first product of at least 64³ multiply-adds
     * (so that option and data errors come before any device work): calibrate, then route.
     */
    private static final class AutoRoute implements GemmOffload {
        private final Consumer<String> log;
        private boolean decided;
        private OpenClBackend backend;
        private GemmOffload device;

        AutoRoute(Consumer<String> log) {
            this.log = log;
        }

        @Override
        public synchronized boolean wants(int m, int n, int k) {
            if ((long) m * n * k < EXPLICIT_MIN_MULTIPLY_ADDS) {
                return false;
            }
            if (!decided) {
                decided = true;
                decide();
            }
            return device != null && device.wants(m, n, k);
        }

        private void decide() {
            String[] why = new String[1];
            List<ClDevice> devices = ClDevice.list(why);
            if (devices.isEmpty()) {
                log.accept("device: auto kept matrix products on cpu (" + MatMul.kernelDescription() + "; " + why[0] + ")");
                return;
            }
            ClDevice chosen = devices.stream().filter(d -> !d.isCpu()).findFirst().orElse(devices.get(0));
            String slower = "device: auto kept matrix products on cpu (" + MatMul.kernelDescription() + "): "
                    + chosen.describe() + " was not faster at the largest calibration size";
            if (knownSlower(chosen)) {
                log.accept(slower + " (timed earlier: " + AutoCache.file() + "; " + AutoCache.RETIME_ENV
                        + "=1 times again)");
                return;
            }
            backend = OpenClBackend.open(chosen.index());
            long threshold = calibrate(chosen, backend, log);
            if (threshold == Long.MAX_VALUE) {
                backend.close();
                backend = null;
                log.accept(slower);
                return;
            }
            device = new OpenClGemm(backend, threshold);
            log.accept("device: matrix products on " + device.describe() + ", smaller ones on cpu");
        }

        @Override
        public void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
                         float[] c, int cOff, boolean accumulate) {
            device.gemm(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
        }

        @Override
        public String describe() {
            return device == null ? "cpu" : device.describe();
        }

        synchronized void close() {
            if (backend != null) {
                backend.close();
                backend = null;
                device = null;
            }
        }
    }

    /** Whether this process or an earlier run ({@link AutoCache}) found the device slower at every size. */
    private static synchronized boolean knownSlower(ClDevice device) {
        Long threshold = known(device);
        return threshold != null && threshold == Long.MAX_VALUE;
    }

    /** The threshold measured for {@code device} in this process or stored by an earlier run; null if none. */
    private static synchronized Long known(ClDevice device) {
        Long t = THRESHOLDS.get(device.index());
        if (t == null) {
            try {
                t = AutoCache.get(AutoCache.key("matmul", device)).map(v -> Long.parseLong(v.split(" ")[0])).orElse(null);
            } catch (NumberFormatException e) {
                t = null; // a damaged entry: time again
            }
            if (t != null) {
                THRESHOLDS.put(device.index(), t);
            }
        }
        return t;
    }

    private static synchronized long calibrate(ClDevice chosen, OpenClBackend backend, Consumer<String> log) {
        Long known = known(chosen);
        if (known != null) {
            return known;
        }
        int n = CALIBRATION_SIZES.length;
        double[] java = new double[n];
        double[] device = new double[n];
        OpenClGemm all = new OpenClGemm(backend, 1);
        GemmOffload previous = MatMul.setOffload(null);
        try {
            for (int i = 0; i < n; i++) {
                int size = CALIBRATION_SIZES[i];
                // HotSpot compiles the Java kernel only after some calls: half a second at the first size.
                java[i] = rate(size, null, i == 0 ? 0.5 : 0);
                device[i] = rate(size, all, 0);
            }
        } finally {
            MatMul.setOffload(previous);
        }
        long threshold = Long.MAX_VALUE;
        for (int i = n - 1; i >= 0 && device[i] > java[i]; i--) {
            threshold = (long) CALIBRATION_SIZES[i] * CALIBRATION_SIZES[i] * CALIBRATION_SIZES[i];
        }
        StringBuilder line = new StringBuilder("device: auto timed C = A·B (GFLOP/s, Java vs " + backend.name()
                + " with transfers):");
        for (int i = 0; i < n; i++) {
            line.append(String.format(Locale.ROOT, " n=%d %.0f vs %.0f;", CALIBRATION_SIZES[i], java[i], device[i]));
        }
        log.accept(line.substring(0, line.length() - 1));
        THRESHOLDS.put(chosen.index(), threshold);
        AutoCache.put(AutoCache.key("matmul", chosen), threshold + " (smallest m·n·k sent to the device; "
                + "GFLOP/s Java vs device:" + line.substring(line.indexOf("transfers):") + 11, line.length() - 1) + ")");
        return threshold;
    }

    /** GFLOP/s of an {@code n×n×n} product ({@link #medianSeconds}), on the Java kernel or on {@code device}. */
    private static double rate(int n, GemmOffload device, double warmSeconds) {
        SplittableRandom rng = new SplittableRandom(n);
        float[] a = new float[n * n];
        float[] b = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rng.nextGaussian();
            b[i] = (float) rng.nextGaussian();
        }
        float[] c = new float[n * n];
        Runnable product = device == null
                ? () -> MatMul.gemm(false, false, n, n, n, a, 0, b, 0, c, 0, false, true)
                : () -> device.gemm(false, false, n, n, n, a, 0, b, 0, c, 0, false);
        return 2.0 * n * n * n / medianSeconds(product, warmSeconds) / 1e9;
    }

    /**
     * Median wall seconds of three runs of {@code step}, after warming it up (JIT compilation,
     * OpenCL kernel builds) for at least three runs and at least {@code warmSeconds}.
     */
    private static double medianSeconds(Runnable step, double warmSeconds) {
        long warmUntil = System.nanoTime() + (long) (warmSeconds * 1e9);
        for (int r = 0; r < 3 || System.nanoTime() < warmUntil; r++) {
            step.run();
        }
        double[] seconds = new double[3];
        for (int r = 0; r < seconds.length; r++) {
            long t = System.nanoTime();
            step.run();
            seconds[r] = (System.nanoTime() - t) / 1e9;
        }
        Arrays.sort(seconds);
        return seconds[1];
    }
}
