package io.credproxy.demo;

import io.netty.resolver.DefaultAddressResolverGroup;
import java.time.Duration;
import reactor.netty.http.client.HttpClient;

/**
 * Reactor Netty's {@code HttpClient} (what Spring's {@code WebClient} runs on), no proxy configured.
 * It takes Netty's epoll transport by itself when {@code netty-transport-native-epoll} is on the
 * class path ({@code -Dreactor.netty.native=false} keeps it on NIO). It resolves names with the JDK's
 * resolver here, so that the test's hosts file applies (Reactor's own DNS resolver reads
 * {@code /etc/hosts}); the connect is the same either way.
 */
public final class ReactorNettyDemo {
    private ReactorNettyDemo() {}

    public static void main(String[] args) {
        try {
            call(DemoTarget.fromEnvironment());
        } catch (Exception e) {
            DemoTarget.fail("reactor-netty", e);
        }
    }

    /** One GET; prints the outcome line. */
    static void call(DemoTarget target) {
        String name = "reactor-netty";
        {
            HttpClient client = HttpClient.create()
                    .resolver(DefaultAddressResolverGroup.INSTANCE)
                    .responseTimeout(Duration.ofSeconds(20))
                    .doOnConnected(connection -> System.out.println(name + ": connected on "
                            + connection.channel().getClass().getSimpleName()))
                    .headers(h -> target.headers().forEach(h::set));
            String[] result = client.get().uri(target.uri())
                    .responseSingle((response, body) -> body.asString().defaultIfEmpty("")
                            .map(text -> response.status().code() + "\n" + text))
                    .block(Duration.ofSeconds(30)).split("\n", 2);
            DemoTarget.report(name, Integer.parseInt(result[0]), result[1]);
        }
    }
}
