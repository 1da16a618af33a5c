package ntklc.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Splits an index range over the available cores: at most {@link #threads()} contiguous chunks;
 * below {@code minPerTask} items per chunk it runs on the calling thread, so small operations pay
 * no scheduling cost.
 *
 * <p>The chunks go to a team of {@code threads() − 1} worker threads that, having finished, spin
 * for {@link #SPIN_NANOS} before they park (as OpenMP runtimes and OpenBLAS keep their threads
 * spinning between parallel regions). A parked thread costs its waker a wake-up: measured on the
 * 2-vCPU AMD EPYC under KVM, a two-way split of the eigensolver's matrix–vector product at
 * order 500 took 123 µs through the fork-join pool against 49 µs on one thread and 40 µs on a
 * spinning team, and at order 2000 1116 against 985 and 589 µs: the one-stage reduction calls it
 * once per column, a few tens of microseconds apart. The caller runs the first chunk itself and
 * then takes any chunk no worker has started, so a call completes even when no worker gets to
 * run (a busy machine). A call made from inside a chunk runs on its own thread (the cores are
 * already busy with the outer call); a call from a second thread while the team is busy goes to
 * the common fork-join pool, as every call did before.
 */
public final class Parallel {
    private static final int THREADS = Math.max(1, Integer.getInteger("ntklc.threads",
            Runtime.getRuntime().availableProcessors()));
    /**
     * How long an idle worker, and a caller waiting for the workers, spins before parking
     * (system property {@code ntklc.spinMicros}, default 200 µs; 0 parks at once). Longer than
     * the gaps between the parallel calls of one computation, short enough that an idle program
     * gives its cores back within a fraction of a millisecond.
     */
    static final long SPIN_NANOS = Math.max(0, Long.getLong("ntklc.spinMicros", 200)) * 1000;

    private static final Team TEAM = THREADS > 1 ? new Team(THREADS - 1) : null;

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
     * least {@code minPerTask} long (the last chunk takes the remainder). Chunk c is
     * {@code [⌊n·c/chunks⌋, ⌊n·(c+1)/chunks⌋)} whichever thread runs it. An exception thrown by
     * a chunk is rethrown here once every chunk has finished.
     */
    public static void forRange(int n, int minPerTask, RangeBody body) {
        int chunks = Math.min(THREADS, Math.max(1, n / Math.max(1, minPerTask)));
        if (chunks <= 1) {
            body.run(0, n);
            return;
        }
        if (TEAM != null) {
            if (TEAM.isInside()) {
                // Nested in a team call: every core is already busy with the outer one.
                body.run(0, n);
                return;
            }
            if (TEAM.tryRun(new Job(n, chunks, body))) {
                return;
            }
        }
        forkJoin(n, chunks, body);
    }

    /** The former path, for calls from another thread while the team is busy. */
    private static void forkJoin(int n, int chunks, RangeBody body) {
        if (ForkJoinPool.commonPool().getParallelism() < 1) {
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

    private static final AtomicLong JOB_IDS = new AtomicLong();

    /** One call of {@link #forRange}: its chunks, claimed one by one, and how many have finished. */
    private static final class Job {
        final int n;
        final int chunks;
        final RangeBody body;
        final Thread caller = Thread.currentThread();
        /** Distinguishes this job from the last one a worker took part in, without holding on to that one's body. */
        final long id = JOB_IDS.incrementAndGet();
        /** Next chunk to claim; chunk 0 is the caller's. */
        final AtomicInteger next = new AtomicInteger(1);
        final AtomicInteger finished = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Job(int n, int chunks, RangeBody body) {
            this.n = n;
            this.chunks = chunks;
            this.body = body;
        }

        /** Runs chunk c, recording the first failure, and wakes the caller after the last chunk. */
        void run(int c) {
            try {
                body.run((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
            if (finished.incrementAndGet() == chunks && Thread.currentThread() != caller) {
                LockSupport.unpark(caller);
            }
        }

        /** Claims and runs chunks until none is left. */
        void help() {
            for (int c; (c = next.getAndIncrement()) < chunks; ) {
                run(c);
            }
        }

        boolean done() {
            return finished.get() == chunks;
        }
    }

    /** The worker threads and the job they are given. */
    private static final class Team {
        private final Worker[] workers;
        private final AtomicBoolean busy = new AtomicBoolean();
        /** The thread whose call the team is running, null while idle. */
        private volatile Thread owner;
        /** The latest job; workers compare it with the last one they saw. */
        private volatile Job current;

        Team(int size) {
            workers = new Worker[size];
            for (int i = 0; i < size; i++) {
                workers[i] = new Worker(this, i);
                workers[i].start();
            }
        }

        /** Whether the calling thread is running a chunk of the team's current call. */
        boolean isInside() {
            Thread t = Thread.currentThread();
            return t instanceof Worker || t == owner;
        }

        /** Runs the job on the team and returns true, or returns false if the team is busy. */
        boolean tryRun(Job job) {
            if (!busy.compareAndSet(false, true)) {
                return false;
            }
            try {
                owner = Thread.currentThread();
                current = job;
                for (int i = 0; i < Math.min(workers.length, job.chunks - 1); i++) {
                    if (workers[i].sleeping) {
                        LockSupport.unpark(workers[i]);
                    }
                }
                job.run(0);
                job.help();
                long spinUntil = System.nanoTime() + SPIN_NANOS;
                while (!job.done()) {
                    if (System.nanoTime() < spinUntil) {
                        Thread.onSpinWait();
                    } else {
                        LockSupport.park(this);
                    }
                }
            } finally {
                current = null;
                owner = null;
                busy.set(false);
            }
            Throwable t = job.failure.get();
            if (t instanceof RuntimeException e) {
                throw e;
            }
            if (t instanceof Error e) {
                throw e;
            }
            if (t != null) {
                throw new IllegalStateException(t);
            }
            return true;
        }
    }

    /** A team thread: takes chunks of each new job, then spins, then parks until the next. */
    private static final class Worker extends Thread {
        private final Team team;
        /** Set before parking and re-checked against {@link Team#current}, so no job is missed. */
        volatile boolean sleeping;

        Worker(Team team, int index) {
            super("ntklc-parallel-" + (index + 1));
            this.team = team;
            setDaemon(true);
        }

        @Override
        public void run() {
            long seen = 0;
            while (true) {
                Job job = awaitNewJob(seen);
                seen = job.id;
                job.help();
            }
        }

        /** The current job if it is not the one with id {@code seen}, after spinning and then parking until there is one. */
        private Job awaitNewJob(long seen) {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (true) {
                Job job = team.current;
                if (job != null && job.id != seen) {
                    return job;
                }
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                    continue;
                }
                sleeping = true;
                job = team.current;
                if (job == null || job.id == seen) {
                    LockSupport.park(this);
                }
                sleeping = false;
                spinUntil = System.nanoTime() + SPIN_NANOS;
            }
        }
    }
}
