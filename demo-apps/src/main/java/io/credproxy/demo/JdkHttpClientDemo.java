package io.credproxy.demo;

import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The JDK's {@code java.net.http.HttpClient}, trying to go around the proxy: no default
 * {@code ProxySelector}, {@code Builder.NO_PROXY}, HTTP/2 requested; one synchronous and one
 * asynchronous call.
 */
public final class JdkHttpClientDemo {
    private JdkHttpClientDemo() {}

    public static void main(String[] args) {
        DemoTarget target = DemoTarget.fromEnvironment();
        try {
            ProxySelector.setDefault(null);
            HttpClient client = HttpClient.newBuilder()
                    .proxy(HttpClient.Builder.NO_PROXY)
                    .version(HttpClient.Version.HTTP_2)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            HttpRequest.Builder builder = HttpRequest.newBuilder(target.uri()).timeout(Duration.ofSeconds(20));
            target.headers().forEach(builder::header);
            HttpRequest request = builder.build();
            HttpResponse<String> sync = client.send(request, HttpResponse.BodyHandlers.ofString());
            DemoTarget.report("jdk-httpclient (sync)", sync.statusCode(), sync.body());
            HttpResponse<String> async = client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).get();
            DemoTarget.report("jdk-httpclient (async)", async.statusCode(), async.body());
        } catch (Exception e) {
            DemoTarget.fail("jdk-httpclient", e);
        }
    }
}
