package io.credproxy.agent.bootstrap;

import java.util.Locale;

/**
 * Refuses to load the JNI libraries known to open network connections in native code, where no hook
 * of the agent can see them: AWS CRT's {@code aws-crt-jni} (the AWS SDK's CRT HTTP client, S3 transfer
 * manager) and ZeroMQ's {@code jzmq}. Netty's own transports ({@code netty_transport_native_epoll},
 * {@code io_uring}) are not on the list: the agent forces their connects at the Java method before the
 * native call.
 *
 * <p>Called as {@code Runtime.load0} and {@code loadLibrary0} start (where {@code System.load},
 * {@code System.loadLibrary} and {@code Runtime}'s own end up), with the library's name or file; a
 * refused library fails as a missing one does, with an {@link UnsatisfiedLinkError} whose message
 * starts with {@code credproxy:}, so the library reports itself unavailable. Whatever native code
 * loads otherwise (through JNA, or the FFM API, which needs no library of its own) is beyond any
 * in-process hook: the kernel fence ({@code credproxy fence}) is what closes that.
 */
public final class NativeLibraryGuard {
    /** Library names (as {@code System.loadLibrary} takes them) refused under the agent, with what they are. */
    private static final String[][] REFUSED = {
        {"aws-crt-jni", "AWS Common Runtime (the AWS SDK's CRT HTTP client)"},
        {"jzmq", "ZeroMQ's Java binding"},
    };

    private NativeLibraryGuard() {}

    /**
     * @param nameOrFile a library name ({@code aws-crt-jni}) or a library file's path
     *     ({@code /tmp/AWSCRT_1234libaws-crt-jni.so}, as AWS CRT extracts it)
     * @throws UnsatisfiedLinkError when it is a refused library
     */
    public static void check(String nameOrFile) {
        if (nameOrFile == null || AgentContext.policy() == null) {
            return;
        }
        String library = refused(nameOrFile);
        if (library != null) {
            AgentContext.events().nativeLibraryRefused(library, ApplicationFrame.find());
            throw new UnsatisfiedLinkError("credproxy: refused to load the native library " + library + " ("
                    + describe(library) + "): it opens network connections that the agent cannot route through the"
                    + " daemon; use a Java HTTP client instead");
        }
    }

    /** The refused library {@code nameOrFile} names, or {@code null}. */
    static String refused(String nameOrFile) {
        int slash = Math.max(nameOrFile.lastIndexOf('/'), nameOrFile.lastIndexOf('\\'));
        String file = nameOrFile.substring(slash + 1).toLowerCase(Locale.ROOT);
        for (String[] entry : REFUSED) {
            if (file.contains(entry[0])) {
                return entry[0];
            }
        }
        return null;
    }

    private static String describe(String library) {
        for (String[] entry : REFUSED) {
            if (entry[0].equals(library)) {
                return entry[1];
            }
        }
        return library;
    }
}
