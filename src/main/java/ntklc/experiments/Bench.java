package ntklc.experiments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import ntklc.backend.Backend;
import ntklc.backend.Devices;
import ntklc.backend.DeviceTensor;
import ntklc.backend.cpu.Conv3x3;
import ntklc.cli.Cli;
import ntklc.cli.Command;
import ntklc.cli.DeviceOption;
import ntklc.cli.Footprint;
import ntklc.cli.OptionSpec;
import ntklc.cli.ParsedOptions;
import ntklc.cli.UserError;
import ntklc.linalg.Matrix;
import ntklc.linalg.SymmetricEigen;
import ntklc.report.RunFolder;
import ntklc.report.Table;
import ntklc.tensor.Parallel;
import ntklc.tensor.Tensor;

/**
 * {@code bench}: median throughput of the compute kernels, optionally side by side with PyTorch.
 *
 * <ul>
 *   <li>{@code --op=matmul}: {@code C = A·B} for square {@code n×n} matrices, GFLOP/s = {@code 2n³} / median seconds.</li>
 *   <li>{@code --op=conv}: 3×3/stride-1/pad-1 convolution of {@code --shape=N,C,H,W,K}; forward, backward
 *       data and backward weights timed separately ({@code 2·N·K·C·9·H·W} flops each) and together
 *       ({@code all}: three times that).</li>
 *   <li>{@code --op=eigh}: the symmetric eigensolver ({@link SymmetricEigen}) on a random symmetric
 *       {@code n×n} matrix at each of {@code --sizes}, once for the full decomposition (pass
 *       {@code full}) and once for eigenvalues only (pass {@code values}); median seconds (compare
 *       with {@code numpy.linalg.eigh} / {@code eigvalsh}; the gflops column is NaN because the QL
 *       work depends on the matrix).</li>
 * </ul>
 * {@code --device} picks the backend ({@link Devices}); {@code --compare=torch} runs
 * {@code docs/bench/torch_bench.py} on the same shapes (with {@code OPENBLAS_CORETYPE} and
 * {@code OPENBLAS_L2_SIZE} removed from its environment) and adds its GFLOP/s and the ratio.
 * Results: {@code bench.csv} (columns {@code op, pass, shape, device, threads, median_seconds,
 * gflops} and, when comparing, {@code torch_gflops, ratio}).
 */
public final class Bench implements Command {
    /** The VGG19 layer shapes at batch 64 on 32×32 CIFAR-10 images (docs/theory.md §1.4): N,C,H,W,K. */
    static final String VGG_SHAPES = "64,3,32,32,64 64,64,32,32,64 64,64,16,16,128 64,128,16,16,128 "
            + "64,128,8,8,256 64,256,8,8,256 64,256,4,4,512 64,512,4,4,512 64,512,2,2,512";

    /** Most timed repetitions: a median of a million is already exact to the timer's noise. */
    static final int MAX_REPEATS = 1_000_000;

