package io.credproxy.bench.jmh;

import io.credproxy.daemon.redaction.RedactionPatterns;
import io.credproxy.daemon.redaction.StreamRedactor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of redacting a response body: a 100 MiB stream of 16 KiB chunks (pooled direct buffers,
 * as Netty reads them from a socket) through {@link StreamRedactor}, with 1, 2 or 4 injected
 * secrets in all their forms ({@code RedactionPatterns}), against the same stream forwarded as
 * is ({@link #forwardOnly}: a retained slice per chunk, what the proxy does without redaction).
 *
 * <p>One operation is the whole 100 MiB: MB/s = 104.86 / (seconds per operation). The body is JSON-like
 * text of words, numbers and punctuation (the worst case for a matcher: the secret's letters are
 * common), with a secret or one of its forms planted about once per MiB so the replacement path runs
 * too. {@code kind=token} is a 40-character API token (its forms collapse to about eight patterns);
 * {@code kind=special} has characters every encoder treats differently (dozens of patterns each).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RedactionBenchmark {
    static final int CHUNK = 16 * 1024;
    static final int CHUNKS = 100 * 1024 * 1024 / CHUNK;
    static final int DISTINCT = 64;

    @Param({"1", "2", "4"})
    public int secrets;

    @Param({"token", "special"})
    public String kind;

    private final List<ByteBuf> chunks = new ArrayList<>();
    private RedactionPatterns patterns;

    @Setup(Level.Trial)
    public void setUp() {
        Random random = new Random(17);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < secrets; i++) {
            values.add(kind.equals("token")
                    ? "tok_" + i + "_" + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong()) + "abcdef0123"
                    : "p@ss/" + i + "+w=rd \"q\" <x> & 'y' ü " + Long.toHexString(random.nextLong()));
        }
        patterns = RedactionPatterns.of(values);
        String[] words = {"\"id\":", "\"name\":", "\"value\":", "true", "false", "null", "customer", "account", "data",
            "items", "{", "}", "[", "]", ",", "\"status\":\"ok\"", "0.25", "1234567", "token", "canary", "Bearer", "https://"};
        for (int c = 0; c < DISTINCT; c++) {
            StringBuilder sb = new StringBuilder(CHUNK + 256);
            while (sb.length() < CHUNK) {
                sb.append(words[random.nextInt(words.length)]).append(random.nextInt(4) == 0 ? "\n" : " ");
            }
            if (c % 4 == 0) { // about once per MiB of the stream (64 chunks x 16 KiB cycle, one in four planted)
                sb.insert(random.nextInt(CHUNK - 200), "\"echo\":\"" + values.get(c / 4 % values.size()) + "\"");
            }
            sb.setLength(CHUNK);
            byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
            chunks.add(PooledByteBufAllocator.DEFAULT.directBuffer(CHUNK).writeBytes(bytes, 0, CHUNK));
        }
        // Fail at setup, not silently in the measurement, if nothing is redacted.
        StreamRedactor probe = patterns.newStream(PooledByteBufAllocator.DEFAULT);
        long out = 0;
        for (ByteBuf c : chunks) {
            ByteBuf in = c.retainedDuplicate();
            ByteBuf r = probe.redact(in);
            out += r.readableBytes();
            String text = r.toString(StandardCharsets.UTF_8);
            r.release();
            in.release();
            if (text.contains(values.get(0))) {
                throw new IllegalStateException("secret not redacted");
            }
        }
        ByteBuf tail = probe.finish();
        out += tail.readableBytes();
        tail.release();
        if (out >= (long) DISTINCT * CHUNK) {
            throw new IllegalStateException("nothing was replaced");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        chunks.forEach(ByteBuf::release);
        chunks.clear();
    }

    @Benchmark
    public long redact() {
        StreamRedactor redactor = patterns.newStream(PooledByteBufAllocator.DEFAULT);
        long total = 0;
        for (int i = 0; i < CHUNKS; i++) {
            ByteBuf in = chunks.get(i % DISTINCT).retainedDuplicate();
            ByteBuf out = redactor.redact(in);
            total += out.readableBytes();
            out.release();
            in.release();
        }
        ByteBuf tail = redactor.finish();
        total += tail.readableBytes();
        tail.release();
        return total;
    }

    /**
     * The same work timed in thread CPU time rather than wall time, for a shared machine where other
     * processes take the cores: {@code java -cp bench/target/benchmarks.jar
     * io.credproxy.bench.jmh.RedactionBenchmark}. Prints the best of six runs after warm-up.
     */
    public static void main(String[] args) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        for (String kind : new String[] {"token", "special"}) {
            for (int n : new int[] {1, 2, 4}) {
                RedactionBenchmark b = new RedactionBenchmark();
                b.secrets = n;
                b.kind = kind;
                b.setUp();
                for (int w = 0; w < 8; w++) {
                    b.redact();
                    b.forwardOnly();
                }
                long redact = Long.MAX_VALUE;
                long forward = Long.MAX_VALUE;
                for (int r = 0; r < 6; r++) {
                    long t0 = mx.getCurrentThreadCpuTime();
                    b.redact();
                    long t1 = mx.getCurrentThreadCpuTime();
                    b.forwardOnly();
                    long t2 = mx.getCurrentThreadCpuTime();
                    redact = Math.min(redact, t1 - t0);
                    forward = Math.min(forward, t2 - t1);
                }
                System.out.printf("kind=%s secrets=%d patterns=%d: redact %.1f ms CPU per 100 MiB (%.0f MB/s), forwardOnly %.1f ms%n",
                        kind, n, b.patterns.patternCount(), redact / 1e6, 104.8576 / (redact / 1e9), forward / 1e6);
                b.tearDown();
            }
        }
    }

    @Benchmark
    public long forwardOnly() {
        long total = 0;
        for (int i = 0; i < CHUNKS; i++) {
            ByteBuf in = chunks.get(i % DISTINCT).retainedDuplicate();
            ByteBuf out = in.retainedSlice();
            total += out.readableBytes();
            out.release();
            in.release();
        }
        return total;
    }
}
