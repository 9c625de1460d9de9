package io.credproxy.bench.jmh;

import io.credproxy.daemon.config.ConfigException;
import io.credproxy.daemon.pipeline.Connection;
import io.credproxy.daemon.pipeline.Exchange;
import io.credproxy.daemon.pipeline.InjectionStage;
import io.credproxy.daemon.pipeline.PolicyStage;
import io.credproxy.daemon.pipeline.StageResult;
import io.credproxy.daemon.pipeline.Target;
import io.credproxy.daemon.policy.Policy;
import io.credproxy.daemon.rules.Rule;
import io.credproxy.daemon.rules.SecretTemplate;
import io.credproxy.daemon.secrets.Secrets;
import io.credproxy.protocol.config.HostPort;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * Per-request cost of deciding a request's credentials and adding them: the daemon's own
 * {@link PolicyStage} (destination checks: SNI, Host and URI against the CONNECT target; rule
 * lookup) and {@link InjectionStage} (set the rule's headers, replacing the client's copies), on
 * a fresh {@link Exchange} over the request head a JDK client sends.
 *
 * <p>The policy holds a realistic handful of rules (exact hosts, one with a port, wildcards).
 * {@link #buildRequestOnly} is the request construction alone (the codec's work in the server),
 * to subtract.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class InjectionBenchmark {
    private static final HostPort CLOUDFLARE = new HostPort("api.cloudflare.com", 443);
    private static final HostPort PLACES = new HostPort("places.maps.example.net", 443);
    private static final HostPort UNRULED = new HostPort("example.org", 443);

    private final PolicyStage policyStage = new PolicyStage();
    private final InjectionStage injectionStage = new InjectionStage();
    private Policy policy;

    @Setup
    public void setUp() throws ConfigException {
        List<Rule> rules = new ArrayList<>();
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < 8; i++) {
            rules.add(rule("api" + i + ".example.com", null, "Authorization", "Bearer ${TOKEN_" + i + "}"));
            values.put("TOKEN_" + i, "secret-value-" + i + "-0123456789abcdef0123456789abcdef");
        }
        // Wildcards below registrable domains: the daemon refuses one over a public suffix (*.googleapis.com, *.workers.dev).
        rules.add(rule("*.maps.example.net", null, "X-Goog-Api-Key", "${GOOGLE_KEY}"));
        rules.add(rule("*.example-account.workers.dev", 443, "CF-Access-Client-Secret", "${CF_SECRET}"));
        rules.add(rule("api.cloudflare.com", 443, "Authorization", "Bearer ${CF_TOKEN}"));
        values.put("GOOGLE_KEY", "AIzaSyD-0123456789abcdef0123456789abc");
        values.put("CF_SECRET", "cf-0123456789abcdef0123456789abcdef");
        values.put("CF_TOKEN", "cf-token-0123456789abcdef0123456789abcdef");
        policy = Policy.resolve(rules, new Secrets("bench", values));
        // Fail at setup, not silently in the measurement, if the stages stop injecting.
        HttpRequest probe = decideAndInject(CLOUDFLARE);
        if (!probe.headers().get("Authorization").startsWith("Bearer cf-token-")) {
            throw new IllegalStateException("InjectionStage did not set the credential");
        }
    }

    private static Rule rule(String host, Integer port, String header, String template) {
        return new Rule(host, port, Map.of(header, SecretTemplate.parse(template)), Map.of(), false);
    }

    private static final Connection CONNECTION = new Connection(null, "127.0.0.1:50000");

    /** The request as the JDK HttpClient sends it inside a tunnel, with the sandbox's placeholder. */
    static HttpRequest clientRequest(String host) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/client/v4/zones?page=1");
        HttpHeaders headers = request.headers();
        headers.add("Content-Length", "0");
        headers.add("Host", host);
        headers.add("User-Agent", "Java-http-client/17.0.15");
        headers.add("Accept", "application/json");
        headers.add("authorization", "Bearer proxy-managed");
        return request;
    }

    private HttpRequest decideAndInject(HostPort destination) {
        HttpRequest request = clientRequest(destination.host());
        Target target = new Target(CONNECTION, "bench", destination, Target.Kind.INTERCEPTED, "GET", policy);
        Exchange exchange = new Exchange(target, Exchange.Scheme.HTTPS, destination.host(), request, "/client/v4/zones", null);
        StageResult decided = policyStage.onRequest(exchange);
        if (decided.proceeds()) {
            injectionStage.onRequest(exchange);
        }
        return request;
    }

    @Benchmark
    public HttpRequest buildRequestOnly() {
        return clientRequest("api.cloudflare.com");
    }

    @Benchmark
    public HttpRequest policyAndInjectionExactHost() {
        return decideAndInject(CLOUDFLARE);
    }

    @Benchmark
    public HttpRequest policyAndInjectionWildcardHost() {
        return decideAndInject(PLACES);
    }

    @Benchmark
    public HttpRequest policyNoRule() {
        return decideAndInject(UNRULED);
    }
}
