package io.credproxy.demo;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.dns.AddressResolverOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.TimeUnit;

/**
 * Vert.x's {@code WebClient} with {@code preferNativeTransport} (epoll, when its native library is on
 * the class path), no proxy options. Vert.x resolves names itself, from a hosts file: the one the JVM
 * was given ({@code jdk.net.hosts.file}), so that the test's names apply.
 */
public final class VertxDemo {
    private VertxDemo() {}

    public static void main(String[] args) {
        try {
            call(DemoTarget.fromEnvironment());
        } catch (Exception e) {
            DemoTarget.fail("vertx", e);
        }
    }

    /** One GET; prints the outcome line. */
    static void call(DemoTarget target) throws Exception {
        String name = "vertx";
        AddressResolverOptions resolver = new AddressResolverOptions();
        String hosts = System.getProperty("jdk.net.hosts.file");
        if (hosts != null) {
            resolver.setHostsPath(hosts);
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setAddressResolverOptions(resolver));
        try {
            System.out.println(name + ": native transport " + vertx.isNativeTransportEnabled());
            WebClient client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(10_000).setVerifyHost(true));
            var request = client.getAbs(target.uri().toString()).ssl(true);
            target.headers().forEach(request::putHeader);
            HttpResponse<Buffer> response = request.send().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            DemoTarget.report(name, response.statusCode(), response.bodyAsString());
        } finally {
            vertx.close();
        }
    }
}
