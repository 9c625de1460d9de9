package io.credproxy.daemon.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Stands in for {@code credproxy-demo.jar} in {@link DemoCommandTest}: writes what it was started
 * with to {@code DIR/started.txt} and exits 3, so that the test sees the JDK, the agent jar and the
 * exit status handed through. JDK classes only: it runs from a jar holding nothing else.
 */
public final class FakeDemoMain {
    private FakeDemoMain() {}

    public static void main(String[] args) throws Exception {
        Files.writeString(Path.of(args[0], "started.txt"), String.join("\n",
                "java.home=" + System.getProperty("java.home"),
                "agent=" + System.getProperty("credproxy.agent.jar"),
                "args=" + args.length));
        System.exit(3);
    }
}