    public static void main(String[] args) {
        Cli.runAndExit(new Bench(), args);
    }

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "median GFLOP/s of the compute kernels (matmul, 3×3 convolution), optionally against PyTorch";
    }

    @Override
    public OptionSpec options() {
        OptionSpec spec = new OptionSpec()
                .add("op", "matmul", "operation to time: matmul | conv | eigh (symmetric eigensolver, CPU, double)")
                .add("sizes", "256,512,1024,2048", "matmul, eigh: matrix sizes n (n×n · n×n; n×n symmetric)")
                .add("shape", "64,64,32,32,64", "conv: N,C,H,W,K (batch, input channels, height, width, output channels);"
                        + " several shapes separated by ';', or 'vgg19' for the VGG19 layer shapes at batch 64");
        DeviceOption.addOption(spec);
        return spec
                .add("repeats", "7", "timed repetitions per shape (after warm-up); the median is reported")
                .add("compare", "none", "none | torch: also run docs/bench/torch_bench.py on the same shapes and print the ratio")
                .add("python", "/usr/bin/python3", "python interpreter with torch, for --compare=torch")
                .add("seed", "1", "seed of the random inputs")
                .flag("dry-run", "tiny shapes and one repetition (a smoke test)")
                .add("out", "", "run folder (default out/bench-<timestamp>)");
    }

    /** One timing: what was timed, its flops and the median seconds. */
    private record Timing(String op, String pass, String shape, double flops, double seconds) {
    }

    /**
     * Dominant allocations ({@link Footprint}) of the largest case: matmul, five {@code n×n} floats
     * (A, B, C and the host copies of A and B); eigh, four {@code n×n} doubles (the matrix, the
     * solver's working copy, the tridiagonal eigenvectors and the back-transformed ones); conv, three
     * {@code N×C×H×W} and three {@code N×K×H×W} floats (x, dx, host x; y, dy, host dy).
     */
    @Override
    public Footprint footprint(ParsedOptions o) {
        String op = o.getChoice("op", "matmul", "conv", "eigh");
        if (o.getBoolean("dry-run")) {
            return Footprint.none();
        }
        Footprint f = Footprint.none();
        if (op.equals("conv")) {
            long in = 0;
            long out = 0;
            for (int[] s : parseShapes(o)) {
                long hw = (long) s[2] * s[3];
                in = Math.max(in, (long) s[0] * s[1] * hw);
                out = Math.max(out, (long) s[0] * s[4] * hw);
            }
            return f.add("the convolution inputs (N×C×H×W)", 3, in, Float.BYTES, "a smaller --shape")
                    .add("the convolution outputs (N×K×H×W)", 3, out, Float.BYTES, "a smaller --shape");
        }
        long n = 0;
        for (int size : o.getIntList("sizes")) {
            n = Math.max(n, size);
        }
        return op.equals("eigh") ? f.doubles("the symmetric matrix and its eigenvectors (n×n)", 4, n, n, "smaller --sizes")
                : f.floats("the matrices A, B, C (n×n)", 5, n, n, "smaller --sizes");
    }

    @Override
    public int run(ParsedOptions o) {
        String op = o.getChoice("op", "matmul", "conv", "eigh");
        String compare = o.getChoice("compare", "none", "torch");
        if (op.equals("eigh") && compare.equals("torch")) {
            throw new UserError("bench: --compare=torch is for matmul and conv; time numpy.linalg.eigh by hand");
        }
        boolean dry = o.getBoolean("dry-run");
        int repeats = dry ? 1 : o.getInt("repeats");
        if (repeats < 1) {
            throw o.bad("repeats", String.valueOf(repeats), "a positive integer");
        }
        if (repeats > MAX_REPEATS) {
            throw o.bad("repeats", String.valueOf(repeats), "at most " + MAX_REPEATS);
        }
        int[] sizes = dry ? new int[] {16, 33} : o.getIntList("sizes");
        if (sizes.length == 0 && !op.equals("conv")) {
            throw o.bad("sizes", "", "a list of one or more sizes");
        }
        for (int n : sizes) {
            if (n < 1 || n > 16384) {
                throw o.bad("sizes", o.getString("sizes"), "a list of sizes between 1 and 16384");
            }
        }
        List<int[]> shapes = dry ? List.of(new int[] {2, 3, 5, 4, 5}) : parseShapes(o);
        double warmup = dry ? 0 : WARMUP_SECONDS;
        Devices.Request device = DeviceOption.request(o);
        SplittableRandom rng = new SplittableRandom(o.getLong("seed"));
        RunFolder run = RunFolder.create(o.getString("out"), name());
        run.writeConfig(o.effective());

        List<Timing> timings = new ArrayList<>();
        String deviceName;
        try (Backend backend = DeviceOption.open(device, System.err::println)) {
            deviceName = backend.name();
            if (op.equals("matmul")) {
                for (int n : sizes) {
                    timings.add(timeMatmul(backend, n, repeats, warmup, rng));
                }
            } else if (op.equals("eigh")) {
                for (int n : sizes) {
                    timings.addAll(timeEigh(n, repeats, rng));
                }
            } else {
                for (int[] s : shapes) {
                    timings.addAll(timeConv(backend, s, repeats, warmup, rng));
                }
            }
        }
        Map<String, Double> torch = compare.equals("torch")
                ? runTorch(o, op, sizes, shapes, repeats) : Map.of();

        List<String> columns = new ArrayList<>(List.of("op", "pass", "shape", "device", "threads", "median_seconds", "gflops"));
        if (!torch.isEmpty()) {
            columns.addAll(List.of("torch_gflops", "ratio"));
        }
        Table table = new Table(columns);
        for (Timing t : timings) {
            double gflops = t.flops() / t.seconds() / 1e9;
            List<Object> row = new ArrayList<>(List.of(t.op(), t.pass(), t.shape(), deviceName, Parallel.threads(),
                    t.seconds(), gflops));
            if (!torch.isEmpty()) {
                Double tg = torch.get(t.op() + "|" + t.pass() + "|" + t.shape());
                row.add(tg == null ? Double.NaN : tg);
                row.add(tg == null ? Double.NaN : gflops / tg);
            }
            table.add(row.toArray());
        }
        run.writeCsv("bench.csv", table);
        System.out.print(table.format(4));
        System.out.println(run.dir());
        return 0;
    }

    private static List<int[]> parseShapes(ParsedOptions o) {
        String text = o.getString("shape").trim();
        if (text.equals("vgg19")) {
            text = VGG_SHAPES.replace(' ', ';');
        }
        List<int[]> out = new ArrayList<>();
        for (String part : text.split(";")) {
            String[] f = part.trim().split(",");
            int[] s = new int[5];
            if (f.length != 5) {
                throw o.bad("shape", o.getString("shape"), "N,C,H,W,K (five positive integers), ';'-separated, or vgg19");
            }
            for (int i = 0; i < 5; i++) {
                try {
                    s[i] = Integer.parseInt(f[i].trim());
                } catch (NumberFormatException e) {
                    throw o.bad("shape", o.getString("shape"), "N,C,H,W,K (five positive integers)");
                }
                if (s[i] < 1) {
                    throw o.bad("shape", o.getString("shape"), "N,C,H,W,K (five positive integers)");
                }
            }
            if ((long) s[0] * Math.max(s[1], s[4]) * s[2] * s[3] > (1L << 28)) {
                throw o.bad("shape", o.getString("shape"), "a shape with at most 2^28 elements per tensor");
            }
            out.add(s);
        }
        return out;
    }

    private static String shapeLabel(int[] s) {
        return s[0] + "x" + s[1] + "x" + s[2] + "x" + s[3] + "x" + s[4];
    }

    private static Timing timeMatmul(Backend backend, int n, int repeats, double warmup, SplittableRandom rng) {
        double flops = 2.0 * n * n * n;
        try (DeviceTensor a = backend.upload(random(rng, n, n)); DeviceTensor b = backend.upload(random(rng, n, n));
             DeviceTensor c = backend.zeros(n, n)) {
            double s = median(repeats, 2, warmup, backend, () -> backend.gemm(false, false, a, b, c, false));
            System.err.printf(Locale.ROOT, "matmul n=%d: %.1f GFLOP/s (median of %d)%n", n, flops / s / 1e9, repeats);
            return new Timing("matmul", "forward", String.valueOf(n), flops, s);
        }
    }

    /**
     * Times {@link SymmetricEigen#full} and {@link SymmetricEigen#eigenvalues} on {@code (B + Bᵀ)/2},
     * B uniform on [−1, 1]; the first run of each is JIT warm-up and not counted.
     */
    private static List<Timing> timeEigh(int n, int repeats, SplittableRandom rng) {
        Matrix a = Matrix.zeros(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double v = rng.nextDouble() * 2 - 1;
                a.set(i, j, v);
                a.set(j, i, v);
            }
        }
        List<Timing> out = new ArrayList<>();
        for (boolean full : new boolean[] {true, false}) {
            double[] seconds = new double[repeats];
            for (int r = -1; r < repeats; r++) {
                long t0 = System.nanoTime();
                if (full) {
                    SymmetricEigen.full(a);
                } else {
                    SymmetricEigen.eigenvalues(a);
                }
                if (r >= 0) {
                    seconds[r] = (System.nanoTime() - t0) / 1e9;
                }
            }
            Arrays.sort(seconds);
            double median = repeats % 2 == 1 ? seconds[repeats / 2] : 0.5 * (seconds[repeats / 2 - 1] + seconds[repeats / 2]);
            String pass = full ? "full" : "values";
            System.err.printf(Locale.ROOT, "eigh %s n=%d: %.3f s (median of %d)%n", pass, n, median, repeats);
            out.add(new Timing("eigh", pass, String.valueOf(n), Double.NaN, median));
        }
        return out;
    }

    private static List<Timing> timeConv(Backend backend, int[] s, int repeats, double warmup, SplittableRandom rng) {
        int n = s[0];
        int c = s[1];
        int h = s[2];
        int w = s[3];
        int k = s[4];
        double flops = Conv3x3.flops(n, c, h, w, k);
        String label = shapeLabel(s);
        List<Timing> out = new ArrayList<>();
        try (DeviceTensor x = backend.upload(random(rng, n, c, h, w)); DeviceTensor wt = backend.upload(random(rng, k, c, 3, 3));
             DeviceTensor dy = backend.upload(random(rng, n, k, h, w)); DeviceTensor y = backend.zeros(n, k, h, w);
             DeviceTensor dx = backend.zeros(n, c, h, w); DeviceTensor dw = backend.zeros(k, c, 3, 3)) {
            Runnable fwd = () -> backend.conv3x3Forward(x, wt, y);
            Runnable bwdData = () -> backend.conv3x3BackwardData(dy, wt, dx);
            Runnable bwdWeights = () -> backend.conv3x3BackwardWeights(x, dy, dw);
            out.add(new Timing("conv", "forward", label, flops, median(repeats, 2, warmup, backend, fwd)));
            out.add(new Timing("conv", "backward_data", label, flops, median(repeats, 2, warmup, backend, bwdData)));
            out.add(new Timing("conv", "backward_weights", label, flops, median(repeats, 2, warmup, backend, bwdWeights)));
            out.add(new Timing("conv", "all", label, 3 * flops, median(repeats, 1, warmup, backend, () -> {
                fwd.run();
                bwdData.run();
                bwdWeights.run();
            })));
        }
        for (Timing t : out) {
            System.err.printf(Locale.ROOT, "conv %s %s: %.1f GFLOP/s (median of %d)%n", label, t.pass(),
                    t.flops() / t.seconds() / 1e9, repeats);
        }
        return out;
    }

    /** Seconds of warm-up before timing: HotSpot needs ~1–2 s of a kernel before C2 has compiled its hot loops. */
    static final double WARMUP_SECONDS = 1.5;

    /**
     * Median wall seconds of {@code body} over {@code repeats} runs, after at least {@code warmup}
     * runs and {@code warmupSeconds} of warm-up ({@link #WARMUP_SECONDS} except in a dry run), waiting for the
     * device each time.
     */
    private static double median(int repeats, int warmup, double warmupSeconds, Backend backend, Runnable body) {
        long start = System.nanoTime();
        for (int i = 0; i < warmup || (System.nanoTime() - start) / 1e9 < warmupSeconds && i < 1000; i++) {
            body.run();
            backend.finish();
        }
        double[] seconds = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            long t0 = System.nanoTime();
            body.run();
            backend.finish();
            seconds[r] = (System.nanoTime() - t0) / 1e9;
        }
        return median(seconds);
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }

    /**
     * Runs {@code docs/bench/torch_bench.py} once per shape list and returns GFLOP/s keyed by
     * {@code op|pass|shape}. A missing script, interpreter or torch is a {@link UserError}.
     */
    private static Map<String, Double> runTorch(ParsedOptions o, String op, int[] sizes, List<int[]> shapes, int repeats) {
        Path script = Path.of("docs", "bench", "torch_bench.py");
        if (!Files.isRegularFile(script)) {
            throw new UserError("bench: --compare=torch needs " + script + " (run from the repository root)");
        }
        List<List<String>> calls = new ArrayList<>();
        String threads = String.valueOf(Parallel.threads());
        if (op.equals("matmul")) {
            calls.add(List.of("--op=matmul", "--sizes=" + String.join(",", Arrays.stream(sizes).mapToObj(String::valueOf).toList())));
        } else {
            for (int[] s : shapes) {
                calls.add(List.of("--op=conv", "--shape=" + s[0] + "," + s[1] + "," + s[2] + "," + s[3] + "," + s[4]));
            }
        }
        Map<String, Double> out = new HashMap<>();
        for (List<String> call : calls) {
            List<String> cmd = new ArrayList<>(List.of(o.getString("python"), script.toString()));
            cmd.addAll(call);
            cmd.add("--repeats=" + repeats);
            cmd.add("--threads=" + threads);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
            // Debian's OpenBLAS must pick its own kernel and cache sizes: these variables (set on the
            // test machine) would pin it to a slower code path.
            pb.environment().remove("OPENBLAS_CORETYPE");
            pb.environment().remove("OPENBLAS_L2_SIZE");
            String text;
            int status;
            try {
                Process p = pb.start();
                text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                status = p.waitFor();
            } catch (IOException e) {
                throw new UserError("bench: cannot run " + cmd.get(0) + " for --compare=torch: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UncheckedIOException(new IOException("interrupted while waiting for torch_bench.py"));
            }
            if (status != 0) {
                throw new UserError("bench: torch_bench.py failed (exit " + status + "); is python3-torch installed?"
                        + " (apt-get install -y python3-torch libopenblas0-pthread)");
            }
            for (String line : text.split("\n")) {
                String[] f = line.trim().split(",");
                if (f.length == 6 && !f[0].equals("op")) {
                    out.put(f[0] + "|" + f[1] + "|" + f[2], Double.parseDouble(f[5]));
                }
            }
        }
        return out;
    }

    private static Tensor random(SplittableRandom rng, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return t;
    }
}
