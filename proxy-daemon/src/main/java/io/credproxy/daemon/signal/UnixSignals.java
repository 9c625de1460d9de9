package io.credproxy.daemon.signal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Runs an action when the process receives a Unix signal (SIGHUP to reload, SIGTERM to stop).
 *
 * <p>The JDK has no public API for signals; {@code sun.misc.Signal} in the {@code jdk.unsupported}
 * module is the supported way in practice (it is what JDK tools and servers use). It is reached by
 * reflection so that a runtime without that module (a trimmed jlink image) only reports that the
 * signal cannot be handled, and so the build does not depend on an internal class. While a handler
 * is installed the JVM's own handling of that signal (for SIGTERM, SIGINT and SIGHUP: run the
 * shutdown hooks and exit with 128 + the signal's number) is off.
 */
public final class UnixSignals {
    private UnixSignals() {}

    /** An installed handler; {@link #restore} puts back the one that was there before. */
    public interface Installed {
        void restore();
    }

    /** The signal cannot be handled here; the message says why, in a few words. */
    public static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String why) {
            super(why);
        }
    }

    /**
     * Installs {@code action} for signal {@code name} ({@code "HUP"}, {@code "TERM"}, {@code "INT"}).
     * The action runs on a thread the JVM starts for each signal.
     *
     * @throws Unavailable when this JVM reserves the signal (say, with {@code -Xrs}), the process was
     *     started with it ignored, or there is no {@code sun.misc.Signal}; the JVM's handling stays as it was
     */
    public static Installed install(String name, Runnable action) throws Unavailable {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object signal = signalClass.getConstructor(String.class).newInstance(name);
            Object handler = Proxy.newProxyInstance(UnixSignals.class.getClassLoader(), new Class<?>[] {handlerClass},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "handle" -> {
                            action.run();
                            yield null;
                        }
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> "credproxy SIG" + name + " handler";
                    });
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            Object previous = handle.invoke(null, signal, handler);
            if (previous == handlerClass.getField("SIG_IGN").get(null)) {
                // The process was started with the signal ignored (nohup does that to SIGHUP): the JVM
                // keeps it ignored and installs nothing, without an error. Say so instead of pretending.
                handle.invoke(null, signal, previous);
                throw new Unavailable("SIG" + name + " is ignored by this process (started under nohup?)");
            }
            return () -> {
                try {
                    handle.invoke(null, signal, previous);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // the process is on its way out, or the handler stays: nothing better to do
                }
            };
        } catch (InvocationTargetException e) {
            // IllegalArgumentException: the JVM reserves the signal (for example with -Xrs).
            throw new Unavailable(String.valueOf(e.getCause().getMessage()));
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            throw new Unavailable("no signal support in this JDK (" + e.getClass().getSimpleName() + ")");
        }
    }
}
