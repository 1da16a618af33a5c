package ntklc.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * Splits an index range over the available cores. Work is given to the common fork-join pool in
 * at most {@link #threads()} contiguous chunks; below {@code minPerTask} items per chunk it runs
 * on the calling thread, so small operations pay no scheduling cost.
 */
public final class Parallel {
    private static final int THREADS = Math.max(1, Integer.getInteger("ntklc.threads",
            Runtime.getRuntime().availableProcessors()));

    private Parallel() {
    }

    /** Body of a parallel loop over the half-open chunk {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /** Number of worker chunks used (system property {@code ntklc.threads}, default: all cores). */
    public static int threads() {
        return THREADS;
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into contiguous chunks, one per thread, each at
     * least {@code minPerTask} long (the last chunk takes the remainder).
     */
    public static void forRange(int n, int minPerTask, RangeBody body) {
        int chunks = Math.min(THREADS, Math.max(1, n / Math.max(1, minPerTask)));
        if (chunks <= 1 || ForkJoinPool.commonPool().getParallelism() < 1) {
            body.run(0, n);
            return;
        }
        List<ForkJoinTask<?>> tasks = new ArrayList<>(chunks - 1);
        for (int c = 1; c < chunks; c++) {
            int from = (int) ((long) n * c / chunks);
            int to = (int) ((long) n * (c + 1) / chunks);
            tasks.add(ForkJoinPool.commonPool().submit(() -> body.run(from, to)));
        }
        body.run(0, (int) ((long) n / chunks));
        for (ForkJoinTask<?> t : tasks) {
            t.join();
        }
    }
}
