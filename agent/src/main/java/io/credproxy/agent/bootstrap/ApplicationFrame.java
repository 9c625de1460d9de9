package io.credproxy.agent.bootstrap;

import java.util.Optional;

/**
 * Finds the application frame ({@code class.method}) that opened a socket, for the reports.
 *
 * <p>Skips the JDK, the agent and the client libraries the agent knows, so that the report names the
 * application's own code. Only called when a raw socket is tunneled or blocked, never per request.
 */
public final class ApplicationFrame {
    private static final String[] LIBRARY_PREFIXES = {
        "java.", "javax.", "jdk.", "sun.", "com.sun.", "io.credproxy.agent.", "okhttp3.", "okio.", "kotlin.",
        "org.apache.hc.",
    };

    private ApplicationFrame() {}

    /** {@code class.method} of the first caller outside the JDK and known libraries, or {@code null}. */
    public static String find() {
        try {
            Optional<StackWalker.StackFrame> frame = StackWalker.getInstance()
                    .walk(frames -> frames.filter(f -> !isLibrary(f.getClassName())).findFirst());
            return frame.map(f -> f.getClassName() + "." + f.getMethodName()).orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    static boolean isLibrary(String className) {
        for (String prefix : LIBRARY_PREFIXES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
