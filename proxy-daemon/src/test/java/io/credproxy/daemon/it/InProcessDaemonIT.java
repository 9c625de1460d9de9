package io.credproxy.daemon.it;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * One in-process daemon and its upstreams per test class; each test starts with empty records and
 * an app name of its own, so a late event of an earlier test never counts for the next.
 * (Not itself a test: failsafe runs the {@code *IT} classes that extend it.)
 */
abstract class InProcessDaemonIT {
    @TempDir
    static Path dir;
    static DaemonFixture fx;

    @BeforeAll
    static void startDaemon() throws Exception {
        fx = DaemonFixture.start(dir);
    }

    @AfterAll
    static void stopDaemon() {
        if (fx != null) {
            fx.close();
        }
    }

    @BeforeEach
    void clearRecords() {
        fx.https.clear();
        fx.plain.clear();
        fx.untrusted.clear();
        fx.startTest();
    }
}
