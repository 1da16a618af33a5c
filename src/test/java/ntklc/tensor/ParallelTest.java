package ntklc.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * {@link Parallel#forRange} on its spinning team: each index is run exactly once in the chunks
 * its Javadoc states, whichever thread runs them; failures come back as the same object; calls
 * made from inside a chunk (run inline), from several threads at once (all but one through the
 * fork-join pool) and after the team has gone to sleep still cover their ranges. Expected values are the
 * range itself (a property), independent of the threads.
 */
class ParallelTest {
    /** Counts how often each index of {@code [0, n)} is run by {@code forRange(n, minPerTask, …)}. */
    private static AtomicIntegerArray visits(int n, int minPerTask) {
        AtomicIntegerArray hits = new AtomicIntegerArray(n);
        Parallel.forRange(n, minPerTask, (from, to) -> {
            for (int i = from; i < to; i++) {
                hits.incrementAndGet(i);
            }
        });
        return hits;
    }

    private static void assertEachOnce(AtomicIntegerArray hits) {
        for (int i = 0; i < hits.length(); i++) {
            assertEquals(1, hits.get(i), "index " + i);
        }
    }

    @RepeatedTest(20)
    void everyIndexRunsExactlyOnce() {
        for (int n : new int[] {0, 1, 2, 3, 7, 64, 1000, 4097}) {
            assertEachOnce(visits(n, 1));
            assertEachOnce(visits(n, 100));
        }
    }

    @Test
    void chunksAreTheStatedContiguousRanges() {
        int n = 1003;
        int chunks = Math.min(Parallel.threads(), n);
        List<int[]> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        Parallel.forRange(n, 1, (from, to) -> seen.add(new int[] {from, to}));
        assertEquals(chunks, seen.size());
        seen.sort((x, y) -> Integer.compare(x[0], y[0]));
        for (int c = 0; c < chunks; c++) {
            assertEquals((int) ((long) n * c / chunks), seen.get(c)[0], "start of chunk " + c);
            assertEquals((int) ((long) n * (c + 1) / chunks), seen.get(c)[1], "end of chunk " + c);
        }
    }

    @Test
    void aFailingChunkIsRethrownAsTheSameObjectAfterTheOthersFinish() {
        IllegalArgumentException boom = new IllegalArgumentException("chunk failed");
        int n = 4 * Parallel.threads();
        AtomicIntegerArray hits = new AtomicIntegerArray(n);
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () ->
                Parallel.forRange(n, 1, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        hits.incrementAndGet(i);
                    }
                    if (to == n) {
                        throw boom;
                    }
                }));
        assertSame(boom, thrown);
        assertEachOnce(hits);
        // The team is usable again afterwards.
        assertEachOnce(visits(1000, 1));
    }

    @Test
    void nestedCallsFromInsideAChunkCoverTheirRanges() {
        int outer = 8;
        int inner = 500;
        AtomicIntegerArray hits = new AtomicIntegerArray(outer * inner);
        Parallel.forRange(outer, 1, (o0, o1) -> {
            for (int o = o0; o < o1; o++) {
                int base = o * inner;
                Parallel.forRange(inner, 1, (i0, i1) -> {
                    for (int i = i0; i < i1; i++) {
                        hits.incrementAndGet(base + i);
                    }
                });
            }
        });
        assertEachOnce(hits);
    }

    @Test
    void callsFromSeveralThreadsAtOnceAllComplete() throws InterruptedException {
        int callers = 4;
        int calls = 200;
        int n = 777;
        AtomicIntegerArray[] hits = new AtomicIntegerArray[callers];
        Thread[] threads = new Thread[callers];
        Throwable[] failures = new Throwable[callers];
        for (int t = 0; t < callers; t++) {
            int me = t;
            hits[t] = new AtomicIntegerArray(n);
            threads[t] = new Thread(() -> {
                try {
                    for (int k = 0; k < calls; k++) {
                        Parallel.forRange(n, 1, (from, to) -> {
                            for (int i = from; i < to; i++) {
                                hits[me].incrementAndGet(i);
                            }
                        });
                    }
                } catch (Throwable e) {
                    failures[me] = e;
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join(60_000);
            assertTrue(!t.isAlive(), "a caller did not finish within a minute");
        }
        for (int t = 0; t < callers; t++) {
            assertEquals(null, failures[t]);
            for (int i = 0; i < n; i++) {
                assertEquals(calls, hits[t].get(i), "caller " + t + ", index " + i);
            }
        }
    }

    @Test
    void callsAfterTheTeamHasParkedStillCoverTheirRanges() throws InterruptedException {
        for (int k = 0; k < 5; k++) {
            // Longer than the spin (Parallel.SPIN_NANOS), so the workers have parked.
            Thread.sleep(Parallel.SPIN_NANOS / 1_000_000 + 5);
            assertEachOnce(visits(2048, 1));
        }
    }
}
