package io.credproxy.demo;

import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;

/**
 * Apache HttpClient 5 async, trying to go around the proxy with a custom route planner that always
 * answers "direct".
 */
public final class ApacheAsyncDemo {
    private ApacheAsyncDemo() {}

    public static void main(String[] args) {
        DemoTarget target = DemoTarget.fromEnvironment();
        try (CloseableHttpAsyncClient client = HttpAsyncClients.custom().setRoutePlanner(ApacheClassicDemo.DIRECT).build()) {
            client.start();
            SimpleRequestBuilder builder = SimpleRequestBuilder.get(target.uri());
            target.headers().forEach(builder::setHeader);
            SimpleHttpRequest request = builder.build();
            SimpleHttpResponse response = client.execute(request, null).get(30, TimeUnit.SECONDS);
            DemoTarget.report("apache-httpclient5 async", response.getCode(), response.getBodyText());
        } catch (Exception e) {
            DemoTarget.fail("apache-httpclient5 async", e);
        }
    }
}
