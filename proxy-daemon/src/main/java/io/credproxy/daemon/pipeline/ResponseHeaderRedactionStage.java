package io.credproxy.daemon.pipeline;

import io.credproxy.daemon.secrets.Redactor;
import io.credproxy.protocol.report.Decision;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Removes secret values from response header values on exchanges that carried a credential.
 *
 * <p>An upstream that echoes a request header (a debug endpoint, an error message quoting the token)
 * must not hand the credential to the client the daemon keeps it from. Informational responses are
 * treated the same, and so are trailers (HTTP/1.1 chunked and HTTP/2 alike). Bodies are relayed as
 * they are (see the README's security model).
 */
public final class ResponseHeaderRedactionStage implements ResponseHeadHook, ResponseContentHook {
    @Override
    public void onResponseHead(Exchange exchange, HttpResponse response) {
        if (exchange.decision() == Decision.INJECTED) {
            redact(response.headers(), exchange.policy().redactor());
        }
    }

    /** Trailers are header fields too (gRPC puts its status and error message there); body bytes pass as they are. */
    @Override
    public HttpContent onResponseContent(Exchange exchange, HttpContent content) {
        if (content instanceof LastHttpContent last && !last.trailingHeaders().isEmpty()
                && exchange.decision() == Decision.INJECTED) {
            redact(last.trailingHeaders(), exchange.policy().redactor());
        }
        return content;
    }

    private static void redact(HttpHeaders headers, Redactor redactor) {
        List<String> names = null;
        for (Map.Entry<String, String> e : headers) {
            if (redactor.redact(e.getValue()) != e.getValue()) {
                if (names == null) {
                    names = new ArrayList<>();
                }
                names.add(e.getKey());
            }
        }
        if (names != null) {
            for (String name : names) {
                List<String> values = new ArrayList<>();
                for (String v : headers.getAll(name)) {
                    values.add(redactor.redact(v));
                }
                headers.set(name, values);
            }
        }
    }
}
