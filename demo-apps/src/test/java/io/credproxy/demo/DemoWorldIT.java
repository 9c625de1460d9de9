package io.credproxy.demo;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the agent ITs: one {@link DemoWorld} (stand-in upstream and real daemon) per test class,
 * shared by every child JVM the class runs, so each class pays for one daemon start.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DemoWorldIT {
    protected DemoWorld world;

    @BeforeAll
    void startWorld(@TempDir Path dir) throws Exception {
        world = DemoWorld.start(dir);
    }

    @AfterAll
    void stopWorld() {
        if (world != null) {
            world.close();
        }
    }
}
