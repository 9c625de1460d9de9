package io.credproxy.bench.jmh;

import io.credproxy.daemon.tls.CertificateAuthority;
import io.credproxy.daemon.tls.IssuedCertificate;
import io.credproxy.daemon.tls.LeafCertificateFactory;
import io.credproxy.daemon.tls.ServerSslContexts;
import io.netty.handler.ssl.SslContext;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of presenting a leaf certificate for an intercepted host: minted on a cache miss, looked up
 * on a hit.
 *
 * <p>{@link #mintCold} is {@link LeafCertificateFactory#mint} alone (a fresh P-256 key and a
 * signature) for a host never seen; {@link #forHostCold} adds building the server
 * {@code SslContext}, which is what the first CONNECT to a host pays; {@link #forHostCached} is
 * every later handshake's lookup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LeafMintingBenchmark {
    private LeafCertificateFactory factory;
    private ServerSslContexts contexts;
    private long sequence;

    @Setup
    public void setUp() {
        factory = new LeafCertificateFactory(CertificateAuthority.ephemeral("credproxy bench CA"));
        // Bounded like the daemon's cache: cold lookups evict, as a daemon seeing endless new hosts would.
        contexts = new ServerSslContexts(factory, 1024);
        contexts.forHost("api.cloudflare.com");
    }

    private String newHost() {
        return "h" + (sequence++) + ".bench.example";
    }

    @Benchmark
    public IssuedCertificate mintCold() {
        return factory.mint(newHost());
    }

    @Benchmark
    public SslContext forHostCold() {
        return contexts.forHost(newHost());
    }

    @Benchmark
    public SslContext forHostCached() {
        return contexts.forHost("api.cloudflare.com");
    }
}
