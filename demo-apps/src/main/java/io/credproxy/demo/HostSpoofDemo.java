package io.credproxy.demo;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.URI;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * An app that tries to have one API's credential delivered to another host: it connects to the host
 * of {@code CREDPROXY_DEMO_URL} (api.telegram.org in the demo) and sends a Cloudflare request whose
 * {@code Host} header says {@code api.cloudflare.com}.
 *
 * <p>A proxy that chose the credential by the Host header (the design credproxy replaces did) would
 * add the Cloudflare token and send it down the connection to the other host. Through the agent the
 * connection is a CONNECT to the real destination; the daemon compares the Host header with it and
 * answers 421 Misdirected Request without adding anything. Raw socket and TLS by hand, because
 * HTTP clients do not let an application set {@code Host}.
 */
public final class HostSpoofDemo {
    private HostSpoofDemo() {}

    public static void main(String[] args) {
        DemoTarget connection = DemoTarget.fromEnvironment();
        String spoofed = DemoApi.CLOUDFLARE.host() + (connection.port() == 443 ? "" : ":" + connection.port());
        String name = "host-spoof";
        try (Socket plain = new Socket(Proxy.NO_PROXY)) {
            DemoTarget request = DemoTarget.from(URI.create("https://" + spoofed
                    + (connection.uri().getRawQuery() == null ? "" : "?" + connection.uri().getRawQuery())), System.getenv());
            plain.connect(new InetSocketAddress(connection.host(), connection.port()), 10_000);
            plain.setSoTimeout(20_000);
            try (SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                    .createSocket(plain, connection.host(), connection.port(), true)) {
                tls.startHandshake();
                RawHttp.Result result = RawHttp.get(tls.getInputStream(), tls.getOutputStream(), request, spoofed);
                DemoTarget.report(name, result.status(), result.body());
            }
        } catch (Exception e) {
            DemoTarget.fail(name, e);
        }
    }
}
