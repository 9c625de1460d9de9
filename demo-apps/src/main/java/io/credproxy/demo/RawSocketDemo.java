package io.credproxy.demo;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A raw {@code java.net.Socket} with {@code Proxy.NO_PROXY}, TLS layered on top by hand: no HTTP
 * client, so nothing but the socket layer can route it.
 */
public final class RawSocketDemo {
    private RawSocketDemo() {}

    public static void main(String[] args) {
        DemoTarget target = DemoTarget.fromEnvironment();
        try (Socket plain = new Socket(Proxy.NO_PROXY)) {
            plain.connect(new InetSocketAddress(target.host(), target.port()), 10_000);
            plain.setSoTimeout(20_000);
            try (SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                    .createSocket(plain, target.host(), target.port(), true)) {
                tls.startHandshake();
                RawHttp.Result result = RawHttp.get(tls.getInputStream(), tls.getOutputStream(), target);
                DemoTarget.report("java.net.Socket", result.status(), result.body());
            }
        } catch (Exception e) {
            DemoTarget.fail("java.net.Socket", e);
        }
    }
}
