package ntklc.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import ntklc.activation.Activations;
import ntklc.activation.PiecewiseConstant;
import ntklc.cli.ParsedOptions;
import ntklc.compression.packed.LevelPlanes;
import ntklc.compression.packed.PopcountKernel;
import ntklc.compression.packed.TernaryLayer;
import ntklc.compression.packed.TernaryMatrix;
import ntklc.nn.Initializer;
import ntklc.report.Table;
import ntklc.tensor.MatMul;
import ntklc.tensor.Parallel;
import ntklc.tensor.Tensor;

/**
 * {@code bench --op=ternary}: one hidden layer of shape {@code N,D_IN,D_OUT} (batch, inputs,
 * outputs) with binary input, ternary weights of sparsity ε and a σ_T activation, three ways in
 * the same process, alternating, repetition by repetition:
 * <ul>
 *   <li>{@code dense}: the float GEMM {@code H·Wᵀ} of the dense engine ({@code N×D_IN · D_IN×D_OUT});</li>
 *   <li>{@code packed}: the engine's layer ({@link TernaryLayer#apply}: counts by the kernel of the
 *       weights' form, then thresholds, output bits);</li>
 *   <li>{@code popcount}: the counts alone by {@code Long.bitCount} per word ({@link PopcountKernel}).</li>
 * </ul>
 * {@code ratio} = dense median / this median. The input bits are i.i.d. with P(1) = 1/2 (what σ_T
 * gives at the balanced thresholds of Algorithm 1).
 */
final class TernaryBench {
    private TernaryBench() {
    }

