package io.credproxy.daemon.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code java} launcher of the JDK this process runs on, for starting child JVMs.
 *
 * <p>A child started as plain {@code java} would get whatever {@code PATH} finds first, which on a
 * machine with several JDKs is not necessarily the one the user chose ({@code JAVA_HOME} in
 * {@code ./credproxy}); the demo is meant to run every JVM on that same JDK.
 */
public final class JavaLauncher {
    private JavaLauncher() {}

    /** {@code $java.home/bin/java}, or else the executable this process was started with. */
    public static Path current() {
        Path launcher = Path.of(System.getProperty("java.home"), "bin", "java");
        if (Files.isExecutable(launcher)) {
            return launcher;
        }
        // A runtime image without bin/java (jlink without the launcher) still has the process's own command.
        return ProcessHandle.current().info().command().map(Path::of).orElse(launcher);
    }
}
