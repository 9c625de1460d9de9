package io.credproxy.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AdminClientTest {
    @Test
    void readsTheStatusAndBodyOfAPlainAnswer() throws Exception {
        AdminClient.Response response = AdminClient.parse(bytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"));
        assertThat(response.status).isEqualTo(200);
        assertThat(new String(response.body, StandardCharsets.ISO_8859_1)).isEqualTo("hello");
    }

    @Test
    void decodesAChunkedAnswer() throws Exception {
        AdminClient.Response response = AdminClient.parse(
                bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhel\r\n2;x=y\r\nlo\r\n0\r\n\r\n"));
        assertThat(new String(response.body, StandardCharsets.ISO_8859_1)).isEqualTo("hello");
    }

    @Test
    void readsAnyStatus() throws Exception {
        assertThat(AdminClient.parse(bytes("HTTP/1.0 404 Not Found\r\n\r\n")).status).isEqualTo(404);
        assertThat(AdminClient.parse(bytes("HTTP/1.1 202 Accepted\r\n\r\n{\"accepted\":1}")).status).isEqualTo(202);
    }

    @Test
    void refusesWhatIsNotAnHttpAnswer() {
        assertThatThrownBy(() -> AdminClient.parse(bytes("SSH-2.0-OpenSSH\r\n\r\n"))).hasMessageContaining("not an HTTP answer");
        assertThatThrownBy(() -> AdminClient.parse(bytes("HTTP/1.1 2xx OK\r\n\r\n"))).hasMessageContaining("not an HTTP status");
        assertThatThrownBy(() -> AdminClient.parse(bytes("HTTP/1.1 200 OK\r\n"))).hasMessageContaining("incomplete");
        assertThatThrownBy(() -> AdminClient.parse(bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n9\r\nab")))
                .hasMessageContaining("truncated");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
