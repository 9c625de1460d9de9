package io.credproxy.demo;

import java.util.List;

/**
 * Several of the client demo apps in one JVM, each named by an argument ({@code netty-nio},
 * {@code netty-epoll}, {@code netty-io_uring}, {@code reactor-netty}, {@code vertx},
 * {@code async-http-client}, {@code async-channel}, {@code apache-httpclient4}, {@code apache-httpclient4-legacy}, {@code jetty12},
 * {@code aws-sdk-apache}, {@code aws-sdk-url-connection}, {@code aws-sdk-netty}), one after the other: one JVM start for a family
 * set, each still printing its own outcome line ({@code NAME: HTTP ...} or {@code NAME: FAILED ...}).
 * Exit status 1 when any failed.
 */
public final class ClientFamilies {
    private ClientFamilies() {}

    public static void main(String[] args) {
        DemoTarget target = DemoTarget.fromEnvironment();
        boolean failed = false;
        for (String family : List.of(args)) {
            try {
                switch (family) {
                    case "netty-nio" -> NettyDemo.call(target, "nio");
                    case "netty-epoll" -> NettyDemo.call(target, "epoll");
                    case "netty-io_uring" -> NettyDemo.call(target, "io_uring");
                    case "reactor-netty" -> ReactorNettyDemo.call(target);
                    case "vertx" -> VertxDemo.call(target);
                    case "async-http-client" -> AsyncHttpClientDemo.call(target);
                    case "async-channel" -> AsyncChannelDemo.call(target);
                    case "apache-httpclient4" -> Apache4Demo.call(target);
                    case "apache-httpclient4-legacy" -> Apache4Demo.callLegacy(target);
                    case "jetty12" -> JettyDemo.call(target);
                    case "aws-sdk-apache" -> AwsSdkDemo.call(target, "apache");
                    case "aws-sdk-url-connection" -> AwsSdkDemo.call(target, "url-connection");
                    case "aws-sdk-netty" -> AwsSdkDemo.call(target, "netty");
                    default -> throw new IllegalArgumentException("unknown family " + family);
                }
            } catch (Exception e) {
                System.out.println(family + ": FAILED " + e);
                failed = true;
            }
        }
        System.exit(failed ? 1 : 0);
    }
}
