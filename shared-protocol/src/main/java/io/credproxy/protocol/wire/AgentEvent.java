package io.credproxy.protocol.wire;

import io.credproxy.protocol.config.HostPort;
import java.util.Objects;

/**
 * One thing the agent did in an application's JVM, as it reports it to the daemon.
 *
 * <p>The agent POSTs batches of these as a JSON array to {@code http://ADMIN/events} (see
 * {@link AgentEventJson}); the daemon writes them to the audit log and merges them into the
 * per-app report. The fields come from a semi-trusted process, so the constructor trims them to
 * bounded, printable text: an app name as {@link ProxyIdentity#sanitizeApp}, a normalised host, and
 * at most {@value #MAX_TEXT} characters of client and frame.
 *
 * @param kind what happened
 * @param timeMillis when, epoch milliseconds
 * @param app the app the agent runs in (the same name it sends in {@code Proxy-Authorization})
 * @param client which client or socket API: {@code okhttp}, {@code jdk-httpclient},
 *     {@code java.net.Socket}, ...; {@code null} when unknown
 * @param host for socket kinds, the destination host the application asked for; {@code null} for
 *     the other kinds
 * @param port for socket kinds, the destination port; 0 otherwise
 * @param frame for socket kinds, the application frame that opened the socket, {@code class.method};
 *     for {@link AgentEventKind#INSTRUMENTATION_FAILED}, the method the agent could not hook
 *     ({@code jdk.internal.net.http.HttpRequestImpl.<init>(.. java.net.ProxySelector ..)});
 *     {@code null} when unknown or for {@link AgentEventKind#INSTRUMENTED}
 * @param claimedApp set by the daemon, never by the agent: the name the agent claimed when the
 *     daemon attributed the event to another app ({@code app}) by the kernel's word; else {@code null}
 * @param uid set by the daemon: the Unix user that owned the posting connection; {@code null} when
 *     not looked up or unknown
 */
public record AgentEvent(
        AgentEventKind kind,
        long timeMillis,
        String app,
        String client,
        String host,
        int port,
        String frame,
        String claimedApp,
        Long uid) {

    /** The longest client or frame text kept; longer values are cut. */
    public static final int MAX_TEXT = 200;
    private static final int MAX_HOST = 253;

    public AgentEvent {
        Objects.requireNonNull(kind, "kind");
        app = ProxyIdentity.sanitizeApp(app);
        client = printable(client, MAX_TEXT);
        frame = printable(frame, MAX_TEXT);
        claimedApp = claimedApp == null ? null : ProxyIdentity.sanitizeApp(claimedApp);
        host = host == null || host.isBlank() ? null : printable(HostPort.normalizeHost(host), MAX_HOST);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range 0-65535: " + port);
        }
        if (kind.isSocket() && host == null) {
            throw new IllegalArgumentException(kind.wireName() + " event without a host");
        }
    }

    /** An event as the agent sends it, without the daemon's attribution. */
    public AgentEvent(AgentEventKind kind, long timeMillis, String app, String client, String host, int port, String frame) {
        this(kind, timeMillis, app, client, host, port, frame, null, null);
    }

    /** An {@code instrumented} event for one client. */
    public static AgentEvent instrumented(long timeMillis, String app, String client) {
        return new AgentEvent(AgentEventKind.INSTRUMENTED, timeMillis, app, client, null, 0, null);
    }

    /** An {@code instrumentation_failed} event: {@code hook}, of {@code client}, could not be woven. */
    public static AgentEvent instrumentationFailed(long timeMillis, String app, String client, String hook) {
        return new AgentEvent(AgentEventKind.INSTRUMENTATION_FAILED, timeMillis, app, client, null, 0, hook);
    }

    /** A {@code socket_tunneled} or {@code socket_blocked} event. */
    public static AgentEvent socket(AgentEventKind kind, long timeMillis, String app, String client,
                                    String host, int port, String frame) {
        if (!kind.isSocket()) {
            throw new IllegalArgumentException("not a socket event kind: " + kind.wireName());
        }
        return new AgentEvent(kind, timeMillis, app, client, host, port, frame);
    }

    /** Drops control characters (they would reach terminals and logs) and cuts to {@code max}. */
    private static String printable(String text, int max) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), max));
        for (int i = 0; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        return out.toString();
    }

    static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "...";
    }
}
