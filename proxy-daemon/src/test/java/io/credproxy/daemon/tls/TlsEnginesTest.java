package io.credproxy.daemon.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TlsEnginesTest {
    @AfterEach
    void clear() {
        System.clearProperty(TlsEngines.PROPERTY);
    }

    @Test
    void prefersBoringSslWhereItLoads() {
        boolean available = SslProvider.isAlpnSupported(SslProvider.OPENSSL);
        assertThat(TlsEngines.provider()).isEqualTo(available ? SslProvider.OPENSSL : SslProvider.JDK);
        assertThat(TlsEngines.describe()).isEqualTo(available ? "BoringSSL" : "JDK");
    }

    @Test
    void theJdkEngineCanBeForced() {
        System.setProperty(TlsEngines.PROPERTY, "JDK");
        assertThat(TlsEngines.provider()).isEqualTo(SslProvider.JDK);
        assertThat(TlsEngines.describe()).isEqualTo("JDK");
    }

    @Test
    void theNativeLibraryShipsForLinuxOnX86AndArm() {
        // The daemon jar must carry BoringSSL for the platforms it is installed on.
        assertThat(TlsEngines.class.getClassLoader().getResource("META-INF/native/libnetty_tcnative_linux_x86_64.so")).isNotNull();
        assertThat(TlsEngines.class.getClassLoader().getResource("META-INF/native/libnetty_tcnative_linux_aarch_64.so")).isNotNull();
    }
}
