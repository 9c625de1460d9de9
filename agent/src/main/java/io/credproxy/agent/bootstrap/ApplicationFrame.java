package io.credproxy.agent.bootstrap;

import java.util.Iterator;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Finds the application frame ({@code class.method}) that opened a socket, for the reports.
 *
 * <p>Skips the JDK, the agent and the client libraries the agent knows, so that the report names the
 * application's own code. Only called when a raw socket is tunneled or blocked, never per request;
 * the walk stops at the first application frame and materialises no other.
 */
public final class ApplicationFrame {
    private static final String[] LIBRARY_PREFIXES = {
        "java.", "javax.", "jdk.", "sun.", "com.sun.", "io.credproxy.agent.", "okhttp3.", "okio.", "kotlin.",
        "org.apache.hc.", "io.netty.", "reactor.", "io.vertx.", "org.asynchttpclient.", "io.grpc.",
        "software.amazon.awssdk.", "org.apache.http.", "org.eclipse.jetty.",
    };

    private static final StackWalker WALKER = StackWalker.getInstance();

    /** An anonymous class rather than a lambda: no lambda linkage on the first socket event. */
    private static final Function<Stream<StackWalker.StackFrame>, String> FIRST_APPLICATION_FRAME =
            new Function<Stream<StackWalker.StackFrame>, String>() {
                @Override
                public String apply(Stream<StackWalker.StackFrame> frames) {
                    for (Iterator<StackWalker.StackFrame> it = frames.iterator(); it.hasNext(); ) {
                        StackWalker.StackFrame frame = it.next();
                        if (!isLibrary(frame.getClassName())) {
                            return frame.getClassName() + "." + frame.getMethodName();
                        }
                    }
                    return null;
                }
            };

    private ApplicationFrame() {}

    /** {@code class.method} of the first caller outside the JDK and known libraries, or {@code null}. */
    public static String find() {
        try {
            return WALKER.walk(FIRST_APPLICATION_FRAME);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * {@link #find()}, or {@code thread NAME} when every frame is a library's: a connect run by an
     * event loop (Netty's, an asynchronous channel's) has no application frame, and the thread's name
     * ({@code reactor-http-epoll-2}, {@code vert.x-eventloop-thread-0}) says whose loop it was.
     */
    public static String findOrThread() {
        String frame = find();
        return frame != null ? frame : "thread " + Thread.currentThread().getName();
    }

    static boolean isLibrary(String className) {
        for (String prefix : LIBRARY_PREFIXES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        // A shaded Netty (grpc-netty-shaded's io.grpc.netty.shaded.io.netty...) is Netty too.
        return className.contains(".io.netty.");
    }
}
