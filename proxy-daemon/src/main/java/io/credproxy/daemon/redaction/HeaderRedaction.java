package io.credproxy.daemon.redaction;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Redacts a response head (status reason phrase and header fields) and chunked trailers.
 *
 * <p>A value that holds a secret form gets {@link RedactionPatterns#MARKER} in its place (a valid
 * field value). A field whose <em>name</em> holds one is removed: no marker can make a valid token
 * out of it, and an upstream has no business naming a field after a credential. Field order is
 * kept. Values are matched as the bytes they were on the wire (Netty keeps them as ISO-8859-1
 * characters), so UTF-8 secrets match too.
 */
public final class HeaderRedaction {
    private HeaderRedaction() {}

    /** Redacts the reason phrase and every header field of {@code response} in place. */
    public static void redactHead(HttpResponse response, RedactionPatterns patterns) {
        if (patterns.isEmpty()) {
            return;
        }
        response.setStatus(redact(response.status(), patterns));
        redact(response.headers(), patterns);
    }

    /** Redacts the trailer fields of the last chunk of a chunked body in place. */
    public static void redactTrailers(LastHttpContent last, RedactionPatterns patterns) {
        redact(last.trailingHeaders(), patterns);
    }

    /** The status with its reason phrase redacted; the same instance when nothing matched. */
    public static HttpResponseStatus redact(HttpResponseStatus status, RedactionPatterns patterns) {
        String reason = status.reasonPhrase();
        String redacted = patterns.redactLatin1(reason);
        return redacted == reason ? status : new HttpResponseStatus(status.code(), redacted);
    }

    /**
     * Redacts {@code headers} in place.
     *
     * @return how many fields were changed or removed
     */
    public static int redact(HttpHeaders headers, RedactionPatterns patterns) {
        if (patterns.isEmpty() || headers.isEmpty()) {
            return 0;
        }
        List<Map.Entry<String, String>> kept = new ArrayList<>(headers.size());
        int changed = 0;
        for (Map.Entry<String, String> field : headers) {
            String name = field.getKey();
            if (patterns.redactLatin1(name) != name) {
                changed++;
                continue;
            }
            String value = field.getValue();
            String redacted = patterns.redactLatin1(value);
            if (redacted != value) {
                changed++;
            }
            kept.add(Map.entry(name, redacted));
        }
        if (changed > 0) {
            headers.clear();
            for (Map.Entry<String, String> field : kept) {
                headers.add(field.getKey(), field.getValue());
            }
        }
        return changed;
    }
}
