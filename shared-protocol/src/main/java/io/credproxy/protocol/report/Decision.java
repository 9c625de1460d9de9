package io.credproxy.protocol.report;

import java.util.Locale;

/** What the daemon did with a request or a tunnel; written lower-case in JSON and reports. */
public enum Decision {
    /** Intercepted, and the rule's credentials were added. */
    INJECTED,
    /** Forwarded without any credential (plain HTTP to a host without a rule, or a rule that may not apply). */
    PASSTHROUGH,
    /** A CONNECT to a host without a rule: relayed as opaque bytes, never decrypted. */
    TUNNEL,
    /** Refused by policy (Host/SNI mismatch, TRACE, plaintext credential, blocked by the agent). */
    DENIED,
    /** Failed (bad request, upstream unreachable, TLS failure, timeout). */
    ERROR;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Decision fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
