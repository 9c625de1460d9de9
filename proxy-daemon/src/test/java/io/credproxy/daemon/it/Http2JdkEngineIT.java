package io.credproxy.daemon.it;

import io.credproxy.daemon.tls.TlsEngines;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link Http2IT} again with the JDK's TLS engine on both sides of the daemon (ALPN selection is the
 * engine's own code; BoringSSL is what {@link Http2IT} gets where its library loads).
 */
class Http2JdkEngineIT extends Http2IT {
    /** Runs after {@link Http2IT#start}: replaces its daemon with one whose TLS contexts are the JDK's. */
    @BeforeAll
    static void withTheJdkEngine() throws Exception {
        fx.close();
        // Read when a context is built: the upstream ones at start, a leaf's on its host's first CONNECT.
        System.setProperty(TlsEngines.PROPERTY, "jdk");
        fx = new H2Fixture(dir);
    }

    /** Runs before {@link Http2IT#stop}, which closes the daemon. */
    @AfterAll
    static void backToTheDefaultEngine() {
        System.clearProperty(TlsEngines.PROPERTY);
    }
}
