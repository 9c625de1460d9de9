package io.credproxy.bench.scenario;

import io.credproxy.bench.BenchClients;
import io.credproxy.bench.ExpectedAuth;
import io.credproxy.bench.ProxyMeter;
import io.credproxy.bench.Tally;
import io.credproxy.bench.Target;
import io.credproxy.bench.TargetSession;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSession;

/**
 * GETs of the echo endpoint from {@code concurrency} workers for a fixed time, each checking that
 * the upstream saw the credential.
 *
 * <p>{@link Mode#KEEP_ALIVE}: all workers share one pooled client, as an application would, so
 * each keeps a connection (and, through a proxy, a tunnel) open. {@link Mode#NEW_CONNECTION}: every
 * request uses a new client with its own TLS context, so it opens a new TCP connection, sends a new
 * CONNECT and makes a full TLS handshake; each response's TLS session must have been created after
 * its request started, or the request counts as an error (a reused connection would carry an older
 * session).
 *
 * <p>{@link Mode#KEEP_ALIVE_H2}: one pooled HTTP/2 client, so every worker's request is a stream of
 * the same connection (the h2 echo endpoint); a response that came over HTTP/1.1 is an error.
 * {@link Mode#GRPC_UNARY}: one gRPC channel (HTTP/2), every worker making unary calls to the
 * benchmark's gRPC upstream, whose answer is its verdict on the call's {@code authorization}.
 *
 * <p>Workers run a warm-up first (not measured: connections open, JIT compiles), then the measured
 * window. A request counts when it started inside the window; the window's length is taken up to
 * the last such request's end. Warm-up ends no earlier than every worker's first answer.
 */
public final class RequestLoopScenario implements Scenario {
    public enum Mode { KEEP_ALIVE, NEW_CONNECTION, KEEP_ALIVE_H2, GRPC_UNARY }

    private final String id;
    private final Mode mode;
    private final int concurrency;
    private final Duration firstWarmup;
    private final Duration warmup;
    private final Duration measure;

    /** Longest wait for every worker's first answer before measuring anyway. */
    private static final Duration WARMUP_LIMIT = Duration.ofSeconds(60);

    public RequestLoopScenario(String id, Mode mode, int concurrency, Duration firstWarmup, Duration warmup, Duration measure) {
        this.id = id;
        this.mode = mode;
        this.concurrency = concurrency;
        this.firstWarmup = firstWarmup;
        this.warmup = warmup;
        this.measure = measure;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Kind kind() {
        return Kind.REQUESTS;
    }

    @Override
    public boolean supports(Target target) {
        return target.http2() || (mode != Mode.KEEP_ALIVE_H2 && mode != Mode.GRPC_UNARY);
    }

    public int concurrency() {
        return concurrency;
    }

    public Mode mode() {
        return mode;
    }

    @Override
    public Tally run(TargetSession session, boolean firstRound) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(mode == Mode.KEEP_ALIVE_H2 ? session.endpoints().echoH2() : session.endpoints().echo())
                .GET()
                .header("Authorization", session.auth().sentBy(session.target()))
                .timeout(Duration.ofSeconds(60))
                .build();
        HttpClient shared = switch (mode) {
            case KEEP_ALIVE -> session.clients().pooled();
            case KEEP_ALIVE_H2 -> session.clients().pooledH2();
            default -> null;
        };
        GrpcCaller grpc = mode == Mode.GRPC_UNARY ? GrpcCaller.open(session) : null;
        Window window = new Window();
        CountDownLatch warmedUp = new CountDownLatch(concurrency);
        CountDownLatch done = new CountDownLatch(concurrency);
        List<Tally> tallies = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            Tally tally = new Tally();
            tallies.add(tally);
            Thread worker = new Thread(() -> {
                try {
                    loop(session, shared, grpc, request, window, warmedUp, tally);
                } finally {
                    done.countDown();
                }
            }, id + "-" + i);
            worker.setDaemon(true);
            worker.start();
        }
        // Warm up for the given time, and at least until every worker has a finished request: then
        // every connection is open and the window measures steady state, however slow the start.
        long warmupEnd = System.nanoTime() + (firstRound ? firstWarmup : warmup).toNanos();
        warmedUp.await(WARMUP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        sleepUntil(warmupEnd);
        ProxyMeter meter = session.startMeter();
        window.open(measure);
        done.await();
        ProxyMeter.Usage usage = meter.stop();
        if (shared != null) {
            BenchClients.close(shared);
        }
        if (grpc != null) {
            grpc.close();
        }
        Tally result = new Tally();
        tallies.forEach(result::add);
        result.addElapsed(window.length());
        result.addUsage(usage);
        return result;
    }

    /** The measured interval, opened by the runner once warm-up is over; workers read it. */
    private static final class Window {
        private volatile long start = Long.MAX_VALUE;
        private volatile long end = Long.MAX_VALUE;
        private final AtomicLong lastEnd = new AtomicLong();

        void open(Duration length) {
            long now = System.nanoTime();
            lastEnd.set(now);
            end = now + length.toNanos();
            start = now;
        }

        long length() {
            return start == Long.MAX_VALUE ? 0 : lastEnd.get() - start;
        }
    }

    private void loop(TargetSession session, HttpClient shared, GrpcCaller grpc, HttpRequest request, Window window,
            CountDownLatch warmedUp, Tally tally) {
        boolean first = true;
        while (true) {
            long t0 = System.nanoTime();
            if (t0 >= window.end) {
                return;
            }
            String error = grpc != null ? grpc.call() : once(session, shared, request);
            long t1 = System.nanoTime();
            if (t0 >= window.start) {
                tally.record(t1 - t0, error);
                window.lastEnd.accumulateAndGet(t1, Math::max);
            }
            if (first) {
                first = false;
                warmedUp.countDown();
            }
        }
    }

    private String once(TargetSession session, HttpClient shared, HttpRequest request) {
        HttpClient client = shared != null ? shared : session.clients().fresh();
        long startedMillis = System.currentTimeMillis();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return "status " + response.statusCode();
            }
            if (mode == Mode.KEEP_ALIVE_H2 && response.version() != HttpClient.Version.HTTP_2) {
                return "the response came over " + response.version() + ", not HTTP/2";
            }
            String mismatch = ExpectedAuth.mismatch(response.body());
            if (mismatch != null) {
                return mismatch;
            }
            if (mode == Mode.NEW_CONNECTION) {
                long created = response.sslSession().map(SSLSession::getCreationTime).orElse(0L);
                if (created < startedMillis) {
                    return "the response came over a TLS session older than its request: the connection was reused";
                }
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } finally {
            if (shared == null) {
                session.clients().closeLater(client);
            }
        }
    }

    static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
    }
}
