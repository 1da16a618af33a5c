package ntklc.experiments;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

import ntklc.cli.Cli;
import ntklc.cli.Command;
import ntklc.cli.OptionSpec;
import ntklc.cli.ParsedOptions;
import ntklc.linalg.Matrix;
import ntklc.linalg.SymmetricEigen;
import ntklc.report.RunFolder;
import ntklc.report.Table;
import ntklc.tensor.MatMul;
import ntklc.tensor.Parallel;
import ntklc.tensor.Tensor;

/**
 * {@code bench}: median throughput of the compute kernels. {@code --op=matmul} times
 * {@code C = A·B} for square matrices and reports GFLOP/s = 2n³ / median seconds.
 * {@code --op=eigh} times the symmetric eigensolver ({@link SymmetricEigen}) on a random
 * symmetric n×n matrix, once for the full decomposition and once for eigenvalues only, and
 * reports median seconds (compare with {@code numpy.linalg.eigh} / {@code eigvalsh}).
 */
public final class Bench implements Command {
    public static void main(String[] args) {
        Cli.runAndExit(new Bench(), args);
    }

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "median GFLOP/s of the compute kernels (matrix multiply)";
    }

    @Override
    public OptionSpec options() {
        return new OptionSpec()
                .add("op", "matmul", "operation to time: matmul | eigh (symmetric eigensolver, full and values only)")
                .add("sizes", "256,512,1024,2048", "matrix sizes n (n×n · n×n)")
                .add("repeats", "7", "timed repetitions per size (after warm-up); the median is reported")
                .add("seed", "1", "seed of the random inputs")
                .add("out", "", "run folder (default out/bench-<timestamp>)");
    }

    @Override
    public int run(ParsedOptions o) {
        String op = o.getChoice("op", "matmul", "eigh");
        int[] sizes = o.getIntList("sizes");
        int repeats = o.getInt("repeats");
        if (repeats < 1) {
            throw o.bad("repeats", String.valueOf(repeats), "a positive integer");
        }
        for (int n : sizes) {
            if (n < 1 || n > 16384) {
                throw o.bad("sizes", o.getString("sizes"), "a list of sizes between 1 and 16384");
            }
        }
        SplittableRandom rng = new SplittableRandom(o.getLong("seed"));
        RunFolder run = RunFolder.create(o.getString("out"), name());
        run.writeConfig(o.effective());
        Table table = new Table("op", "backend", "n", "threads", "median_seconds", "gflops");
        if (op.equals("eigh")) {
            for (int n : sizes) {
                benchEigh(n, repeats, rng, table);
            }
        }
        for (int n : op.equals("matmul") ? sizes : new int[0]) {
            Tensor a = random(n, n, rng);
            Tensor b = random(n, n, rng);
            double flops = 2.0 * n * n * n;
            int warmup = (int) Math.max(2, Math.min(20, 2e9 / flops));
            for (int i = 0; i < warmup; i++) {
                MatMul.matmul(a, b);
            }
            double[] seconds = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                long t0 = System.nanoTime();
                MatMul.matmul(a, b);
                seconds[r] = (System.nanoTime() - t0) / 1e9;
            }
            double median = median(seconds);
            table.add("matmul", "cpu", n, Parallel.threads(), median, flops / median / 1e9);
            System.err.printf(Locale.ROOT, "matmul cpu n=%d: %.1f GFLOP/s (median of %d)%n", n, flops / median / 1e9, repeats);
        }
        run.writeCsv("bench.csv", table);
        System.out.print(table.format(4));
        System.out.println(run.dir());
        return 0;
    }

    /**
     * Times {@link SymmetricEigen#full} and {@link SymmetricEigen#eigenvalues} on a random symmetric
     * matrix {@code (B + Bᵀ)/2}, B uniform on [−1, 1]. The gflops column is left empty: the flop
     * count depends on the QL iterations.
     */
    private static void benchEigh(int n, int repeats, SplittableRandom rng, Table table) {
        Matrix a = Matrix.zeros(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double v = rng.nextDouble() * 2 - 1;
                a.set(i, j, v);
                a.set(j, i, v);
            }
        }
        for (boolean full : new boolean[] {true, false}) {
            String label = full ? "eigh-full" : "eigh-values";
            double[] seconds = new double[repeats + 1];
            for (int r = 0; r <= repeats; r++) {
                long t0 = System.nanoTime();
                if (full) {
                    SymmetricEigen.full(a);
                } else {
                    SymmetricEigen.eigenvalues(a);
                }
                seconds[r] = (System.nanoTime() - t0) / 1e9;
            }
            // The first run is warm-up (JIT compilation).
            double median = median(Arrays.copyOfRange(seconds, 1, seconds.length));
            table.add(label, "cpu", n, Parallel.threads(), median, null);
            System.err.printf(Locale.ROOT, "%s cpu n=%d: %.3f s (median of %d)%n", label, n, median, repeats);
        }
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }

    private static Tensor random(int rows, int cols, SplittableRandom rng) {
        Tensor t = Tensor.zeros(rows, cols);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return t;
    }
}
