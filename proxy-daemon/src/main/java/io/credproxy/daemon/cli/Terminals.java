package io.credproxy.daemon.cli;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether standard output is a terminal, so that colours are welcome. */
final class Terminals {
    private Terminals() {}

    /**
     * True when the JVM has a console attached to a terminal.
     *
     * <p>Since JDK 22 {@code System.console()} is not {@code null} even when output is redirected;
     * {@code Console.isTerminal()} (JDK 22+) tells the difference. The code is compiled for 17, so
     * that method is looked up reflectively; on older JDKs a console is only present on a terminal.
     */
    static boolean isInteractive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
