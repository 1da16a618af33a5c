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
import ntklc.activation.Activations;
import ntklc.data.Dataset;
import ntklc.linalg.Matrix;
import ntklc.linalg.SymmetricEigen;
import ntklc.nn.Adam;
import ntklc.nn.Initializer;
import ntklc.nn.Mlp;
import ntklc.nn.Sequential;
import ntklc.nn.Trainer;
import ntklc.report.RunFolder;
import ntklc.spectral.MonteCarloKernels;
import ntklc.report.Table;
import ntklc.tensor.MatMul;
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
 *   <li>{@code --op=gemm}: every CPU GEMM variant of {@link MatMul#variants} (gemm0 reference up to
 *       n = 512, gemm1 scalar, gemm2/gemm3 vector) on {@code n×n}, timed in alternating rounds.</li>
 *   <li>{@code --op=e1}: one Monte-Carlo draw of E1 (n = 3200, p = 784, widths 2000,2000,1000,
 *       ReLU³; paper Fig. 2, docs/theory.md §8.1).</li>
 *   <li>{@code --op=mlp}: one epoch of the 784-512-512-10 MLP, batch 128, Adam.</li>
 *   <li>{@code --op=all}: matmul at {@code --sizes}, conv on the nine VGG19 shapes, eigh at
 *       {@code --eigh-sizes}, e1 and mlp, in one table.</li>
 * </ul>
 * {@code --device} picks the backend ({@link Devices}); {@code --compare=torch} runs
 * {@code docs/bench/torch_bench.py} on the same shapes right after each op (with
 * {@code OPENBLAS_CORETYPE} and {@code OPENBLAS_L2_SIZE} removed from its environment and
 * {@code OPENBLAS_NUM_THREADS} set to the Java thread count; eigh runs numpy's LAPACK) and adds its
 * median seconds, GFLOP/s and the ratio {@code torch_seconds / median_seconds} (above 1: Java is
 * faster; for the flop-counted ops this is the GFLOP/s ratio). With conv, a last row {@code sum}
 * holds the total seconds of all shapes' {@code all} passes. The first line printed names the CPU,
 * its caches and the GEMM tiles ({@link MatMul#tilesDescription}); {@code --retune} re-times the
 * tiles first ({@link MatMul#retune}).
 * Results: {@code bench.csv} (columns {@code op, pass, shape, device, threads, median_seconds,
 * gflops} and, when comparing, {@code torch_seconds, torch_gflops, ratio}).
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
        return "median GFLOP/s of the compute kernels (matmul, 3×3 convolution, eigensolver, E1 draw, MLP epoch), optionally against PyTorch/numpy";
    }

    @Override
    public OptionSpec options() {
        OptionSpec spec = new OptionSpec()
                .add("op", "matmul", "operation to time: matmul | gemm (every CPU GEMM variant, alternating) | conv"
                        + " | eigh (symmetric eigensolver, CPU, double) | e1 (one Monte-Carlo draw of E1) | mlp (one"
                        + " MNIST-shaped MLP epoch) | all (matmul, the VGG19 convs, eigh, e1, mlp in one table)"
                        + " | ternary (packed ternary layer against the dense GEMM) | ternary-network (whole NTK-LC"
                        + " forward pass, packed against dense engine)")
                .add("epsilon", "0", "ternary: sparsity ε of the weights")
                .add("levels", "2", "ternary: distinct levels K of the layer's input activation (2: σ_T, one bit plane;"
                        + " 3 to 16: a staircase, timed on the exact per-plane counts, on the additions of decoded levels and on the GEMM of decoded levels)")
                .add("variant", "", "ternary-network: an NTK-LC variant (e.g. best, tau-matched-4bit) whose chain, solved for"
                        + " ReLU on every layer, the network uses (default: σ_T hidden layers, σ_Q last)")
                .add("sizes", "256,512,1024,2048", "matmul, gemm, eigh: matrix sizes n (n×n · n×n; n×n symmetric)")
                .add("eigh-sizes", "2000,4000", "all: the eigensolver's sizes n (--sizes is then matmul's)")
                .add("shape", "64,64,32,32,64", "conv: N,C,H,W,K (batch, input channels, height, width, output channels);"
                        + " several shapes separated by ';', or 'vgg19' for the VGG19 layer shapes at batch 64");
        DeviceOption.addOption(spec);
        return spec
                .add("repeats", "7", "timed repetitions per shape (after warm-up); the median is reported")
                .add("compare", "none", "none | torch: also run docs/bench/torch_bench.py on the same shapes and print the ratio")
                .add("python", "/usr/bin/python3", "python interpreter with torch, for --compare=torch")
                .add("seed", "1", "seed of the random inputs")
                .flag("dry-run", "tiny shapes and one repetition (a smoke test)")
                .flag("retune", "re-time the GEMM register tile and block sizes for this CPU and store them"
                        + " under the user's cache folder (~/.cache/ntk-lc), then benchmark with them")
                .add("out", "", "run folder (default out/bench-<timestamp>)");
    }

    /** One timing: what was timed, its flops and the median seconds. */
    private record Timing(String op, String pass, String shape, double flops, double seconds) {
    }

    /**
     * Dominant allocations ({@link Footprint}) of the largest case: the matrix ops (matmul, gemm,
     * e1, mlp, ternary…), five {@code n×n} floats at the largest {@code --sizes} (A, B, C and the host
     * copies of A and B); eigh, four {@code n×n} doubles (the matrix, the
     * solver's working copy, the tridiagonal eigenvectors and the back-transformed ones); conv, three
     * {@code N×C×H×W} and three {@code N×K×H×W} floats (x, dx, host x; y, dy, host dy); all, each.
     */
    @Override
    public Footprint footprint(ParsedOptions o) {
        String op = o.getString("op").trim();
        if (o.getBoolean("dry-run")) {
            return Footprint.none();
        }
        Footprint f = Footprint.none();
        if (op.equals("conv") || op.equals("all")) {
            long in = 0;
            long out = 0;
            for (int[] s : parseShapes(o, op.equals("all") ? "vgg19" : o.getString("shape"))) {
                long hw = (long) s[2] * s[3];
                in = Math.max(in, (long) s[0] * s[1] * hw);
                out = Math.max(out, (long) s[0] * s[4] * hw);
            }
            f.add("the convolution inputs (N×C×H×W)", 3, in, Float.BYTES, "a smaller --shape")
                    .add("the convolution outputs (N×K×H×W)", 3, out, Float.BYTES, "a smaller --shape");
        }
        if (op.equals("eigh") || op.equals("all")) {
            String option = op.equals("all") ? "eigh-sizes" : "sizes";
            long n = 0;
            for (int size : checkSizes(o, option)) {
                n = Math.max(n, size);
            }
            f.doubles("the symmetric matrix and its eigenvectors (n×n)", 4, n, n, "smaller --" + option);
        }
        if (!op.equals("conv") && !op.equals("eigh")) {
            long n = 0;
            for (int size : checkSizes(o, "sizes")) {
                n = Math.max(n, size);
            }
            f.floats("the matrices A, B, C (n×n)", 5, n, n, "smaller --sizes");
        }
        return f;
    }

    @Override
    public int run(ParsedOptions o) {
        String op = o.getChoice("op", "matmul", "gemm", "conv", "eigh", "e1", "mlp", "all", "ternary", "ternary-network");
        if (op.startsWith("ternary")) {
            return runTernary(o);
        }
        String compare = o.getChoice("compare", "none", "torch");
        if (op.equals("gemm") && compare.equals("torch")) {
            throw new UserError("bench: --op=gemm compares the project's own GEMM variants; use --op=matmul --compare=torch");
        }
        boolean dry = o.getBoolean("dry-run");
        int repeats = dry ? 1 : o.getInt("repeats");
        if (repeats < 1) {
            throw o.bad("repeats", String.valueOf(repeats), "a positive integer");
        }
        if (repeats > MAX_REPEATS) {
            throw o.bad("repeats", String.valueOf(repeats), "at most " + MAX_REPEATS);
        }
        int[] sizes = dry ? new int[] {16, 33} : checkSizes(o, "sizes");
        int[] eighSizes = dry ? new int[] {16, 33} : checkSizes(o, "eigh-sizes");
        List<int[]> shapes = dry ? List.of(new int[] {2, 3, 5, 4, 5})
                : op.equals("all") ? parseShapes(o, "vgg19") : parseShapes(o, o.getString("shape"));
        if (sizes.length == 0 && !op.equals("conv")) {
            throw o.bad("sizes", "", "a list of one or more sizes");
        }
        double warmup = dry ? 0 : WARMUP_SECONDS;
        Devices.Request device = DeviceOption.request(o);
        SplittableRandom rng = new SplittableRandom(o.getLong("seed"));
        if (o.getBoolean("retune")) {
            retune();
        }
        System.out.println("cpu: " + MatMul.tilesDescription());
        RunFolder run = RunFolder.create(o.getString("out"), name());
        run.writeConfig(o.effective());

        List<String> ops = op.equals("all") ? List.of("matmul", "conv", "eigh", "e1", "mlp") : List.of(op);
        List<Timing> timings = new ArrayList<>();
        Map<String, Double> torch = new HashMap<>();
        String deviceName;
        try (Backend backend = DeviceOption.open(device, System.err::println)) {
            deviceName = backend.name();
            for (String one : ops) {
                // Each op's PyTorch/numpy side runs right after the Java side, so that both see
                // about the same load on a shared machine.
                switch (one) {
                    case "matmul" -> {
                        for (int n : sizes) {
                            timings.add(timeMatmul(backend, n, repeats, warmup, rng));
                        }
                    }
                    case "gemm" -> {
                        for (int n : sizes) {
                            timings.addAll(timeGemmVariants(n, repeats, warmup, rng));
                        }
                    }
                    case "eigh" -> {
                        for (int n : op.equals("all") ? eighSizes : sizes) {
                            timings.addAll(timeEigh(backend, n, repeats, warmup, rng));
                        }
                    }
                    case "e1" -> timings.add(timeE1Draw(dry, repeats, rng));
                    case "mlp" -> timings.add(timeMlpEpoch(dry, repeats, rng));
                    default -> {
                        for (int[] s : shapes) {
                            timings.addAll(timeConv(backend, s, repeats, warmup, rng));
                        }
                    }
                }
                if (compare.equals("torch")) {
                    torch.putAll(runTorch(o, one, one.equals("eigh") && op.equals("all") ? eighSizes : sizes, shapes, dry, repeats));
                }
            }
        }

        List<String> columns = new ArrayList<>(List.of("op", "pass", "shape", "device", "threads", "median_seconds", "gflops"));
        if (!torch.isEmpty()) {
            columns.addAll(List.of("torch_seconds", "torch_gflops", "ratio"));
        }
        Table table = new Table(columns);
        double javaSum = 0;
        double torchSum = 0;
        for (Timing t : timings) {
            double gflops = t.flops() / t.seconds() / 1e9;
            List<Object> row = new ArrayList<>(List.of(t.op(), t.pass(), t.shape(), deviceName, Parallel.threads(),
                    t.seconds(), gflops));
            if (!torch.isEmpty()) {
                Double ts = torch.get(t.op() + "|" + t.pass() + "|" + t.shape());
                double tsec = ts == null ? Double.NaN : ts;
                row.add(tsec);
                row.add(t.flops() / tsec / 1e9);
                row.add(tsec / t.seconds());
                if (t.op().equals("conv") && t.pass().equals("all") && ts != null) {
                    javaSum += t.seconds();
                    torchSum += tsec;
                }
            }
            table.add(row.toArray());
        }
        if (torchSum > 0) {
            // The sum over all conv shapes, as one row: total seconds of the three passes.
            table.add("conv", "all", "sum", deviceName, Parallel.threads(), javaSum, Double.NaN, torchSum, Double.NaN,
                    torchSum / javaSum);
        }
        run.writeCsv("bench.csv", table);
        System.out.print(table.format(4));
        System.out.println(run.dir());
        return 0;
    }

    /** {@code --op=ternary} and {@code --op=ternary-network} ({@link TernaryBench}): their own shapes and CSV. */
    private int runTernary(ParsedOptions o) {
        boolean dry = o.getBoolean("dry-run");
        boolean network = o.getString("op").equals("ternary-network");
        int[] shape = dry ? (network ? new int[] {70, 30, 130, 65} : new int[] {70, 130, 65}) : TernaryBench.parseShape(o, network);
        double epsilon = o.getDouble("epsilon");
        if (!(epsilon >= 0 && epsilon < 1)) {
            throw o.bad("epsilon", o.getString("epsilon"), "a sparsity in [0, 1)");
        }
        int repeats = dry ? 1 : o.getInt("repeats");
        if (repeats < 1) {
            throw o.bad("repeats", String.valueOf(repeats), "a positive integer");
        }
        RunFolder run = RunFolder.create(o.getString("out"), name());
        run.writeConfig(o.effective());
        SplittableRandom rng = new SplittableRandom(o.getLong("seed"));
        int levels = o.getInt("levels");
        if (levels < 2 || levels > ntklc.compression.packed.LevelPlanes.MAX_PLANES + 1) {
            throw o.bad("levels", String.valueOf(levels), "an integer from 2 to " + (ntklc.compression.packed.LevelPlanes.MAX_PLANES + 1));
        }
        ntklc.compression.LastLayerVariant variant = null;
        if (!o.getString("variant").isBlank()) {
            try {
                variant = ntklc.compression.LastLayerVariant.parse(o.getString("variant"));
            } catch (IllegalArgumentException e) {
                throw o.bad("variant", o.getString("variant"), e.getMessage());
            }
        }
        Table table = network ? TernaryBench.runNetwork(shape, epsilon, variant, repeats, rng)
                : levels > 2 ? TernaryBench.runLevels(shape, epsilon, levels, repeats, rng)
                : TernaryBench.run(o, shape, epsilon, repeats, rng);
        run.writeCsv("bench.csv", table);
        System.out.print(table.format(4));
        System.out.println(run.dir());
        return 0;
    }

    private static int[] checkSizes(ParsedOptions o, String option) {
        int[] sizes = o.getIntList(option);
        for (int n : sizes) {
            if (n < 1 || n > 16384) {
                throw o.bad(option, o.getString(option), "a list of sizes between 1 and 16384");
            }
        }
        return sizes;
    }

    private static List<int[]> parseShapes(ParsedOptions o, String given) {
        String text = given.trim();
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

    /** {@code bench --retune}: {@link MatMul#retune}, progress on stderr. */
    private static void retune() {
        try {
            MatMul.retune(System.err::println);
        } catch (IOException e) {
            throw new UserError("bench: cannot store the GEMM tuning: " + e.getMessage());
        } catch (IllegalStateException e) {
            throw new UserError("bench: " + e.getMessage());
        }
    }

    /** Largest n at which the reference GEMM (gemm0, a plain triple loop) is timed. */
    static final int REFERENCE_MAX_N = 512;

    /**
     * Every GEMM variant of {@link MatMul#variants} on {@code C = A·B}, {@code n×n}, all cores,
     * timed in alternating rounds (one run of each variant per round) so that a change in the
     * machine's load hits all of them alike; the reference only up to {@link #REFERENCE_MAX_N}.
     * The pass column holds the variant's name and description.
     */
    private static List<Timing> timeGemmVariants(int n, int repeats, double warmup, SplittableRandom rng) {
        float[] a = random(rng, n, n).data();
        float[] b = random(rng, n, n).data();
        float[] c = new float[n * n];
        List<MatMul.Kernel> kernels = new ArrayList<>();
        for (MatMul.Kernel k : MatMul.variants()) {
            if (!k.name().equals("gemm0") || n <= REFERENCE_MAX_N) {
                kernels.add(k);
            }
        }
        List<Runnable> bodies = new ArrayList<>();
        for (MatMul.Kernel k : kernels) {
            bodies.add(() -> k.multiplyAdd(n, n, n, a, 0, n, 1, b, 0, n, 1, c, 0, n, true));
        }
        double[][] seconds = alternating(bodies, repeats, warmup);
        double flops = 2.0 * n * n * n;
        List<Timing> out = new ArrayList<>();
        for (int i = 0; i < kernels.size(); i++) {
            double s = median(seconds[i]);
            String pass = kernels.get(i).name() + " " + kernels.get(i).description();
            System.err.printf(Locale.ROOT, "gemm n=%d %s: %.1f GFLOP/s (median of %d)%n", n, pass, flops / s / 1e9, repeats);
            out.add(new Timing("gemm", pass, String.valueOf(n), flops, s));
        }
        return out;
    }

    /**
     * Runs each body at least twice and for {@code warmupSeconds} in all, then {@code repeats}
     * rounds of one timed run of each body in turn; returns the seconds, {@code [body][round]}.
     */
    static double[][] alternating(List<Runnable> bodies, int repeats, double warmupSeconds) {
        long start = System.nanoTime();
        for (int i = 0; i < 2 || (System.nanoTime() - start) / 1e9 < warmupSeconds && i < 1000; i++) {
            bodies.forEach(Runnable::run);
        }
        double[][] seconds = new double[bodies.size()][repeats];
        for (int r = 0; r < repeats; r++) {
            for (int i = 0; i < bodies.size(); i++) {
                long t0 = System.nanoTime();
                bodies.get(i).run();
                seconds[i][r] = (System.nanoTime() - t0) / 1e9;
            }
        }
        return seconds;
    }

    /** E1's sizes (paper §4, Fig. 2; docs/theory.md §8.1): n samples, p features, widths d_1..d_3. */
    static final int E1_N = 3200;
    static final int E1_P = 784;
    static final int[] E1_WIDTHS = {2000, 2000, 1000};

    /**
     * One Monte-Carlo draw of E1's conjugate kernel ({@link MonteCarloKernels#conjugateKernel}:
     * three ReLU layers with N(0, 1) weights, centred, {@code 1/√d}, Gram accumulated in double) on
     * {@code n×p} Gaussian data with rows of unit norm ({@code τ0 = 1}); the median over draws
     * {@code 3 … repeats+2} of one run (the first two are JIT warm-up). Flops: the three layer
     * products plus a full {@code n×n} Gram, as the PyTorch script does it.
     */
    private static Timing timeE1Draw(boolean dry, int repeats, SplittableRandom rng) {
        int n = dry ? 40 : E1_N;
        int p = dry ? 20 : E1_P;
        int[] widths = dry ? new int[] {30, 30, 10} : E1_WIDTHS;
        Tensor x = random(rng, n, p);
        float[] xd = x.data();
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (int j = 0; j < p; j++) {
                norm += (double) xd[i * p + j] * xd[i * p + j];
            }
            for (int j = 0; j < p; j++) {
                xd[i * p + j] /= (float) Math.sqrt(norm);
            }
        }
        int warm = 2;
        long[] at = new long[warm + repeats + 1];
        at[0] = System.nanoTime();
        MonteCarloKernels.conjugateKernel(x, 1.0, Activations.parseChain("relu,relu,relu"), widths,
                Initializer.Gaussian.standard(), warm + repeats, new SplittableRandom(rng.nextLong()),
                r -> at[r] = System.nanoTime());
        double[] seconds = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            seconds[r] = (at[warm + r + 1] - at[warm + r]) / 1e9;
        }
        double s = median(seconds);
        double flops = 2.0 * n * n * widths[widths.length - 1];
        int fanIn = p;
        for (int d : widths) {
            flops += 2.0 * n * fanIn * d;
            fanIn = d;
        }
        String label = n + "x" + p + "x" + String.join("-", Arrays.stream(widths).mapToObj(String::valueOf).toList());
        System.err.printf(Locale.ROOT, "e1 draw %s: %.3f s (median of %d)%n", label, s, repeats);
        return new Timing("e1", "draw", label, flops, s);
    }

    /**
     * One training epoch of the 784-512-512-10 ReLU MLP (biases, Kaiming init), batch 128, Adam
     * (lr 1e-3), on 60000 samples of MNIST's shape with uniform pixels and random labels (the work
     * does not depend on the values); median over {@code min(repeats, 3)} epochs after one
     * 50-batch warm-up. Flops: forward + two backward products per layer.
     */
    private static Timing timeMlpEpoch(boolean dry, int repeats, SplittableRandom rng) {
        int samples = dry ? 512 : 60000;
        Tensor x = Tensor.zeros(samples, 784);
        float[] xd = x.data();
        for (int i = 0; i < xd.length; i++) {
            xd[i] = (float) rng.nextDouble();
        }
        int[] labels = new int[samples];
        for (int i = 0; i < samples; i++) {
            labels[i] = rng.nextInt(10);
        }
        Dataset train = new Dataset(x, labels, 10);
        Sequential model = Mlp.builder(784, 10).hidden(512, 512).build(rng);
        Trainer trainer = new Trainer(model, new Adam(model.parameters(), 1e-3), 128);
        Trainer.Listener quiet = new Trainer.Listener() { };
        trainer.epoch(0, train, 50, rng, quiet);
        int epochs = Math.min(repeats, 3);
        double[] seconds = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            seconds[e] = trainer.epoch(e + 1, train, Integer.MAX_VALUE, rng, quiet).seconds();
        }
        double s = median(seconds);
        System.err.printf(Locale.ROOT, "mlp epoch 784-512-512-10: %.3f s (median of %d)%n", s, epochs);
        double flops = 3 * 2.0 * samples * (784 * 512 + 512 * 512 + 512 * 10);
        return new Timing("mlp", "epoch", "784-512-512-10", flops, s);
    }

    /**
     * Times {@link SymmetricEigen#full} and {@link SymmetricEigen#eigenvalues} on {@code (B + Bᵀ)/2},
     * B uniform on [−1, 1], each warmed up like every other op (at least one call and
     * {@code warmup} seconds): one call alone left the values path at n = 2000 well short of its
     * steady state after the full path had run (0.99, 0.72, 0.65, 0.61, 0.56 s on successive calls,
     * 2-core AMD EPYC).
     */
    private static List<Timing> timeEigh(Backend backend, int n, int repeats, double warmup, SplittableRandom rng) {
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
            double median = median(repeats, 1, warmup, backend, full ? () -> SymmetricEigen.full(a)
                    : () -> SymmetricEigen.eigenvalues(a));
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
     * Runs {@code docs/bench/torch_bench.py} for one op (once per shape for conv) and returns the
     * median seconds keyed by {@code op|pass|shape}. A missing script, interpreter or torch is a
     * {@link UserError}.
     */
    private static Map<String, Double> runTorch(ParsedOptions o, String op, int[] sizes, List<int[]> shapes, boolean dry,
                                                int repeats) {
        Path script = Path.of("docs", "bench", "torch_bench.py");
        if (!Files.isRegularFile(script)) {
            throw new UserError("bench: --compare=torch needs " + script + " (run from the repository root)");
        }
        List<List<String>> calls = new ArrayList<>();
        String threads = String.valueOf(Parallel.threads());
        String sizeList = String.join(",", Arrays.stream(sizes).mapToObj(String::valueOf).toList());
        switch (op) {
            case "matmul", "eigh" -> calls.add(List.of("--op=" + op, "--sizes=" + sizeList));
            case "e1", "mlp" -> calls.add(dry ? List.of("--op=" + op, "--dry-run") : List.of("--op=" + op));
            default -> {
                for (int[] s : shapes) {
                    calls.add(List.of("--op=conv", "--shape=" + s[0] + "," + s[1] + "," + s[2] + "," + s[3] + "," + s[4]));
                }
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
            // test machine) would pin it to a slower code path. numpy's LAPACK gets the same threads.
            pb.environment().remove("OPENBLAS_CORETYPE");
            pb.environment().remove("OPENBLAS_L2_SIZE");
            pb.environment().put("OPENBLAS_NUM_THREADS", threads);
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
                    out.put(f[0] + "|" + f[1] + "|" + f[2], Double.parseDouble(f[4]));
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
