package ntklc.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One-time notices from library code to whoever runs it: "the Vector API is not enabled, matrix
 * multiply runs on the scalar path", "no OpenCL device, using the CPU". Library code never prints;
 * it calls {@link #once(String)}, and a command installs a listener (usually {@code System.err::println})
 * with {@link #setListener(Consumer)}. Each distinct message is delivered at most once per JVM;
 * messages sent before a listener exists are kept and delivered when one is installed.
 */
public final class Notices {
    private static final Set<String> SENT = ConcurrentHashMap.newKeySet();
    private static final List<String> PENDING = new ArrayList<>();
    private static Consumer<String> listener;

    private Notices() {
    }

    /** Delivers {@code message} to the listener unless the same text was already sent. */
    public static void once(String message) {
        if (!SENT.add(message)) {
            return;
        }
        Consumer<String> target;
        synchronized (PENDING) {
            target = listener;
            if (target == null) {
                PENDING.add(message);
                return;
            }
        }
        target.accept(message);
    }

    /**
     * Installs the receiver of notices (replacing any earlier one) and hands it every message sent
     * so far that no listener has seen. {@code null} removes the listener.
     */
    public static void setListener(Consumer<String> newListener) {
        List<String> backlog;
        synchronized (PENDING) {
            listener = newListener;
            if (newListener == null) {
                return;
            }
            backlog = new ArrayList<>(PENDING);
            PENDING.clear();
        }
        backlog.forEach(newListener);
    }
}
