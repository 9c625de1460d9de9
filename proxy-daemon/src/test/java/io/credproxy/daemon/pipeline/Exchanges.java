package io.credproxy.daemon.pipeline;

import io.credproxy.daemon.policy.Policy;
import io.credproxy.daemon.rules.Rule;
import io.credproxy.daemon.rules.SecretTemplate;
import io.credproxy.daemon.secrets.Secrets;
import io.credproxy.protocol.config.HostPort;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fake exchanges for stage tests: a policy with a header rule, a placeholder rule (path only), plaintext
 * rules, and a placeholder rule with {@code substitute_headers: [X-Api-Key]} ({@code opted.test}).
 */
final class Exchanges {
    static final String CF_TOKEN = "cf-secret-value-0123456789";
    static final String TG_TOKEN = "123456:tg-secret/value?x";
    static final String PLAIN_TOKEN = "plain-secret-value-xyz";

    static final Policy POLICY;

    static {
        try {
            POLICY = Policy.resolve(List.of(
                    new Rule("api.cloudflare.com", null, Map.of("Authorization", SecretTemplate.parse("Bearer ${CF}")), Map.of(), false),
                    new Rule("api.telegram.org", null, Map.of(), Map.of("proxy-managed", SecretTemplate.parse("${TG}")), false),
                    new Rule("plain-ok.test", 80, Map.of("X-Key", SecretTemplate.parse("${PLAIN}")), Map.of(), true),
                    new Rule("plain-no.test", null, Map.of("X-Key", SecretTemplate.parse("${PLAIN}")), Map.of(), false),
                    new Rule("opted.test", null, Map.of(), Map.of("proxy-managed", SecretTemplate.parse("${TG}")), false,
                            Set.of("X-Api-Key"), false)),
                    new Secrets("test", Map.of("CF", CF_TOKEN, "TG", TG_TOKEN, "PLAIN", PLAIN_TOKEN)));
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Exchanges() {}

    static HttpRequest request(String method, String uri, String... headers) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), uri);
        for (int i = 0; i < headers.length; i += 2) {
            request.headers().add(headers[i], headers[i + 1]);
        }
        return request;
    }

    /** A request inside a tunnel CONNECTed to {@code target}. */
    static Exchange intercepted(String target, String sni, HttpRequest request) {
        return intercepted(target, sni, request, null);
    }

    static Exchange intercepted(String target, String sni, HttpRequest request, String requestAuthority) {
        return new Exchange(target(target, 443, Target.Kind.INTERCEPTED, request), Exchange.Scheme.HTTPS, sni, request,
                path(request.uri()), requestAuthority);
    }

    /** The target of a request to {@code destination} from a client at 127.0.0.1:1 naming app {@code app}. */
    static Target target(String destination, int defaultPort, Target.Kind kind, HttpRequest request) {
        return new Target(new Connection(null, "127.0.0.1:1"), "app", HostPort.parse(destination, defaultPort), kind,
                request.method().name(), POLICY);
    }

    /** An absolute-form plain-HTTP request to {@code target}. */
    static Exchange plain(String target, HttpRequest request) {
        return new Exchange(target(target, 80, Target.Kind.HTTP, request), Exchange.Scheme.HTTP, null, request,
                path(request.uri()), null);
    }

    private static String path(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }
}
