package io.credproxy.demo;

import java.util.concurrent.TimeUnit;
import org.asynchttpclient.AsyncHttpClient;
import org.asynchttpclient.BoundRequestBuilder;
import org.asynchttpclient.DefaultAsyncHttpClientConfig;
import org.asynchttpclient.Dsl;
import org.asynchttpclient.Response;

/**
 * AsyncHttpClient with {@code useNativeTransport} (epoll), no proxy server configured.
 */
public final class AsyncHttpClientDemo {
    private AsyncHttpClientDemo() {}

    public static void main(String[] args) {
        try {
            call(DemoTarget.fromEnvironment());
        } catch (Exception e) {
            DemoTarget.fail("async-http-client", e);
        }
    }

    /** One GET; prints the outcome line. */
    static void call(DemoTarget target) throws Exception {
        String name = "async-http-client";
        DefaultAsyncHttpClientConfig config = Dsl.config().setUseNativeTransport(true)
                .setConnectTimeout(java.time.Duration.ofSeconds(10)).setRequestTimeout(java.time.Duration.ofSeconds(20)).build();
        try (AsyncHttpClient client = Dsl.asyncHttpClient(config)) {
            BoundRequestBuilder request = client.prepareGet(target.uri().toString());
            target.headers().forEach(request::setHeader);
            Response response = request.execute().get(30, TimeUnit.SECONDS);
            DemoTarget.report(name, response.getStatusCode(), response.getResponseBody());
        }
    }
}
