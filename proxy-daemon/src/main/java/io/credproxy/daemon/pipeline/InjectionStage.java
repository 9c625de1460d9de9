package io.credproxy.daemon.pipeline;

import io.credproxy.daemon.policy.ResolvedRule;
import io.credproxy.daemon.rules.SecretTemplate;
import io.credproxy.protocol.report.Decision;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adds the applicable rule's credentials to the request.
 *
 * <p>Placeholders ({@code substitute}) are replaced first, in the request path and in the values of
 * the headers the rule names in {@code substitute_headers}; then each {@code headers} entry is set,
 * replacing every copy the client sent in any spelling of the name (Netty's headers compare names
 * case-insensitively). The order means a configured header is never rewritten by a substitution.
 *
 * <p>Nowhere else: not in the query, not in other headers, not in a body. There the workload would
 * choose where the credential lands ({@code ?text=proxy-managed} sends the real token as a chat
 * message an API echoes back); a placeholder there is forwarded as it is.
 *
 * <p>A value substituted into the path is percent-encoded except for unreserved characters and
 * {@code :}, so a value can never change the structure of the URL (add a path segment, a query
 * parameter or a fragment). Telegram tokens ({@code 123:ABC-def}) pass unchanged.
 */
public final class InjectionStage implements RequestHeadHook {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    @Override
    public StageResult onRequest(Exchange exchange) {
        ResolvedRule rule = exchange.rule();
        if (rule == null) {
            return StageResult.proceed();
        }
        HttpRequest request = exchange.request();
        for (Map.Entry<String, String> e : rule.substitutions().entrySet()) {
            if (substitute(request, rule.rule().substituteHeaders(), e.getKey(), e.getValue())) {
                exchange.addSecretNames(namesOf(rule.rule().substitute().get(e.getKey())));
            }
        }
        HttpHeaders headers = request.headers();
        for (Map.Entry<String, String> e : rule.headers().entrySet()) {
            headers.set(e.getKey(), e.getValue());
            exchange.addSecretNames(namesOf(rule.rule().headers().get(e.getKey())));
        }
        exchange.decision(exchange.secretNames().isEmpty() ? Decision.PASSTHROUGH : Decision.INJECTED);
        return StageResult.proceed();
    }

    private static List<String> namesOf(SecretTemplate template) {
        return template == null ? List.of() : List.copyOf(template.secretNames());
    }

    /** Replaces {@code placeholder} in the path and in the opted-in headers; whether it occurred anywhere. */
    static boolean substitute(HttpRequest request, Set<String> optedInHeaders, String placeholder, String value) {
        boolean used = false;
        String uri = request.uri();
        int pathEnd = endOfPath(uri);
        String path = uri.substring(0, pathEnd);
        if (path.contains(placeholder)) {
            request.setUri(path.replace(placeholder, encodeForUri(value)) + uri.substring(pathEnd));
            used = true;
        }
        HttpHeaders headers = request.headers();
        for (String name : optedInHeaders) {
            List<String> values = headers.getAll(name);
            if (values.stream().noneMatch(v -> v.contains(placeholder))) {
                continue;
            }
            List<String> replaced = new ArrayList<>(values.size());
            for (String v : values) {
                replaced.add(v.replace(placeholder, value));
            }
            headers.set(name, replaced);
            used = true;
        }
        return used;
    }

    /** Where the path ends: at the query or the fragment. */
    private static int endOfPath(String uri) {
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '?' || c == '#') {
                return i;
            }
        }
        return uri.length();
    }

    /** Percent-encodes everything but RFC 3986 unreserved characters and {@code :}. */
    static String encodeForUri(String value) {
        StringBuilder out = null;
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            boolean keep = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                    || b == '-' || b == '.' || b == '_' || b == '~' || b == ':';
            if (keep) {
                if (out != null) {
                    out.append((char) b);
                }
            } else {
                if (out == null) {
                    out = new StringBuilder(bytes.length + 16);
                    for (int j = 0; j < i; j++) {
                        out.append((char) bytes[j]);
                    }
                }
                out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
            }
        }
        return out == null ? value : out.toString();
    }
}
