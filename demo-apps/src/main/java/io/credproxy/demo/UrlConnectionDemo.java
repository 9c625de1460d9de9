package io.credproxy.demo;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.nio.charset.StandardCharsets;

/**
 * {@code HttpURLConnection}, trying to go around the proxy: {@code http.nonProxyHosts=*} and
 * {@code openConnection(Proxy.NO_PROXY)}.
 */
public final class UrlConnectionDemo {
    private UrlConnectionDemo() {}

    public static void main(String[] args) {
        DemoTarget target = DemoTarget.fromEnvironment();
        try {
            System.setProperty("http.nonProxyHosts", "*");
            HttpURLConnection connection = (HttpURLConnection) target.uri().toURL().openConnection(Proxy.NO_PROXY);
            connection.setConnectTimeout(10_000);
            connection.setReadTimeout(20_000);
            target.headers().forEach(connection::setRequestProperty);
            int status = connection.getResponseCode();
            try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                DemoTarget.report("java.net.HttpURLConnection", status,
                        in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (Exception e) {
            DemoTarget.fail("java.net.HttpURLConnection", e);
        }
    }
}