    static Table run(ParsedOptions o, int[] shape, double epsilon, int repeats, SplittableRandom rng) {
        int n = shape[0];
        int dIn = shape[1];
        int dOut = shape[2];
        Initializer.SparseTernary law = new Initializer.SparseTernary(epsilon, false);
        TernaryMatrix t = TernaryMatrix.sample(law, dOut, dIn, rng);
        PiecewiseConstant sigma = (PiecewiseConstant) Activations.binaryZero(-0.5, 0.5, 1);
        TernaryLayer layer = new TernaryLayer(t, LevelPlanes.of(sigma), 0.5, sigma);
        int nBlk = (n + 63) / 64;
        int words = t.words();
        long[] sliced = new long[dIn * nBlk];
        long[] rows = new long[n * words];
        Tensor h = Tensor.zeros(n, dIn);
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < dIn; i++) {
                if (rng.nextBoolean()) {
                    sliced[i * nBlk + s / 64] |= 1L << s;
                    rows[s * words + i / 64] |= 1L << i;
                    h.data()[s * dIn + i] = 1;
                }
            }
        }
        Tensor wT = t.denseTransposed();
        long[] plus = t.plusPlane();
        long[] minus = t.signsOnly() ? null : t.minusPlane();
        List<Runnable> bodies = List.of(() -> MatMul.matmul(h, wT), () -> layer.apply(new long[][] {sliced}, nBlk, n),
                () -> PopcountKernel.counts(rows, n, plus, minus, dOut, words));
        String[] passes = {"dense", "packed", "popcount"};
        double[][] seconds = alternate(bodies, repeats);
        String label = n + "x" + dIn + "x" + dOut;
        double load = load1();
        Table table = new Table("op", "pass", "shape", "epsilon", "form", "threads", "median_seconds", "ratio", "load1",
                "weight_bytes");
        double dense = Bench.median(seconds[0]);
        for (int k = 0; k < passes.length; k++) {
            double m = Bench.median(seconds[k]);
            long bytes = k == 0 ? 4L * dIn * dOut : t.residentBytes();
            table.add("ternary", passes[k], label, epsilon, t.form().spelling(), Parallel.threads(), m, dense / m, load, bytes);
            System.err.printf(Locale.ROOT, "ternary %s %s ε=%s: %.4f s (median of %d), %.1f× the dense GEMM%n", passes[k],
                    label, epsilon, m, repeats, dense / m);
        }
        return table;
    }

    /** Wall seconds {@code [body][repetition]}: one warm-up round, then the bodies alternating round by round. */
    private static double[][] alternate(List<Runnable> bodies, int repeats) {
        double[][] seconds = new double[bodies.size()][repeats];
        for (int r = -1; r < repeats; r++) { // r = −1: warm-up
            for (int k = 0; k < bodies.size(); k++) {
                long t0 = System.nanoTime();
                bodies.get(k).run();
                if (r >= 0) {
                    seconds[k][r] = (System.nanoTime() - t0) / 1e9;
                }
            }
        }
        return seconds;
    }

    /**
     * {@code bench --op=ternary --levels=K} (K ≥ 3): one hidden layer whose input is a K-level
     * staircase activation (one-hot planes, {@code LevelPlanes}), the input levels i.i.d. uniform
     * over the K levels, three ways in the same process, alternating: {@code dense} the float GEMM;
     * {@code counts} the exact per-plane counts ({@code TernaryLayer.Path.COUNTS}, K − 1 binary
     * layers); {@code additions} the decoded levels added across samples
     * ({@code TernaryLayer.Path.ADDITIONS}). The levels and thresholds are not uniformly spaced
     * (the staircases the solver returns are not either); the timing depends on K, not on them.
     */
    static Table runLevels(int[] shape, double epsilon, int k, int repeats, SplittableRandom rng) {
        int n = shape[0];
        int dIn = shape[1];
        int dOut = shape[2];
        Initializer.SparseTernary law = new Initializer.SparseTernary(epsilon, false);
        TernaryMatrix t = TernaryMatrix.sample(law, dOut, dIn, rng);
        double[] thresholds = new double[k - 1];
        double[] levels = new double[k];
        levels[0] = -1.3;
        for (int i = 0; i < k - 1; i++) {
            thresholds[i] = -1.5 + 3.0 * (i + 1) * (i + 1) / (k * k);
            levels[i + 1] = levels[i] + 0.2 + 0.1 * i;
        }
        PiecewiseConstant input = (PiecewiseConstant) Activations.staircase(thresholds, levels);
        PiecewiseConstant sigma = (PiecewiseConstant) Activations.binaryZero(-0.5, 0.5, 1);
        LevelPlanes inPlanes = LevelPlanes.of(input);
        double centring = 0.1;
        TernaryLayer counts = new TernaryLayer(t, inPlanes, centring, sigma, TernaryLayer.Path.COUNTS);
        TernaryLayer additions = new TernaryLayer(t, inPlanes, centring, sigma, TernaryLayer.Path.ADDITIONS);
        TernaryLayer gemm = new TernaryLayer(t, inPlanes, centring, sigma, TernaryLayer.Path.GEMM);
        int nBlk = (n + 63) / 64;
        long[][] sliced = new long[k - 1][dIn * nBlk];
        Tensor h = Tensor.zeros(n, dIn);
        double scale = 1 / Math.sqrt(dIn);
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < dIn; i++) {
                int code = rng.nextInt(k);
                if (code > 0) {
                    sliced[code - 1][i * nBlk + s / 64] |= 1L << s;
                }
                h.data()[s * dIn + i] = (float) ((inPlanes.levelOfCode(code) - centring) * scale);
            }
        }
        Tensor wT = t.denseTransposed();
        List<Runnable> bodies = List.of(() -> MatMul.matmul(h, wT), () -> counts.apply(sliced, nBlk, n),
                () -> additions.apply(sliced, nBlk, n), () -> gemm.apply(sliced, nBlk, n));
        String[] passes = {"dense", "counts", "additions", "gemm"};
        double[][] seconds = alternate(bodies, repeats);
        String label = n + "x" + dIn + "x" + dOut;
        double load = load1();
        Table table = new Table("op", "pass", "shape", "epsilon", "levels", "form", "threads", "median_seconds", "ratio",
                "load1", "weight_bytes");
        double dense = Bench.median(seconds[0]);
        for (int p = 0; p < passes.length; p++) {
            double m = Bench.median(seconds[p]);
            long bytes = p == 0 ? 4L * dIn * dOut : t.residentBytes();
            table.add("ternary", passes[p], label, epsilon, k, t.form().spelling(), Parallel.threads(), m, dense / m, load,
                    bytes);
            System.err.printf(Locale.ROOT, "ternary %s %s ε=%s K=%d: %.4f s (median of %d), %.2f× the dense GEMM%n",
                    passes[p], label, epsilon, k, m, repeats, dense / m);
        }
        return table;
    }

    /**
     * {@code bench --op=ternary-network --shape=N,P,D_1,…,D_L}: the whole forward pass of an NTK-LC
     * network (σ_T on layers 1..L−1, σ_Q on layer L, ternary weights of sparsity ε) on N Gaussian
     * inputs of dimension P, dense engine ({@code RandomFeatureNetwork.features}, float GEMMs)
     * against packed engine ({@code PackedNetwork.packedFeatures}), the same network (same seed),
     * alternating, forward batch 512. Reports wall and process CPU seconds (the CPU ratio is the
     * steadier one on a shared machine); the readout is not included.
     */
    static Table runNetwork(int[] shape, double epsilon, int repeats, SplittableRandom rng) {
        return runNetwork(shape, epsilon, null, repeats, rng);
    }

    /**
     * As above; with a {@code variant}, the chain is that NTK-LC variant's solution for ReLU on
     * every layer at τ0 of the inputs ({@link ntklc.compression.NtkLcSolver#solve}, 3 restarts per
     * layer, e.g. the 16-level staircases of {@code tau-matched-4bit}).
     */
    static Table runNetwork(int[] shape, double epsilon, ntklc.compression.LastLayerVariant variant, int repeats,
                            SplittableRandom rng) {
        int n = shape[0];
        int p = shape[1];
        int[] widths = java.util.Arrays.copyOfRange(shape, 2, shape.length);
        Tensor x = Tensor.zeros(n, p);
        for (int k = 0; k < x.size(); k++) {
            x.data()[k] = (float) (rng.nextGaussian() / Math.sqrt(p));
        }
        double tau0 = ntklc.compression.RandomFeatureNetwork.tau0(x);
        List<ntklc.activation.Activation> chain = new java.util.ArrayList<>();
        if (variant == null) {
            for (int l = 0; l < widths.length - 1; l++) {
                chain.add(Activations.binaryZero(-0.6137, 0.5821, 1));
            }
            chain.add(Activations.binaryLast(-1.1173, -0.2951, 0.3533, 1.2089, 1, -0.8));
        } else {
            List<ntklc.activation.Activation> relu = java.util.Collections.nCopies(widths.length, Activations.relu());
            chain.addAll(ntklc.compression.NtkLcSolver.solve(relu, tau0, variant, 3, rng.split()).compressedChain());
        }
        Initializer law = new Initializer.SparseTernary(epsilon, false);
        long seed = rng.nextLong();
        ntklc.compression.RandomFeatureNetwork dense = ntklc.compression.RandomFeatureNetwork.sample(p, widths, chain, law,
                tau0, new SplittableRandom(seed));
        ntklc.compression.packed.PackedNetwork packed = ntklc.compression.packed.PackedNetwork.sample(p, widths, chain,
                law, tau0, new SplittableRandom(seed));
        List<Runnable> bodies = List.of(() -> dense.features(x, 512), () -> packed.packedFeatures(x, 512));
        String[] passes = {"dense", "packed"};
        double[][] wall = new double[2][repeats];
        double[][] cpu = new double[2][repeats];
        warmUp(bodies.get(1));
        for (int r = -1; r < repeats; r++) { // r = −1: warm-up
            for (int k = 0; k < 2; k++) {
                long c0 = processCpuNanos();
                long t0 = System.nanoTime();
                bodies.get(k).run();
                if (r >= 0) {
                    wall[k][r] = (System.nanoTime() - t0) / 1e9;
                    cpu[k][r] = (processCpuNanos() - c0) / 1e9;
                }
            }
        }
        StringBuilder label = new StringBuilder();
        for (int v : shape) {
            label.append(label.length() == 0 ? "" : "x").append(v);
        }
        String forms = packed.layers().stream().map(l -> l.weights().form().spelling())
                .collect(java.util.stream.Collectors.joining(";"));
        String paths = packed.paths().stream().map(Enum::name).map(v -> v.toLowerCase(Locale.ROOT))
                .collect(java.util.stream.Collectors.joining(";"));
        Table table = new Table("op", "pass", "shape", "epsilon", "variant", "form", "paths", "threads", "median_seconds",
                "ratio", "median_cpu_seconds", "cpu_ratio", "load1", "weight_bytes");
        double denseWall = Bench.median(wall[0]);
        double denseCpu = Bench.median(cpu[0]);
        double load = load1();
        for (int k = 0; k < 2; k++) {
            double mw = Bench.median(wall[k]);
            double mc = Bench.median(cpu[k]);
            long bytes = k == 0 ? dense.residentBytes() : packed.residentBytes();
            table.add("ternary-network", passes[k], label.toString(), epsilon, variant == null ? "" : variant.spelling(),
                    k == 0 ? "float32" : forms, k == 0 ? "" : paths, Parallel.threads(), mw, denseWall / mw, mc,
                    denseCpu / mc, load, bytes);
            System.err.printf(Locale.ROOT, "ternary-network %s %s ε=%s: %.3f s wall, %.3f s CPU (median of %d); %.1f× / %.1f×"
                    + " the dense engine%n", passes[k], label, epsilon, mw, mc, repeats, denseWall / mw, denseCpu / mc);
        }
        return table;
    }

    /**
     * Runs a short body again and again, for {@link #WARM_UP_NANOS} or 50 times, whichever ends first
     * (at least twice): one warm-up
     * round left the packed pass (0.1–0.4 s) measured while the JIT compilers were still working on
     * its kernels, on the same two cores, and counted their CPU time in the process's.
     */
    private static void warmUp(Runnable body) {
        long t0 = System.nanoTime();
        for (int r = 0; r < 2 || r < 50 && System.nanoTime() - t0 < WARM_UP_NANOS; r++) {
            body.run();
        }
    }

    /** Time spent warming up the packed pass before the alternating rounds. */
    private static final long WARM_UP_NANOS = 5_000_000_000L;

    /** CPU time of this process (all threads), nanoseconds; NaN-free fallback to 0 where unavailable. */
    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    /** The 1-minute load average (NaN where /proc/loadavg is absent). */
    static double load1() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** N,D_IN,D_OUT ({@code layers} = false) or N,P,D_1,…,D_L (true). */
    static int[] parseShape(ParsedOptions o, boolean layers) {
        String text = o.isGiven("shape") ? o.getString("shape").trim() : layers ? "2048,784,5000,5000,2000" : "1024,5000,5000";
        String[] f = text.split(",");
        int[] s = new int[f.length];
        try {
            if (layers ? f.length < 3 : f.length != 3) {
                throw new NumberFormatException();
            }
            for (int i = 0; i < f.length; i++) {
                s[i] = Integer.parseInt(f[i].trim());
                if (s[i] < 1) {
                    throw new NumberFormatException();
                }
            }
        } catch (NumberFormatException e) {
            throw o.bad("shape", text, layers ? "N,P,D_1,…,D_L (positive integers) for --op=ternary-network"
                    : "N,D_IN,D_OUT (three positive integers) for --op=ternary");
        }
        for (int i = 1; i + 1 < s.length; i++) {
            if ((long) s[i] * s[i + 1] > Integer.MAX_VALUE - 8 || (long) s[0] * s[i] > Integer.MAX_VALUE - 8) {
                throw o.bad("shape", text, "layers with fewer than 2^31 weights and inputs");
            }
        }
        return s;
    }

}
