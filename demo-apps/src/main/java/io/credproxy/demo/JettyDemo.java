package io.credproxy.demo;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpResponseException;
import org.eclipse.jetty.client.Request;

/**
 * Jetty 12's {@code HttpClient}, no proxy configured, default TLS. Its connects are non-blocking
 * {@code SocketChannel}s: without the client-level hook the socket fence would tunnel them, and under
 * {@code sockets=block} refuse them.
 */
public final class JettyDemo {
    private JettyDemo() {}

    public static void main(String[] args) {
        try {
            call(DemoTarget.fromEnvironment());
        } catch (Exception e) {
            DemoTarget.fail("jetty12", e);
        }
    }

    /** One GET; prints the outcome line. */
    static void call(DemoTarget target) throws Exception {
        HttpClient client = new HttpClient();
        client.setConnectTimeout(10_000);
        client.start();
        try {
            Request request = client.newRequest(target.uri()).timeout(20, TimeUnit.SECONDS);
            request.headers(headers -> target.headers().forEach(headers::put));
            try {
                ContentResponse response = request.send();
                DemoTarget.report("jetty12", response.getStatus(), response.getContentAsString());
            } catch (ExecutionException e) {
                // Jetty fails a 401 without a WWW-Authenticate challenge (the stand-in's answer to a missing token).
                if (e.getCause() instanceof HttpResponseException refused) {
                    DemoTarget.report("jetty12", refused.getResponse().getStatus(), "");
                } else {
                    throw e;
                }
            }
        } finally {
            client.stop();
        }
    }
}
