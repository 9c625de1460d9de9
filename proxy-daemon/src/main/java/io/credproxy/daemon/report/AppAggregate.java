package io.credproxy.daemon.report;

import io.credproxy.protocol.report.AppReport;
import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.report.BypassReport;
import io.credproxy.protocol.report.Decision;
import io.credproxy.protocol.report.DestinationReport;
import io.credproxy.protocol.report.InstrumentationFailure;
import io.credproxy.protocol.report.Report;
import io.credproxy.protocol.wire.AgentEvent;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The running totals of one app. Not thread-safe: {@link ReportAggregator} locks it.
 *
 * <p>Each map is capped by {@link ReportLimits}; what does not fit is added to an overflow entry
 * named {@link Report#OTHER}, so totals stay exact while memory stays bounded.
 */
final class AppAggregate {
    private record DestinationKey(String host, int port) {}

    private record BypassKey(String kind, String host, int port, String frame) {}

    private final String app;
    private final ReportLimits limits;
    private final Map<DestinationKey, DestinationAggregate> destinations = new HashMap<>();
    private final Map<BypassKey, BypassAggregate> bypasses = new HashMap<>();
    private final TreeSet<String> clients = new TreeSet<>();
    private final TreeSet<InstrumentationFailure> failures = new TreeSet<>();
    private final IdentityAggregate identity;
    private long firstSeen = Long.MAX_VALUE;
    private long lastSeen = Long.MIN_VALUE;

    AppAggregate(String app, ReportLimits limits) {
        this.app = app;
        this.limits = limits;
        this.identity = new IdentityAggregate(limits.maxNamesPerDestination());
    }

    String name() {
        return app;
    }

    void add(AuditEvent event) {
        seen(event.timeMillis());
        identity.add(event.uid(), event.claimedApp(), event.decision(), event.secretNames(), event.refusedSecretNames());
        String host = event.host() == null || event.host().isBlank() ? "(unknown)" : event.host();
        DestinationKey key = new DestinationKey(host, event.port());
        DestinationAggregate d = destinations.get(key);
        if (d == null) {
            // Past the limit, every new destination shares the one overflow entry.
            if (destinations.size() >= limits.maxDestinationsPerApp()) {
                key = new DestinationKey(Report.OTHER, 0);
            }
            d = destinations.computeIfAbsent(key, k -> new DestinationAggregate(limits.maxNamesPerDestination()));
        }
        d.add(event);
    }

    void add(AgentEvent event) {
        seen(event.timeMillis());
        identity.add(event.uid(), event.claimedApp(), null, List.of(), List.of());
        switch (event.kind()) {
            case INSTRUMENTED -> {
                if (event.client() != null && (clients.size() < limits.maxClientsPerApp() || clients.contains(event.client()))) {
                    clients.add(event.client());
                }
            }
            case INSTRUMENTATION_FAILED -> {
                InstrumentationFailure failure = new InstrumentationFailure(event.client(), event.frame());
                if (failures.size() < limits.maxClientsPerApp() || failures.contains(failure)) {
                    failures.add(failure);
                }
            }
            case SOCKET_TUNNELED, SOCKET_BLOCKED -> {
                BypassKey key = new BypassKey(event.kind().wireName(), event.host(), event.port(), event.frame());
                BypassAggregate b = bypasses.get(key);
                if (b == null) {
                    if (bypasses.size() >= limits.maxBypassesPerApp()) {
                        key = new BypassKey(event.kind().wireName(), Report.OTHER, 0, null);
                    }
                    b = bypasses.computeIfAbsent(key, k -> new BypassAggregate());
                }
                b.add(event);
            }
        }
    }

    private void seen(long time) {
        firstSeen = Math.min(firstSeen, time);
        lastSeen = Math.max(lastSeen, time);
    }

    AppReport snapshot() {
        List<DestinationReport> ds = new ArrayList<>(destinations.size());
        destinations.forEach((k, d) -> ds.add(d.snapshot(k.host(), k.port())));
        List<BypassReport> bs = new ArrayList<>(bypasses.size());
        bypasses.forEach((k, b) -> bs.add(new BypassReport(k.kind(), k.host(), k.port(), k.frame(), b.client,
                b.count, b.firstSeen, b.lastSeen)));
        return Reports.app(app, ds, bs, new ArrayList<>(clients), new ArrayList<>(failures),
                firstSeen == Long.MAX_VALUE ? 0 : firstSeen, lastSeen == Long.MIN_VALUE ? 0 : lastSeen, identity.snapshot());
    }

    /** Totals for one destination of one app. */
    private static final class DestinationAggregate {
        private static final Integer OTHER_STATUS = -1;
        private final int maxNames;
        private final EnumMap<Decision, Long> decisions = new EnumMap<>(Decision.class);
        private final Map<Integer, Long> statuses = new HashMap<>(4);
        private final TreeSet<String> secretNames = new TreeSet<>();
        private long requests;
        private long bytesUp;
        private long bytesDown;
        private long firstSeen = Long.MAX_VALUE;
        private long lastSeen = Long.MIN_VALUE;

        DestinationAggregate(int maxNames) {
            this.maxNames = maxNames;
        }

        void add(AuditEvent e) {
            requests++;
            if (e.decision() != null) {
                decisions.merge(e.decision(), 1L, Long::sum);
            }
            Integer status = e.status();
            if (!statuses.containsKey(status) && statuses.size() >= maxNames) {
                status = OTHER_STATUS;
            }
            statuses.merge(status, 1L, Long::sum);
            for (String name : e.secretNames()) {
                if (secretNames.size() < maxNames || secretNames.contains(name)) {
                    secretNames.add(name);
                }
            }
            bytesUp += Math.max(0, e.bytesUp());
            bytesDown += Math.max(0, e.bytesDown());
            firstSeen = Math.min(firstSeen, e.timeMillis());
            lastSeen = Math.max(lastSeen, e.timeMillis());
        }

        DestinationReport snapshot(String host, int port) {
            Map<String, Long> d = new HashMap<>();
            decisions.forEach((k, v) -> d.put(k.wireName(), v));
            Map<String, Long> s = new HashMap<>();
            statuses.forEach((k, v) -> s.put(Objects.equals(k, OTHER_STATUS) ? Report.OTHER : String.valueOf(k), v));
            return new DestinationReport(host, port, requests, d, s, bytesUp, bytesDown, firstSeen, lastSeen,
                    new ArrayList<>(secretNames));
        }
    }

    /** Count and times of one kind of bypass attempt. */
    private static final class BypassAggregate {
        private long count;
        private long firstSeen = Long.MAX_VALUE;
        private long lastSeen = Long.MIN_VALUE;
        private String client;

        void add(AgentEvent e) {
            count++;
            firstSeen = Math.min(firstSeen, e.timeMillis());
            lastSeen = Math.max(lastSeen, e.timeMillis());
            if (client == null) {
                client = e.client();
            }
        }
    }
}
