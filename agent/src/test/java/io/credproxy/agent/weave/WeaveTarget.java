package io.credproxy.agent.weave;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.List;

/**
 * A class compiled by javac like any library class, with the shapes the agent's hooks meet in the JDK
 * and in clients: loops at a method's start, long and double locals after the parameters, several
 * returns, the method's own handlers. {@link HookWeaverTest} weaves copies of it and runs them.
 */
public class WeaveTarget {
    public final List<String> log = new ArrayList<>();
    public final String label;
    public Object extra;

    public WeaveTarget(String label, Object extra) {
        this.label = label;
        this.extra = extra;
    }

    public String greet(String name) {
        return "hello " + name;
    }

    /** A loop header at offset 0: the method's own first frame sits where the early return's frame goes. */
    public boolean connect(Object address) {
        int tries = 0;
        while (tries < 3) {
            tries++;
            if (address == null) {
                break;
            }
        }
        log.add("connect body " + address + " " + tries);
        return false;
    }

    public void blockingConnect(Object address, long timeout) {
        log.add("blocking body " + address + " " + timeout);
    }

    /** Locals after the parameters (a long and a double among them), branches, a loop, a handler, three exits. */
    public void transfer(Object endpoint, int timeout) throws IOException {
        long started = 7L;
        double ratio = timeout / 2.0;
        String seen = String.valueOf(endpoint);
        if (timeout < 0) {
            log.add("negative " + seen);
            return;
        }
        try {
            if (timeout == 99) {
                throw new IOException("ninety-nine");
            }
        } catch (IOException e) {
            log.add("caught " + e.getMessage() + " " + ratio);
        }
        for (int i = 0; i < 3; i++) {
            started += i;
        }
        if (timeout == 13) {
            throw new IOException("thirteen " + seen);
        }
        log.add("transfer body " + seen + " " + started + " " + ratio);
    }

    /** Its own handler for the exception the hook catches, which must come first. */
    public void verify(String value) throws GeneralSecurityException {
        try {
            if (value.equals("inner")) {
                throw new CertificateException("inner");
            }
        } catch (CertificateException e) {
            log.add("handled inside");
            return;
        }
        if (value.startsWith("bad")) {
            throw new CertificateException(value);
        }
        if (value.equals("other")) {
            throw new GeneralSecurityException("other");
        }
        log.add("verified " + value);
    }

    /** Assigns its parameter: no handler can span it. */
    public void reassigns(String value) throws CertificateException {
        value = value.trim();
        if (value.isEmpty()) {
            throw new CertificateException("empty");
        }
    }

    public static Object pick(int which) {
        if (which == 1) {
            return "one";
        }
        return which == 2 ? "two" : null;
    }

    public String describe() {
        return "described " + label;
    }

    /** Overloads with a String at different positions, and one with two Strings. */
    public String route(String host) {
        return "route " + host;
    }

    public String route(int port, String host) {
        return "route " + host + ":" + port;
    }

    public String route(String host, String via, int port) {
        return "route " + host + " via " + via + ":" + port;
    }

    /** Overloads that differ by a trailing parameter. */
    public void tag(String label) {
        log.add("tag " + label);
    }

    public void tag(String label, Object extra) {
        log.add("tag " + label + " " + extra);
    }
}
