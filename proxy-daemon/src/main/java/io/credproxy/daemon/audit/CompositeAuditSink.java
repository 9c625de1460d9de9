package io.credproxy.daemon.audit;

import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.wire.AgentEvent;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sink that hands each event to several (audit log, report aggregator, metrics), so the server
 * holds a single {@link AuditSink}.
 *
 * <p>A sink that throws is isolated: the others still get the event, the caller (an event loop) sees
 * nothing, the failure is counted and reported to {@code onFailure} (for a metric) and logged at most
 * once a minute, by exception class only (a message could quote the event). Agent events go to the
 * sinks that also implement {@link AgentEventSink}.
 */
public final class CompositeAuditSink implements AuditSink, AgentEventSink {
    private static final Logger log = LoggerFactory.getLogger(CompositeAuditSink.class);
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final List<AuditSink> sinks;
    private final List<AgentEventSink> agentSinks;
    private final Consumer<String> onFailure;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong lastWarnNanos = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

    /**
     * @param sinks receive every audit event, in this order; those that are also
     *     {@link AgentEventSink}s receive agent events too
     * @param onFailure told the failing sink's class name when one throws (e.g.
     *     {@code kind -> metrics.recordError("audit_sink")}); must not throw itself
     */
    public CompositeAuditSink(List<?> sinks, Consumer<String> onFailure) {
        for (Object sink : sinks) {
            if (!(sink instanceof AuditSink) && !(sink instanceof AgentEventSink)) {
                throw new IllegalArgumentException("not an AuditSink or AgentEventSink: " + sink.getClass().getName());
            }
        }
        this.sinks = sinks.stream().filter(AuditSink.class::isInstance).map(AuditSink.class::cast).toList();
        this.agentSinks = sinks.stream().filter(AgentEventSink.class::isInstance).map(AgentEventSink.class::cast).toList();
        this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
    }

    /** A fan-out over {@code sinks} that only counts and logs failures. */
    public static CompositeAuditSink of(Object... sinks) {
        return new CompositeAuditSink(List.of(sinks), name -> {});
    }

    @Override
    public void record(AuditEvent event) {
        for (AuditSink sink : sinks) {
            try {
                sink.record(event);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                failed(sink, e);
            }
        }
    }

    @Override
    public void recordAgentEvent(AgentEvent event) {
        for (AgentEventSink sink : agentSinks) {
            try {
                sink.recordAgentEvent(event);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                failed(sink, e);
            }
        }
    }

    /** How many times a sink has thrown. */
    public long failures() {
        return failures.get();
    }

    private void failed(Object sink, Throwable e) {
        long n = failures.incrementAndGet();
        String name = sink.getClass().getSimpleName();
        try {
            onFailure.accept(name);
        } catch (RuntimeException ignored) {
            // the failure hook must not turn one sink's failure into the caller's
        }
        long now = System.nanoTime();
        long last = lastWarnNanos.get();
        if (now - last >= WARN_EVERY_NANOS && lastWarnNanos.compareAndSet(last, now)) {
            log.warn("audit sink {} failed ({}); {} sink failures so far", name, e.getClass().getName(), n);
        }
    }
}
