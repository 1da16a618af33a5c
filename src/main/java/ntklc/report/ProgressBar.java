package ntklc.report;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A console progress bar on standard error: {@code label [#####.....] 50% 120/240 loss=0.31 ETA 0:42}.
 * On a terminal it redraws one line; otherwise (logs, CI) it prints a line at every tenth of the work.
 */
public final class ProgressBar {
    private static final int WIDTH = 30;

    private final String label;
    private final long total;
    private final PrintStream err;
    private final boolean terminal;
    private final boolean everyStep;
    private final long start = System.nanoTime();
    private long done;
    private long lastDraw;
    private int lastDecile = -1;

    public ProgressBar(String label, long total) {
        this(label, total, System.err, System.console() != null);
    }

    ProgressBar(String label, long total, PrintStream err, boolean terminal) {
        this(label, total, err, terminal, false);
    }

    private ProgressBar(String label, long total, PrintStream err, boolean terminal, boolean everyStep) {
        this.label = label;
        this.total = Math.max(1, total);
        this.err = err;
        this.terminal = terminal;
        this.everyStep = everyStep;
    }

    /**
     * A bar that prints one line at every step, terminal or not: for a few long steps of unequal
     * weight (e.g. the artefacts of a report, weighted by their estimated time), where each line's
     * ETA is the elapsed time scaled by the weight still to go.
     */
    public static ProgressBar perStep(String label, long total) {
        return new ProgressBar(label, total, System.err, false, true);
    }

    /** Advances by one step; {@code status} (may be empty) is shown after the counts. */
    public void step(String status) {
        advance(1, status);
    }

    /** Advances by {@code steps}. */
    public void advance(long steps, String status) {
        done = Math.min(total, done + steps);
        long now = System.nanoTime();
        int decile = (int) (10 * done / total);
        if (everyStep) {
            err.println(line(status, now));
        } else if (terminal) {
            if (now - lastDraw > 100_000_000L || done == total) {
                lastDraw = now;
                err.print("\r" + line(status, now));
                if (done == total) {
                    err.println();
                }
            }
        } else if (decile != lastDecile) {
            lastDecile = decile;
            err.println(line(status, now));
        }
        err.flush();
    }

    private String line(String status, long now) {
        int filled = (int) (WIDTH * done / total);
        double elapsed = (now - start) / 1e9;
        double eta = done == 0 ? Double.NaN : elapsed * (total - done) / done;
        return String.format(Locale.ROOT, "%s [%s%s] %3d%% %d/%d %s %s", label, "#".repeat(filled),
                ".".repeat(WIDTH - filled), 100 * done / total, done, total, status == null ? "" : status,
                done == total ? "in " + clock(elapsed) : "ETA " + clock(eta));
    }

    static String clock(double seconds) {
        if (Double.isNaN(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
