package io.credproxy.bench.jmh;

import io.credproxy.daemon.config.ConfigException;
import io.credproxy.daemon.rules.Policy;
import io.credproxy.daemon.rules.ResolvedRule;
import io.credproxy.daemon.secrets.Secrets;
import io.credproxy.protocol.rules.Rule;
import io.credproxy.protocol.rules.SecretTemplate;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * Per-request cost of choosing the rule for a destination and setting its headers on a Netty request.
 *
 * <p>The policy holds a realistic handful of rules (exact hosts, one with a port, wildcards). Each
 * invocation builds the request a JDK client sends (the codec's work in the server, measured alone
 * by {@link #buildRequestOnly}), looks the destination up, removes every client copy of each ruled
 * header and sets the real value: what the daemon does per request inside an intercepted tunnel.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class InjectionBenchmark {
    private Policy policy;

    @Setup
    public void setUp() throws ConfigException {
        List<Rule> rules = new ArrayList<>();
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < 8; i++) {
            rules.add(rule("api" + i + ".example.com", null, "Authorization", "Bearer ${TOKEN_" + i + "}"));
            values.put("TOKEN_" + i, "secret-value-" + i + "-0123456789abcdef0123456789abcdef");
        }
        rules.add(rule("*.googleapis.com", null, "X-Goog-Api-Key", "${GOOGLE_KEY}"));
        rules.add(rule("*.workers.dev", 443, "CF-Access-Client-Secret", "${CF_SECRET}"));
        rules.add(rule("api.cloudflare.com", 443, "Authorization", "Bearer ${CF_TOKEN}"));
        values.put("GOOGLE_KEY", "AIzaSyD-0123456789abcdef0123456789abc");
        values.put("CF_SECRET", "cf-0123456789abcdef0123456789abcdef");
        values.put("CF_TOKEN", "cf-token-0123456789abcdef0123456789abcdef");
        policy = Policy.resolve(rules, new Secrets("bench", values));
    }

    private static Rule rule(String host, Integer port, String header, String template) {
        return new Rule(host, port, Map.of(header, SecretTemplate.parse(template)), Map.of(), false);
    }

    /** The request as the JDK HttpClient sends it, with the placeholder the sandbox holds. */
    static HttpRequest clientRequest() {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/client/v4/zones?page=1");
        HttpHeaders headers = request.headers();
        headers.add("Content-Length", "0");
        headers.add("Host", "api.cloudflare.com");
        headers.add("User-Agent", "Java-http-client/17.0.15");
        headers.add("Accept", "application/json");
        headers.add("authorization", "Bearer proxy-managed");
        return request;
    }

    @Benchmark
    public HttpRequest buildRequestOnly() {
        return clientRequest();
    }

    @Benchmark
    public HttpRequest matchAndInjectExactHost() {
        return inject(clientRequest(), "api.cloudflare.com", 443);
    }

    @Benchmark
    public HttpRequest matchAndInjectWildcardHost() {
        return inject(clientRequest(), "places.googleapis.com", 443);
    }

    @Benchmark
    public HttpRequest matchNoRule() {
        return inject(clientRequest(), "example.org", 443);
    }

    private HttpRequest inject(HttpRequest request, String host, int port) {
        Optional<ResolvedRule> rule = policy.match(host, port);
        if (rule.isPresent()) {
            HttpHeaders headers = request.headers();
            for (Map.Entry<String, String> e : rule.get().headers().entrySet()) {
                // Netty's header names compare case-insensitively: remove() drops every spelling and duplicate.
                headers.remove(e.getKey());
                headers.add(e.getKey(), e.getValue());
            }
        }
        return request;
    }
}
