package io.credproxy.bench;

import io.credproxy.bench.scenario.RequestLoopScenario;
import io.credproxy.bench.scenario.RequestLoopScenario.Mode;
import io.credproxy.bench.scenario.SseScenario;
import io.credproxy.bench.scenario.TransferScenario;
import io.credproxy.bench.scenario.TransferScenario.Direction;
import java.time.Duration;
import java.util.List;

/**
 * The scenario lists: {@code full} measures what issue 5's targets name; {@code smoke} runs every
 * kind of scenario briefly, with small sizes, so CI proves the benchmark still works.
 */
public final class Profiles {
    /** Scenario ids the target checks look for. */
    public static final String KEEPALIVE_C1 = "keepalive-c1";
    public static final String KEEPALIVE_C16 = "keepalive-c16";
    public static final String NEWCONN_C16 = "newconn-c16";
    public static final String SSE_FIRST_EVENT = "sse-first-event";
    public static final String HELD_1000 = "held-1000";
    public static final String H2_KEEPALIVE_C16 = "h2-keepalive-c16";
    public static final String GRPC_UNARY_C16 = "grpc-unary-c16";

    private Profiles() {}

    /**
     * @param seconds measured seconds per request segment
     * @param rounds interleaved rounds per scenario (the held-connections scenario runs once)
     * @param transferBytes size of the upload (the download's size is the upstream file's)
     */
    public static List<PlannedScenario> full(int seconds, int rounds, long transferBytes) {
        Duration measure = Duration.ofSeconds(seconds);
        Duration firstWarmup = Duration.ofSeconds(3);
        Duration warmup = Duration.ofSeconds(1);
        String size = sizeLabel(transferBytes);
        return List.of(
                new PlannedScenario(new RequestLoopScenario(KEEPALIVE_C1, Mode.KEEP_ALIVE, 1, firstWarmup, warmup, measure), rounds),
                new PlannedScenario(new RequestLoopScenario(KEEPALIVE_C16, Mode.KEEP_ALIVE, 16, firstWarmup, warmup, measure), rounds),
                new PlannedScenario(new RequestLoopScenario("keepalive-c64", Mode.KEEP_ALIVE, 64, firstWarmup, warmup, measure), rounds),
                new PlannedScenario(new RequestLoopScenario(H2_KEEPALIVE_C16, Mode.KEEP_ALIVE_H2, 16, firstWarmup, warmup, measure), rounds),
                new PlannedScenario(new RequestLoopScenario(GRPC_UNARY_C16, Mode.GRPC_UNARY, 16, firstWarmup, warmup, measure), rounds),
                new PlannedScenario(new RequestLoopScenario("newconn-c1", Mode.NEW_CONNECTION, 1, firstWarmup, warmup, measure), rounds),
                new PlannedScenario(new RequestLoopScenario(NEWCONN_C16, Mode.NEW_CONNECTION, 16, firstWarmup, warmup, measure), rounds),
                new PlannedScenario(new TransferScenario("download-" + size, Direction.DOWNLOAD, transferBytes), rounds),
                new PlannedScenario(new TransferScenario("upload-" + size, Direction.UPLOAD, transferBytes), rounds),
                new PlannedScenario(new TransferScenario("download-echo-" + size, Direction.ECHOED_DOWNLOAD, transferBytes), rounds),
                new PlannedScenario(SseScenario.firstEvent(SSE_FIRST_EVENT, 30), rounds),
                new PlannedScenario(SseScenario.rate("sse-rate", 20_000), rounds),
                new PlannedScenario(SseScenario.echoRate("sse-echo-rate", 20_000), rounds),
                // 1,000 workers keep 1,000 connections busy; opening them through a slow proxy takes a while.
                new PlannedScenario(new RequestLoopScenario(HELD_1000, Mode.KEEP_ALIVE, 1000,
                        Duration.ofSeconds(15), Duration.ofSeconds(15), Duration.ofSeconds(Math.max(seconds, 10))), 1));
    }

    public static List<PlannedScenario> smoke(long transferBytes) {
        Duration measure = Duration.ofMillis(1000);
        Duration warmup = Duration.ofMillis(300);
        String size = sizeLabel(transferBytes);
        return List.of(
                new PlannedScenario(new RequestLoopScenario(KEEPALIVE_C1, Mode.KEEP_ALIVE, 1, warmup, warmup, measure), 1),
                new PlannedScenario(new RequestLoopScenario(KEEPALIVE_C16, Mode.KEEP_ALIVE, 16, warmup, warmup, measure), 1),
                new PlannedScenario(new RequestLoopScenario(H2_KEEPALIVE_C16, Mode.KEEP_ALIVE_H2, 16, warmup, warmup, measure), 1),
                new PlannedScenario(new RequestLoopScenario(GRPC_UNARY_C16, Mode.GRPC_UNARY, 16, warmup, warmup, measure), 1),
                new PlannedScenario(new RequestLoopScenario("newconn-c4", Mode.NEW_CONNECTION, 4, warmup, warmup, measure), 1),
                new PlannedScenario(new TransferScenario("download-" + size, Direction.DOWNLOAD, transferBytes), 1),
                new PlannedScenario(new TransferScenario("upload-" + size, Direction.UPLOAD, transferBytes), 1),
                new PlannedScenario(new TransferScenario("download-echo-" + size, Direction.ECHOED_DOWNLOAD, transferBytes), 1),
                new PlannedScenario(SseScenario.firstEvent(SSE_FIRST_EVENT, 3), 1),
                new PlannedScenario(SseScenario.rate("sse-rate", 500), 1),
                new PlannedScenario(SseScenario.echoRate("sse-echo-rate", 500), 1),
                new PlannedScenario(new RequestLoopScenario("held-100", Mode.KEEP_ALIVE, 100,
                        Duration.ofSeconds(2), Duration.ofSeconds(2), measure), 1));
    }

    static String sizeLabel(long bytes) {
        if (bytes % 1048576 == 0) {
            return bytes / 1048576 + "MiB";
        }
        if (bytes % 1024 == 0) {
            return bytes / 1024 + "KiB";
        }
        return bytes + "B";
    }
}
