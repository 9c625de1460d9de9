package io.credproxy.daemon.egress;

import java.util.Objects;

/**
 * Whether the daemon may connect to a destination, and if not, the answer the client gets.
 *
 * <p>Error names are RFC 9209's Proxy-Status error types, so clients and logs can tell a policy
 * refusal from a network failure. The reason is one short line for the response, the audit record
 * and the log; it names addresses and hosts, never a secret.
 *
 * @param allowed whether the connection may be made
 * @param status the HTTP status to answer with when refused (403, 400 or 502); 0 when allowed
 * @param errorName the RFC 9209 error type when refused, {@code null} when allowed
 * @param reason why, for people; {@code null} when allowed
 */
public record EgressDecision(boolean allowed, int status, String errorName, String reason) {
    /** RFC 9209: the address is one the proxy will not connect to. */
    public static final String DESTINATION_IP_PROHIBITED = "destination_ip_prohibited";
    /** RFC 9209: the proxy's policy refuses the request (host rules). */
    public static final String HTTP_REQUEST_DENIED = "http_request_denied";
    /** RFC 9209: the request is malformed (a host no parser should accept). */
    public static final String HTTP_REQUEST_ERROR = "http_request_error";
    /** RFC 9209: the name did not resolve. */
    public static final String DNS_ERROR = "dns_error";

    private static final EgressDecision ALLOWED = new EgressDecision(true, 0, null, null);

    public EgressDecision {
        if (!allowed) {
            Objects.requireNonNull(errorName, "errorName");
            Objects.requireNonNull(reason, "reason");
        }
    }

    public static EgressDecision allow() {
        return ALLOWED;
    }

    /** 403 {@code destination_ip_prohibited}. */
    public static EgressDecision prohibitedAddress(String reason) {
        return new EgressDecision(false, 403, DESTINATION_IP_PROHIBITED, reason);
    }

    /** 403 {@code http_request_denied}. */
    public static EgressDecision deniedHost(String reason) {
        return new EgressDecision(false, 403, HTTP_REQUEST_DENIED, reason);
    }

    /** 502 {@code dns_error}: nothing to judge, nothing to connect to. */
    public static EgressDecision unresolvable(String reason) {
        return new EgressDecision(false, 502, DNS_ERROR, reason);
    }

    /** 400 {@code http_request_error}. */
    public static EgressDecision invalidHost(String reason) {
        return new EgressDecision(false, 400, HTTP_REQUEST_ERROR, reason);
    }

    /**
     * The {@code Proxy-Status} field value, e.g. {@code credproxy; error=destination_ip_prohibited;
     * details="169.254.169.254 is link-local (RFC 3927, RFC 4291)"}.
     *
     * <p>{@code details} is an RFC 8941 string: printable ASCII with {@code "} and {@code \} escaped;
     * any other character becomes {@code ?}, so the header stays valid whatever the reason holds.
     */
    public String proxyStatus(String proxyName) {
        if (allowed) {
            throw new IllegalStateException("an allowed destination has no Proxy-Status error");
        }
        StringBuilder details = new StringBuilder(reason.length() + 2);
        for (int i = 0; i < reason.length(); i++) {
            char c = reason.charAt(i);
            if (c == '"' || c == '\\') {
                details.append('\\').append(c);
            } else {
                details.append(c >= 0x20 && c < 0x7f ? c : '?');
            }
        }
        return proxyName + "; error=" + errorName + "; details=\"" + details + "\"";
    }
}
