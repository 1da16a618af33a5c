package ntklc.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The memory a command will need, estimated from its options before anything large is allocated,
 * and the check of that estimate against the JVM ({@link #check}): {@link Cli#run} calls
 * {@link Command#footprint} after parsing and refuses the run with one {@code error:} line when
 *
 * <ul>
 *   <li>one array would have more than {@link #MAX_ARRAY_ELEMENTS} elements (Java arrays, and
 *       therefore {@code Tensor} and {@code Matrix}, are indexed by {@code int}), or</li>
 *   <li>the sum of the listed arrays exceeds {@code Runtime.maxMemory()} (the {@code -Xmx} heap).</li>
 * </ul>
 *
 * Each entry is {@code count} arrays of {@code rows × cols} elements of {@code bytesPerElement}
 * bytes, with the option that changes it (the {@code remedy}). Commands list only their dominant
 * allocations (matrices that grow with n², with the widths, with the batch), each as an upper bound
 * of what is live at the peak, so the estimate errs on the safe side; small objects and the JVM's
 * own overhead are not counted. All products saturate at {@link Long#MAX_VALUE}: an absurd size
 * gives an error, never an overflow.
 */
public final class Footprint {
    /**
     * Largest number of elements of one array: {@code 2^31 − 1 − 8}, the limit {@code Tensor} enforces
     * (HotSpot refuses a few elements below {@link Integer#MAX_VALUE}).
     */
    public static final long MAX_ARRAY_ELEMENTS = Integer.MAX_VALUE - 8L;

    /** One kind of array: {@code count} of them, each {@code elements} long, {@code bytesPerElement} each. */
    private record Entry(String what, long count, long elements, long bytesPerElement, String remedy, boolean oneArray) {
        long bytes() {
            return times(count, times(elements, bytesPerElement));
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    /** The empty estimate (commands that allocate nothing large). */
    public static Footprint none() {
        return new Footprint();
    }

    /**
     * Adds {@code count} arrays of {@code rows × cols} doubles.
     *
     * @param what   what they are, e.g. {@code "K and K̃ (n×n)"}
     * @param remedy the option to change, e.g. {@code "a smaller --n"}
     */
    public Footprint doubles(String what, long count, long rows, long cols, String remedy) {
        return add(what, count, times(rows, cols), Double.BYTES, remedy);
    }

    /** Adds {@code count} arrays of {@code rows × cols} floats; see {@link #doubles}. */
    public Footprint floats(String what, long count, long rows, long cols, String remedy) {
        return add(what, count, times(rows, cols), Float.BYTES, remedy);
    }

    /** Adds {@code count} arrays of {@code elements} elements of {@code bytesPerElement} bytes each. */
    public Footprint add(String what, long count, long elements, long bytesPerElement, String remedy) {
        if (count > 0 && elements > 0) {
            entries.add(new Entry(what, count, elements, bytesPerElement, remedy, true));
        }
        return this;
    }

    /** Adds {@code bytes} held in several arrays (not checked against the per-array limit). */
    public Footprint several(String what, long bytes, String remedy) {
        if (bytes > 0) {
            entries.add(new Entry(what, 1, bytes, 1, remedy, false));
        }
        return this;
    }

    /** Adds every entry of {@code other}. */
    public Footprint plus(Footprint other) {
        entries.addAll(other.entries);
        return this;
    }

    /** The estimated peak in bytes (saturating). */
    public long bytes() {
        long sum = 0;
        for (Entry e : entries) {
            sum = plus(sum, e.bytes());
        }
        return sum;
    }

    /**
     * Refuses a run that cannot fit: the first array over {@link #MAX_ARRAY_ELEMENTS}, else a total
     * over {@code maxMemory} bytes, as a {@link UserError} that says what is needed, what is available
     * and what to change.
     *
     * @param command   the command name, for the message
     * @param maxMemory bytes the heap may grow to ({@code Runtime.getRuntime().maxMemory()})
     */
    public void check(String command, long maxMemory) {
        for (Entry e : entries) {
            if (e.oneArray() && e.elements() > MAX_ARRAY_ELEMENTS) {
                throw new UserError(String.format(Locale.ROOT, "%s: %s would need one array of %s elements, more than"
                        + " Java's limit of %d (2^31 − 9); use %s", command, e.what(), count(e.elements()),
                        MAX_ARRAY_ELEMENTS, e.remedy()));
            }
        }
        long need = bytes();
        if (need > maxMemory) {
            Entry largest = entries.get(0);
            for (Entry e : entries) {
                if (e.bytes() > largest.bytes()) {
                    largest = e;
                }
            }
            throw new UserError(String.format(Locale.ROOT, "%s: needs about %s of memory (largest part: %s, %s) but the"
                    + " Java heap may grow to %s; raise it with java -Xmx%dg or use %s", command, size(need),
                    largest.what(), size(largest.bytes()), size(maxMemory), suggestedGiB(need), largest.remedy()));
        }
    }

    /** A heap size in whole GiB that holds {@code need} with a quarter to spare for everything not counted. */
    static long suggestedGiB(long need) {
        double gib = need * 1.25 / (1L << 30);
        return Math.max(1, (long) Math.ceil(gib));
    }

    /** {@code a·b} for non-negative values, {@link Long#MAX_VALUE} on overflow. */
    public static long times(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return hi != 0 || lo < 0 ? Long.MAX_VALUE : lo;
    }

    /** {@code a + b} for non-negative values, {@link Long#MAX_VALUE} on overflow. */
    public static long plus(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }

    /** E.g. {@code 1.5 GiB}, {@code 12 MiB}, or {@code more than 8 EiB} when saturated. */
    static String size(long bytes) {
        if (bytes == Long.MAX_VALUE) {
            return "more than 8 EiB";
        }
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " bytes" : String.format(Locale.ROOT, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
    }

    private static String count(long elements) {
        return elements == Long.MAX_VALUE ? "more than 9.2e18" : String.format(Locale.ROOT, "%.3g", (double) elements);
    }
}
