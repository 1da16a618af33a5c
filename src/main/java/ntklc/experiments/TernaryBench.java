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
 *   <li>{@code bitsliced}: the packed layer (counts and thresholds, {@link TernaryLayer}), the engine's kernel;</li>
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
        List<Runnable> bodies = List.of(() -> MatMul.matmul(h, wT), () -> layer.apply(sliced, nBlk, n),
                () -> PopcountKernel.counts(rows, n, plus, minus, dOut, words));
        String[] passes = {"dense", "bitsliced", "popcount"};
        double[][] seconds = new double[passes.length][repeats];
        for (int r = -1; r < repeats; r++) { // r = −1: warm-up
            for (int k = 0; k < passes.length; k++) {
                long t0 = System.nanoTime();
                bodies.get(k).run();
                if (r >= 0) {
                    seconds[k][r] = (System.nanoTime() - t0) / 1e9;
                }
            }
        }
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

    /** The 1-minute load average (NaN where /proc/loadavg is absent). */
    static double load1() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** N,D_IN,D_OUT. */
    static int[] parseShape(ParsedOptions o) {
        String text = o.isGiven("shape") ? o.getString("shape").trim() : "1024,5000,5000";
        String[] f = text.split(",");
        int[] s = new int[3];
        try {
            if (f.length != 3) {
                throw new NumberFormatException();
            }
            for (int i = 0; i < 3; i++) {
                s[i] = Integer.parseInt(f[i].trim());
                if (s[i] < 1) {
                    throw new NumberFormatException();
                }
            }
        } catch (NumberFormatException e) {
            throw o.bad("shape", text, "N,D_IN,D_OUT (three positive integers) for --op=ternary");
        }
        if ((long) s[1] * s[2] > Integer.MAX_VALUE - 8 || (long) s[0] * s[1] > Integer.MAX_VALUE - 8) {
            throw o.bad("shape", text, "a layer with fewer than 2^31 weights and inputs");
        }
        return s;
    }

}
