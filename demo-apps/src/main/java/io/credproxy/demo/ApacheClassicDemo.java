package io.credproxy.demo;

import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.routing.HttpRoutePlanner;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * Apache HttpClient 5 classic, trying to go around the proxy: a custom route planner that always
 * answers "direct", then {@code HttpClients.createDefault()}.
 */
public final class ApacheClassicDemo {
    private ApacheClassicDemo() {}

    /** A route planner that never uses a proxy. */
    static final HttpRoutePlanner DIRECT = new HttpRoutePlanner() {
        @Override
        public HttpRoute determineRoute(HttpHost target, HttpContext context) {
            return new HttpRoute(target, null, "https".equals(target.getSchemeName()));
        }
    };

    public static void main(String[] args) {
        DemoTarget target = DemoTarget.fromEnvironment();
        try (CloseableHttpClient custom = HttpClients.custom().setRoutePlanner(DIRECT).build();
             CloseableHttpClient standard = HttpClients.createDefault()) {
            call("apache-httpclient5 classic (custom route planner)", custom, target);
            call("apache-httpclient5 classic (createDefault)", standard, target);
        } catch (Exception e) {
            DemoTarget.fail("apache-httpclient5 classic", e);
        }
    }

    private static void call(String app, CloseableHttpClient client, DemoTarget target) throws Exception {
        HttpGet get = new HttpGet(target.uri());
        target.headers().forEach(get::setHeader);
        client.execute(get, response -> {
            DemoTarget.report(app, response.getCode(), response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity()));
            return null;
        });
    }
}
