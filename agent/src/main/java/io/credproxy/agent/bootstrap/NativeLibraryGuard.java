package io.credproxy.agent.bootstrap;

/**
 * Refuses to load the JNI libraries known to open network connections in native code, where no hook
 * of the agent can see them: AWS CRT's {@code aws-crt-jni} (the AWS SDK's CRT HTTP client, the S3
 * transfer manager). Netty's own transports are not refused: the agent forces their connects at the
 * Java method before the native call.
 *
 * <p>Called as the library's loader class initialises (AWS CRT's {@code software.amazon.awssdk.crt.CRT},
 * whose static initialiser loads the library, from the library path or extracted from its jar), so the
 * agent costs nothing at start: {@code System.load} itself lives in {@code Runtime}, which every JVM
 * loads before any agent, and hooking it would mean weaving at every start. The refusal is an
 * {@link UnsatisfiedLinkError} whose message starts with {@code credproxy:}, what a missing library
 * throws, so the library reports itself unavailable. Whatever native code is loaded otherwise (an
 * unknown library, JNA, the FFM API, which needs no library) is beyond any in-process hook: the kernel
 * fence ({@code credproxy fence}) is what closes that.
 */
public final class NativeLibraryGuard {
    private NativeLibraryGuard() {}

    /** At AWS CRT's loader: refused under the agent. */
    public static void refuseAwsCrt() {
        refuse("aws-crt-jni", "AWS Common Runtime, the AWS SDK's CRT HTTP client");
    }

    private static void refuse(String library, String what) {
        if (AgentContext.policy() == null) {
            return;
        }
        AgentContext.events().nativeLibraryRefused(library, ApplicationFrame.find());
        throw new UnsatisfiedLinkError("credproxy: refused to load the native library " + library + " (" + what
                + "): it opens network connections that the agent cannot route through the daemon; use a Java HTTP"
                + " client instead");
    }
}
