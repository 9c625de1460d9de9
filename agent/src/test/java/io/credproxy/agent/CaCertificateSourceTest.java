package io.credproxy.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CaCertificateSourceTest {
    @Test
    void readsTheBodyOfAPlainAnswer() throws Exception {
        byte[] response = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(new String(CaCertificateSource.body(response), StandardCharsets.ISO_8859_1)).isEqualTo("hello");
    }

    @Test
    void decodesAChunkedAnswer() throws Exception {
        byte[] response = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThat(new String(CaCertificateSource.body(response), StandardCharsets.ISO_8859_1)).isEqualTo("hello");
    }

    @Test
    void refusesAnythingButOk() {
        byte[] response = "HTTP/1.1 404 Not Found\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> CaCertificateSource.body(response)).hasMessageContaining("404");
    }
}
