package io.credproxy.daemon.metrics;

import io.credproxy.daemon.audit.AgentEventSink;
import io.credproxy.daemon.audit.AuditSink;
import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.wire.AgentEvent;
import io.credproxy.protocol.wire.AgentEventKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The daemon's metrics, on a Micrometer Prometheus registry; {@link #scrape()} is the body of
 * {@code GET /metrics}.
 *
 * <p>As an {@link AuditSink} it counts every request and tunnel by app, host, decision and status,
 * the bytes each way, and their durations in a histogram by app and decision ({@link RequestMeters});
 * as an {@link AgentEventSink}, the agents' events by app and kind; for the
 * server, the connections open on each side ({@link #connectionOpened()}, {@link #tunnelOpened()},
 * {@link #upstreamOpened()} and their closes) and its failures by {@link ProxyError} kind. Other failures
 * ({@code audit_sink}) come through {@link #recordError(String)}. The certificate cache's size and
 * mint count and the audit log's drop count are read when scraped. App, host and error-kind labels are capped
 * (later values become {@code other}) so a client cannot grow the series without limit; each label
 * set's meter is registered once and then reused ({@link MeterCache}). All methods are cheap,
 * thread-safe and never throw on bad input. {@link DaemonStateMeters} binds the build, reload and CA meters.
 *
 * <p>Series (Prometheus names): {@code credproxy_requests_total{app,host,decision,status}},
 * {@code credproxy_bytes_total{app,direction}}, {@code credproxy_request_duration_seconds{app,decision}}
 * (histogram), {@code credproxy_agent_events_total{app,kind}},
 * {@code credproxy_connections_active}, {@code credproxy_tunnels_active},
 * {@code credproxy_upstream_connections_active}, {@code credproxy_certificate_cache_size},
 * {@code credproxy_certificates_minted_total}, {@code credproxy_errors_total{kind}},
 * {@code credproxy_audit_dropped_total}, plus JVM memory, thread and uptime series and
 * {@code process_open_fds}/{@code process_max_fds} ({@link ProcessMeterNames}).
 */
public final class ProxyMetrics implements AuditSink, AgentEventSink {
    /** The content type of {@link #scrape()}: Prometheus text format 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    public static final int DEFAULT_MAX_APPS = 100;
    public static final int DEFAULT_MAX_HOSTS = 200;
    private static final int MAX_ERROR_KINDS = 32;

    private record AgentEventLabels(String app, AgentEventKind kind) {}

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final BoundedLabel apps;
    private final BoundedLabel hosts;
    private final BoundedLabel errorKinds = new BoundedLabel(MAX_ERROR_KINDS);
    private final AtomicInteger activeConnections = new AtomicInteger();
    private final AtomicInteger activeTunnels = new AtomicInteger();
    private final AtomicInteger upstreamConnections = new AtomicInteger();
    private final MeterCache<String, Counter> errorCounters = new MeterCache<>(this::errorCounter);
    private final Map<ProxyError, Counter> errors = new EnumMap<>(ProxyError.class);
    private final RequestMeters requests;
    private final MeterCache<AgentEventLabels, Counter> agentEvents = new MeterCache<>(l -> Counter.builder("credproxy.agent.events")
            .description("Events reported by agents: clients instrumented, raw sockets tunneled or blocked")
            .tag("app", l.app())
            .tag("kind", l.kind().wireName())
            .register(registry));
    private final List<Object> keepAlive = new CopyOnWriteArrayList<>();

    public ProxyMetrics() {
        this(DEFAULT_MAX_APPS, DEFAULT_MAX_HOSTS);
    }

    /**
     * @param maxApps distinct app label values before {@code other}
     * @param maxHosts distinct host label values before {@code other}
     */
    public ProxyMetrics(int maxApps, int maxHosts) {
        this.apps = new BoundedLabel(maxApps);
        this.hosts = new BoundedLabel(maxHosts);
        // Before any meter: Micrometer applies a filter only to meters registered after it.
        registry.config().meterFilter(ProcessMeterNames.PROMETHEUS_DESCRIPTOR_NAMES);
        this.requests = new RequestMeters(registry, apps, hosts);
        Gauge.builder("credproxy.connections.active", activeConnections, AtomicInteger::get)
                .description("Client connections open to the proxy")
                .register(registry);
        Gauge.builder("credproxy.tunnels.active", activeTunnels, AtomicInteger::get)
                .description("Opaque tunnels open (CONNECT to hosts without a rule)")
                .register(registry);
        Gauge.builder("credproxy.upstream.connections.active", upstreamConnections, AtomicInteger::get)
                .description("Connections open to upstream servers, pooled ones included")
                .register(registry);
        for (ProxyError kind : ProxyError.values()) {
            errors.put(kind, errorCounters.get(errorKinds.of(kind.metricName()))); // every server failure kind is exported from the start, at 0
        }
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    @Override
    public void record(AuditEvent event) {
        if (event == null) {
            return;
        }
        requests.record(event);
    }

    @Override
    public void recordAgentEvent(AgentEvent event) {
        if (event == null) {
            return;
        }
        // Posted names never take a label of their own: anyone can post, traffic admits the apps.
        agentEvents.get(new AgentEventLabels(apps.admittedOr(event.app(), BoundedLabel.EVENTS_ONLY), event.kind())).increment();
    }

    /** A client connection to the proxy was accepted. */
    public void connectionOpened() {
        activeConnections.incrementAndGet();
    }

    /** A client connection to the proxy was closed. */
    public void connectionClosed() {
        activeConnections.decrementAndGet();
    }

    public void tunnelOpened() {
        activeTunnels.incrementAndGet();
    }

    public void tunnelClosed() {
        activeTunnels.decrementAndGet();
    }

    public void upstreamOpened() {
        upstreamConnections.incrementAndGet();
    }

    public void upstreamClosed() {
        upstreamConnections.decrementAndGet();
    }

    /** Open client connections to the proxy port. */
    public long clientConnections() {
        return activeConnections.get();
    }

    /** Open opaque tunnels. */
    public long tunnels() {
        return activeTunnels.get();
    }

    /** Open connections to upstream servers, pooled ones included. */
    public long upstreamConnections() {
        return upstreamConnections.get();
    }

    /** Failures of this kind so far. */
    public long errors(ProxyError kind) {
        return (long) errors.get(kind).count();
    }

    /**
     * Counts a failure outside a single request's audit event ({@code tls_handshake},
     * {@code admin}, {@code audit_sink}, ...). Use a small fixed set of kinds.
     */
    public void recordError(String kind) {
        errorCounters.get(errorKinds.of(kind)).increment();
    }

    /** Counts a failure the proxy server saw. */
    public void error(ProxyError kind) {
        errors.get(kind).increment();
    }

    private Counter errorCounter(String kind) {
        return Counter.builder("credproxy.errors")
                .description("Failures by kind")
                .tag("kind", kind)
                .register(registry);
    }

    /** Exports the leaf-certificate cache's size, read at each scrape. */
    public void bindCertificateCacheSize(Supplier<? extends Number> size) {
        Objects.requireNonNull(size, "size");
        Gauge.builder("credproxy.certificate.cache.size", size, s -> value(s.get()))
                .description("Leaf certificates cached for intercepted hosts")
                .strongReference(true)
                .register(registry);
    }

    /** Exports how many leaf certificates have been minted ({@code ServerSslContexts::minted}), read at each scrape. */
    public void bindCertificatesMinted(LongSupplier minted) {
        Objects.requireNonNull(minted, "minted");
        FunctionCounter.builder("credproxy.certificates.minted", minted, LongSupplier::getAsLong)
                .description("Leaf certificates minted for intercepted hosts since the start")
                .register(registry);
        keepAlive.add(minted); // held weakly by the counter, as below
    }

    /** Exports the audit log's count of dropped events ({@code auditLog::dropped}), read at each scrape. */
    public void bindAuditDrops(LongSupplier dropped) {
        Objects.requireNonNull(dropped, "dropped");
        FunctionCounter.builder("credproxy.audit.dropped", dropped, LongSupplier::getAsLong)
                .description("Audit events dropped because the audit queue was full")
                .register(registry);
        keepAlive.add(dropped); // function counters hold their object weakly; a lambda would be collected
    }

    /** Keeps an object a function meter reads for as long as the metrics live (those meters hold it weakly). */
    void hold(Object state) {
        keepAlive.add(state);
    }

    /** The Prometheus text exposition of every metric; the body of {@code GET /metrics}. */
    public String scrape() {
        return registry.scrape();
    }

    /** The registry, for binding further meters. */
    public MeterRegistry registry() {
        return registry;
    }

    private static double value(Number n) {
        return n == null ? Double.NaN : n.doubleValue();
    }
}
