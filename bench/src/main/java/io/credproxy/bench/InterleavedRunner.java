package io.credproxy.bench;

import io.credproxy.bench.scenario.RequestLoopScenario;
import io.credproxy.bench.scenario.Scenario;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs every scenario against every target in rounds, one target at a time, so that whatever drifts
 * on the machine during a run (other load, thermal state, caches) hits all targets alike.
 *
 * <p>Each round starts with the next target in turn (round 0: A B C, round 1: B C A, ...), so no
 * target always runs right after the same neighbour.
 */
public final class InterleavedRunner {
    private final List<TargetSession> sessions;
    private final PrintStream progress;

    public InterleavedRunner(List<TargetSession> sessions, PrintStream progress) {
        this.sessions = List.copyOf(sessions);
        this.progress = progress;
    }

    /**
     * Brings every target to steady state before anything is measured: a daemon runs for days, so
     * its JIT-compiled state is what users meet. Keep-alive GETs from 16 workers and new connections
     * from 4, for {@code duration} each; nothing is recorded.
     */
    public void prime(Duration duration) throws InterruptedException {
        if (duration.isZero()) {
            return;
        }
        List<Scenario> warmups = List.of(
                new RequestLoopScenario("prime", RequestLoopScenario.Mode.KEEP_ALIVE, 16, Duration.ZERO, Duration.ZERO, duration),
                new RequestLoopScenario("prime", RequestLoopScenario.Mode.NEW_CONNECTION, 4, Duration.ZERO, Duration.ZERO, duration));
        for (TargetSession session : sessions) {
            for (Scenario warmup : warmups) {
                Tally t = warmup.run(session, true);
                progress.printf("%-18s %-10s %s%n", "warm-up", session.target().name(), summary(Scenario.Kind.REQUESTS, t));
            }
        }
    }

    /** Results by scenario id, then by target name (in target order). */
    public Map<String, Map<String, Tally>> run(List<PlannedScenario> plan) throws InterruptedException {
        Map<String, Map<String, Tally>> results = new LinkedHashMap<>();
        for (PlannedScenario planned : plan) {
            Scenario scenario = planned.scenario();
            Map<String, Tally> byTarget = new LinkedHashMap<>();
            sessions.stream().filter(s -> scenario.supports(s.target()))
                    .forEach(s -> byTarget.put(s.target().name(), new Tally()));
            results.put(scenario.id(), byTarget);
            for (int round = 0; round < planned.rounds(); round++) {
                for (TargetSession session : rotated(round)) {
                    if (!scenario.supports(session.target())) {
                        continue;
                    }
                    Tally segment = scenario.run(session, round == 0);
                    byTarget.get(session.target().name()).add(segment);
                    progress.printf("%-18s round %d/%d %-10s %s%n", scenario.id(), round + 1, planned.rounds(),
                            session.target().name(), summary(scenario.kind(), segment));
                    // Let closed connections drain before the next target's segment starts.
                    Thread.sleep(200);
                }
            }
        }
        return results;
    }

    private List<TargetSession> rotated(int round) {
        List<TargetSession> order = new ArrayList<>();
        for (int i = 0; i < sessions.size(); i++) {
            order.add(sessions.get((i + round) % sessions.size()));
        }
        return order;
    }

    static String summary(Scenario.Kind kind, Tally t) {
        String errors = t.errors() == 0 ? "" : "  ERRORS " + t.errors() + " (first: " + t.firstError() + ")";
        return switch (kind) {
            case REQUESTS -> String.format("%,10.0f req/s  p50 %.3f ms  p99 %.3f ms%s",
                    t.perSecond(), t.percentileMillis(50), t.percentileMillis(99), errors);
            case TRANSFER -> String.format("%,10.1f MiB/s  %.2f s%s", t.mibPerSecond(), t.elapsedSeconds(), errors);
            case SSE_FIRST_EVENT -> String.format("first event p50 %.3f ms  event delay p50 %.3f ms max %.1f ms  buffered %d/%d%s",
                    t.percentileMillis(50), t.eventDelayMillis(50), t.eventDelayMillis(100), t.bufferedStreams(), t.streams(), errors);
            case SSE_RATE -> String.format("%,10.0f events/s%s", t.eventsPerSecond(), errors);
        };
    }
}
