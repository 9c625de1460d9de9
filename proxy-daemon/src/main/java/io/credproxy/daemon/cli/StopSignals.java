package io.credproxy.daemon.cli;

import io.credproxy.daemon.signal.UnixSignals;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM and SIGINT start one graceful stop, on a thread of its own; later signals are ignored
 * (systemd's {@code TimeoutStopSec=} still ends a stop that hangs).
 *
 * <p>Without these handlers the JVM runs its shutdown hooks and exits with 143 (128 + SIGTERM):
 * in-flight requests are cut, and systemd records a stop as a failure unless told otherwise.
 */
final class StopSignals {
    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);

    private StopSignals() {}

    static void install(Runnable stop) {
        AtomicBoolean started = new AtomicBoolean();
        Runnable once = () -> {
            if (started.compareAndSet(false, true)) {
                Thread t = new Thread(stop, "credproxy-stop");
                t.start();
            }
        };
        for (String signal : new String[] {"TERM", "INT"}) {
            try {
                UnixSignals.install(signal, once);
            } catch (UnixSignals.Unavailable e) {
                LOG.warn("SIG{} cannot be handled here ({}): a stop will not wait for requests in flight", signal, e.getMessage());
            }
        }
    }
}
