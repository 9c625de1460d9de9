package io.credproxy.demo;

import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.DefaultRoutePlanner;
import org.apache.http.util.EntityUtils;

/**
 * Apache HttpClient 4.5 (the AWS SDK v2's default synchronous client underneath), built with a route
 * planner that never asks for a proxy: it goes direct unless the agent forces its route. Under
 * {@code sockets=block} only the client-level hook gets it out, since its socket to the API is refused.
 */
public final class Apache4Demo {
    private Apache4Demo() {}

    public static void main(String[] args) {
        try {
            call(DemoTarget.fromEnvironment());
        } catch (Exception e) {
            DemoTarget.fail("apache-httpclient4", e);
        }
    }

    /** One GET with the deprecated {@code DefaultHttpClient} (still in old code); prints the outcome line. */
    @SuppressWarnings("deprecation")
    static void callLegacy(DemoTarget target) throws Exception {
        org.apache.http.impl.client.DefaultHttpClient client = new org.apache.http.impl.client.DefaultHttpClient();
        try {
            HttpGet get = new HttpGet(target.uri());
            target.headers().forEach(get::setHeader);
            org.apache.http.HttpResponse response = client.execute(get);
            DemoTarget.report("apache-httpclient4-legacy", response.getStatusLine().getStatusCode(), EntityUtils.toString(response.getEntity()));
        } finally {
            client.getConnectionManager().shutdown();
        }
    }

    /** One GET; prints the outcome line. */
    static void call(DemoTarget target) throws Exception {
        RequestConfig timeouts = RequestConfig.custom().setConnectTimeout(10_000).setSocketTimeout(20_000).build();
        try (CloseableHttpClient client = HttpClients.custom().setRoutePlanner(new DefaultRoutePlanner(null))
                .setDefaultRequestConfig(timeouts).build()) {
            HttpGet get = new HttpGet(target.uri());
            target.headers().forEach(get::setHeader);
            try (CloseableHttpResponse response = client.execute(get)) {
                DemoTarget.report("apache-httpclient4", response.getStatusLine().getStatusCode(), EntityUtils.toString(response.getEntity()));
            }
        }
    }
}
