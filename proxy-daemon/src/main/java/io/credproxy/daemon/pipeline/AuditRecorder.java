package io.credproxy.daemon.pipeline;

import io.credproxy.daemon.audit.AuditSink;
import io.credproxy.daemon.logging.LogText;
import io.credproxy.daemon.identity.Caller;
import io.credproxy.daemon.secrets.Redactor;
import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.report.Decision;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Builds the audit record of each finished exchange (request, tunnel or refused CONNECT), hands it
 * to the {@link AuditSink} and writes its access-log line: the one place audit events are made.
 *
 * <p>One line per exchange on the logger {@value #ACCESS_LOGGER}: app, client, method, scheme,
 * host, port, path without query, decision, status, milliseconds, bytes, and the <em>names</em>
 * of the secrets added; the same fields go along as SLF4J key-values (separate JSON fields under
 * {@code --log-format json}). The free-text fields a client or an upstream can fill (app, client,
 * method, host, path, reason) pass once through the policy's {@link Redactor} here, on the way out,
 * before the event reaches the line or any sink (a client may have put a real secret in a path),
 * then through {@link LogText#escape} (no control or invisible character reaches a log or a
 * terminal); paths and reasons are also cut to a bounded length because they come from the client.
 */
public final class AuditRecorder {
    public static final String ACCESS_LOGGER = "io.credproxy.access";
    static final int MAX_PATH_LENGTH = 512;

    private static final Logger ACCESS = LoggerFactory.getLogger(ACCESS_LOGGER);
    private static final Logger LOG = LoggerFactory.getLogger(AuditRecorder.class);

    private final AuditSink sink;

    public AuditRecorder(AuditSink sink) {
        this.sink = sink;
    }

    /** Records a finished exchange, redacted with the secrets of its policy. */
    public void record(Exchange exchange) {
        record(eventOf(exchange), exchange.policy().redactor());
    }

    /** The audit record of a finished exchange, as it happened (not yet redacted). */
    static AuditEvent eventOf(Exchange exchange) {
        Caller caller = exchange.target().caller();
        return new AuditEvent(exchange.startMillis(), exchange.app(), exchange.client(), exchange.method(),
                exchange.scheme().wireName(), exchange.destination().host(), exchange.destination().port(), exchange.path(),
                exchange.decision(), List.copyOf(exchange.secretNames()), exchange.status(), exchange.bytesUp(),
                exchange.bytesDown(), exchange.elapsedMillis(), exchange.reason(), caller.claimed(), caller.uidOrNull(),
                exchange.refusedSecretNames().stream().sorted().toList());
    }

    /**
     * Records an event: the one redaction pass every request and tunnel event gets, on its way to
     * the access log and the sinks (audit log, report, metrics). Every field a client or an
     * upstream can fill loses any secret value; path and reason are also cut to printable, bounded text.
     */
    public void record(AuditEvent raw, Redactor redactor) {
        AuditEvent event = new AuditEvent(raw.timeMillis(), safe(raw.app(), redactor), safe(raw.client(), redactor),
                LogText.escape(raw.method()), raw.scheme(), safe(raw.host(), redactor), raw.port(), safePath(raw.path(), redactor),
                raw.decision(), raw.secretNames(), raw.status(), raw.bytesUp(), raw.bytesDown(), raw.durationMillis(),
                raw.reason() == null ? null : printable(redactor.redact(raw.reason()), 200),
                raw.claimedApp() == null ? null : redactor.redact(raw.claimedApp()), raw.uid(), raw.refusedSecretNames());
        try {
            sink.record(event);
        } catch (RuntimeException e) {
            // The sink's contract is never to throw; if it does, the request is over anyway.
            LOG.warn("audit sink failed: {}", e.getClass().getName());
        }
        if (ACCESS.isInfoEnabled()) {
            withFields(ACCESS.atInfo().setMessage(line(event)), event).log();
        }
    }

    /**
     * The line's fields as SLF4J key-values, named as in the audit log: {@code --log-format json}
     * writes them as separate members of {@code kvpList}; the text format shows the line alone.
     */
    static LoggingEventBuilder withFields(LoggingEventBuilder line, AuditEvent e) {
        line.addKeyValue("app", e.app());
        if (e.claimedApp() != null) {
            line.addKeyValue("claimedApp", e.claimedApp());
        }
        if (e.uid() != null) {
            line.addKeyValue("uid", e.uid());
        }
        line.addKeyValue("client", e.client())
                .addKeyValue("method", e.method())
                .addKeyValue("scheme", e.scheme())
                .addKeyValue("host", e.host())
                .addKeyValue("port", e.port());
        if (e.path() != null) {
            line.addKeyValue("path", e.path());
        }
        line.addKeyValue("decision", e.decision().wireName())
                .addKeyValue("status", e.status())
                .addKeyValue("durationMillis", e.durationMillis())
                .addKeyValue("bytesUp", e.bytesUp())
                .addKeyValue("bytesDown", e.bytesDown());
        if (!e.secretNames().isEmpty()) {
            line.addKeyValue("secretNames", String.join(",", e.secretNames()));
        }
        if (!e.refusedSecretNames().isEmpty()) {
            line.addKeyValue("refusedSecretNames", String.join(",", e.refusedSecretNames()));
        }
        if (showsReason(e)) {
            line.addKeyValue("reason", e.reason());
        }
        return line;
    }

    static String line(AuditEvent e) {
        StringBuilder out = new StringBuilder(160);
        out.append("app=").append(e.app());
        if (e.claimedApp() != null) {
            out.append(" claimed=").append(e.claimedApp());
        }
        if (e.uid() != null) {
            out.append(" uid=").append(e.uid());
        }
        out.append(" client=").append(e.client())
                .append(' ').append(e.method())
                .append(' ').append(e.scheme()).append("://").append(hostPort(e.host(), e.port()));
        if (e.path() != null) {
            out.append(e.path());
        }
        out.append(" decision=").append(e.decision().wireName())
                .append(" status=").append(e.status())
                .append(" ms=").append(e.durationMillis())
                .append(" up=").append(e.bytesUp())
                .append(" down=").append(e.bytesDown());
        if (!e.secretNames().isEmpty()) {
            out.append(" secrets=").append(String.join(",", e.secretNames()));
        }
        if (!e.refusedSecretNames().isEmpty()) {
            out.append(" refused=").append(String.join(",", e.refusedSecretNames()));
        }
        if (showsReason(e)) {
            out.append(" reason=\"").append(e.reason()).append('"');
        }
        return out.toString();
    }

    /** Whether the line shows the reason: for the decisions it explains (denied, error, passthrough). */
    private static boolean showsReason(AuditEvent e) {
        return e.reason() != null && (e.decision() == Decision.DENIED || e.decision() == Decision.ERROR
                || e.decision() == Decision.PASSTHROUGH);
    }

    private static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** Redacted first (the redactor matches the raw value), then escaped. */
    private static String safe(String text, Redactor redactor) {
        return LogText.escape(redactor.redact(text));
    }

    /** The path, redacted, escaped and bounded, for events and logs. */
    public static String safePath(String path, Redactor redactor) {
        return path == null ? null : printable(redactor.redact(path), MAX_PATH_LENGTH);
    }

    /** Cuts to {@code max} characters, then escapes every control or invisible character ({@link LogText#escape}). */
    public static String printable(String text, int max) {
        String cut = text.length() > max ? text.substring(0, max) + "..." : text;
        return LogText.escape(cut);
    }
}
