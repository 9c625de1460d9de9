package io.credproxy.agent.weave;

import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The helpers {@link HookWeaverTest}'s hooks call; they record each call. */
public final class WeaveHelpers {
    public static final List<String> CALLS = Collections.synchronizedList(new ArrayList<>());

    private WeaveHelpers() {}

    public static String shout(String name) {
        CALLS.add("shout " + name);
        return name.toUpperCase(java.util.Locale.ROOT);
    }

    public static boolean skip(Object self, Object address) {
        CALLS.add("skip? " + address);
        return "skip".equals(address);
    }

    public static Object target(Object endpoint) {
        CALLS.add("target " + endpoint);
        return "redirect".equals(endpoint) ? "target-" + endpoint : null;
    }

    public static Object destination(Object endpoint, Object target) {
        return target == null ? endpoint : "daemon";
    }

    public static void after(Object self, Object target) {
        CALLS.add("after " + target);
    }

    public static void acceptOrRethrow(CertificateException rejection, Object self, String value) throws CertificateException {
        CALLS.add("rejected " + rejection.getMessage());
        if (!value.equals("bad-but-accepted")) {
            throw rejection;
        }
    }

    public static Object replace(Object value, int which) {
        CALLS.add("replace " + value);
        return which == 3 ? "three" : value;
    }

    public static void seen(String label) {
        CALLS.add("label " + label);
    }

    public static Object forceExtra(String label, Object extra) {
        CALLS.add("extra " + extra);
        return extra == null ? "forced" : extra;
    }
}
