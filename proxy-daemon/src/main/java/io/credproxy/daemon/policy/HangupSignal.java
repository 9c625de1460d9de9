package io.credproxy.daemon.policy;

import io.credproxy.daemon.signal.UnixSignals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an action on SIGHUP, the Unix convention for "re-read your configuration"
 * ({@code systemctl reload} sends it through the unit's {@code ExecReload=}). The JVM's own SIGHUP
 * handler starts a shutdown; while this one is installed, SIGHUP reloads instead.
 */
final class HangupSignal {
    private static final Logger log = LoggerFactory.getLogger(HangupSignal.class);

    private UnixSignals.Installed installed;

    /** Installs the handler; on any failure logs one warning and leaves the JVM's handling as it was. */
    synchronized void install(Runnable action) {
        try {
            installed = UnixSignals.install("HUP", action);
            log.debug("SIGHUP reloads config and secrets");
        } catch (UnixSignals.Unavailable e) {
            log.warn("SIGHUP cannot be handled here ({}); file changes still reload", e.getMessage());
        }
    }

    synchronized boolean installed() {
        return installed != null;
    }

    /** Puts back the handler that was there before {@link #install}. */
    synchronized void restore() {
        if (installed != null) {
            installed.restore();
            installed = null;
        }
    }
}
