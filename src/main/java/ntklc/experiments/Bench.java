package ntklc.experiments;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

import ntklc.cli.Cli;
import ntklc.cli.Command;
import ntklc.cli.OptionSpec;
import ntklc.cli.ParsedOptions;
import ntklc.report.RunFolder;
import ntklc.report.Table;
import ntklc.tensor.MatMul;
import ntklc.tensor.Parallel;
import ntklc.tensor.Tensor;

/**
 * {@code bench}: median throughput of the compute kernels. {@code --op=matmul} times
 * {@code C = A·B} for square matrices and reports GFLOP/s = 2n³ / median seconds.
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
                .add("op", "matmul", "operation to time: matmul")
                .add("sizes", "256,512,1024,2048", "matrix sizes n (n×n · n×n)")
                .add("repeats", "7", "timed repetitions per size (after warm-up); the median is reported")
                .add("seed", "1", "seed of the random inputs")
                .add("out", "", "run folder (default out/bench-<timestamp>)");
    }

    @Override
    public int run(ParsedOptions o) {
        o.getChoice("op", "matmul");
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
        for (int n : sizes) {
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
