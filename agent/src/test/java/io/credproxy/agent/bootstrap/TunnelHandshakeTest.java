package io.credproxy.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TunnelHandshakeTest {
    @Test
    void sendsConnectWithIdentityAndLeavesTheTunnelBytesUnread() throws Exception {
        ByteArrayInputStream in = new ByteArrayInputStream(
                "HTTP/1.1 200 Connection established\r\n\r\nTLS-BYTES".getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TunnelHandshake.perform(in, out, "api.example:443", "Basic dGl0bzo=");
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo(
                "CONNECT api.example:443 HTTP/1.1\r\nHost: api.example:443\r\nProxy-Authorization: Basic dGl0bzo=\r\n\r\n");
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("TLS-BYTES");
    }

    @Test
    void aRefusalFailsTheConnect() {
        ByteArrayInputStream in = new ByteArrayInputStream("HTTP/1.1 403 Forbidden\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> TunnelHandshake.perform(in, new ByteArrayOutputStream(), "x.example:25", null))
                .isInstanceOf(ConnectException.class).hasMessageContaining("403 Forbidden");
    }

    @Test
    void notHttpOrClosedFailsTheConnect() {
        assertThatThrownBy(() -> TunnelHandshake.perform(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), "x:1", null))
                .isInstanceOf(ConnectException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> TunnelHandshake.perform(new ByteArrayInputStream("SSH-2.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)),
                new ByteArrayOutputStream(), "x:1", null)).isInstanceOf(ConnectException.class).hasMessageContaining("HTTP");
    }

    @Test
    void aHostThatCouldEndAHeaderLineIsRefused() {
        assertThatThrownBy(() -> TunnelHandshake.perform(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(),
                "evil\r\nX-Injected: 1:443", null)).isInstanceOf(ConnectException.class);
        assertThat(TunnelHandshake.authority("::1", 443)).isEqualTo("[::1]:443");
    }
}
