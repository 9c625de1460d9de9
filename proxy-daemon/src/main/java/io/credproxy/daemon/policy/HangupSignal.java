package io.credproxy.daemon.policy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an action on SIGHUP, the Unix convention for "re-read your configuration"
 * ({@code systemctl reload} sends it through the unit's {@code ExecReload=}).
 *
 * <p>The JDK has no public API for signals; {@code sun.misc.Signal} in the {@code jdk.unsupported}
 * module is the supported way in practice (it is what JDK tools and servers use). It is reached by
 * reflection so that a runtime without that module (a trimmed jlink image) only logs that SIGHUP is
 * unavailable, and so the build does not depend on an internal class. The JVM's own SIGHUP handler
 * starts a shutdown; while this one is installed, SIGHUP reloads instead.
 */
final class HangupSignal {
    private static final Logger log = LoggerFactory.getLogger(HangupSignal.class);

    private Object signal;
    private Object previousHandler;
    private Method handle;

    /** Installs the handler; on any failure logs one warning and leaves the JVM's handling as it was. */
    synchronized void install(Runnable action) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object hup = signalClass.getConstructor(String.class).newInstance("HUP");
            Object handler = Proxy.newProxyInstance(HangupSignal.class.getClassLoader(), new Class<?>[] {handlerClass},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "handle" -> {
                            action.run();
                            yield null;
                        }
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> "credproxy SIGHUP handler";
                    });
            Method handleMethod = signalClass.getMethod("handle", signalClass, handlerClass);
            previousHandler = handleMethod.invoke(null, hup, handler);
            signal = hup;
            handle = handleMethod;
            log.debug("SIGHUP reloads config and secrets");
        } catch (InvocationTargetException e) {
            // IllegalArgumentException: the JVM reserves the signal (for example with -Xrs).
            log.warn("SIGHUP cannot be handled here ({}); file changes still reload", e.getCause().getMessage());
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            log.warn("SIGHUP handling is not available in this JDK ({}); file changes still reload",
                    e.getClass().getSimpleName());
        }
    }

    synchronized boolean installed() {
        return signal != null;
    }

    /** Puts back the handler that was there before {@link #install}. */
    synchronized void restore() {
        if (signal == null) {
            return;
        }
        try {
            handle.invoke(null, signal, previousHandler);
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("could not restore the previous SIGHUP handler ({})", e.getClass().getSimpleName());
        }
        signal = null;
    }
}
