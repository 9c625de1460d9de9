package io.credproxy.daemon.pipeline;

import io.credproxy.daemon.policy.Policy;
import io.credproxy.daemon.policy.ResolvedRule;
import io.credproxy.protocol.config.HostPort;
import io.credproxy.protocol.report.Decision;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.DefaultAttributeMap;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * One request on its way through the daemon: where it really goes, what the stages decided, and
 * how it ended.
 *
 * <p>The destination is fixed when the exchange is created, from the CONNECT authority or the
 * absolute-form URL, and never changes: stages read the Host header only to compare it. The
 * request head is the object that will be forwarded, so stages edit it in place. The policy is
 * read once per exchange, so a reload never mixes two policies in one request.
 *
 * <p>A CONNECT is an exchange too (scheme {@link Scheme#TUNNEL} for a tunnel or a refusal, or
 * {@link Scheme#HTTPS} when the client's TLS handshake for an intercepted tunnel fails): it has no
 * request head to forward and reaches the stages only at {@link CompletionHook}, which records it.
 * Stages keep per-exchange state in its attributes ({@link #attr}).
 *
 * <p>Confined to one event loop: not thread-safe.
 */
public final class Exchange extends DefaultAttributeMap {
    /** Whether the request travels inside an intercepted TLS tunnel or as plain HTTP. */
    public enum Scheme {
        HTTPS("https"), HTTP("http"), TUNNEL("tunnel");

        private final String wireName;

        Scheme(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    private final long startMillis = System.currentTimeMillis();
    private final long startNanos = System.nanoTime();
    private final Target target;
    private final Scheme scheme;
    private final String sniHost;
    private final HttpRequest request;
    private final String method;
    private final String path;
    private final String requestAuthority;

    private ResolvedRule rule;
    private Decision decision = Decision.PASSTHROUGH;
    private final Set<String> secretNames = new LinkedHashSet<>();
    private Set<String> refusedSecretNames = Set.of();
    private String reason;
    private int status;
    private long bytesUp;
    private long bytesDown;

    /**
     * @param target where the request goes, who asks, and the policy in force for it
     * @param scheme HTTPS for a request inside an intercepted tunnel, HTTP for absolute-form plain HTTP
     * @param sniHost the TLS server name the client sent on an intercepted tunnel; {@code null} when
     *     none was sent or the request is plain HTTP
     * @param request the request head as it will be forwarded (origin-form URI, hop-by-hop headers removed)
     * @param path the path as the client sent it, without the query: what logs and audit records show
     * @param requestAuthority the authority of an absolute-form request URI ({@code host[:port]}),
     *     {@code null} when the client sent origin-form
     */
    public Exchange(Target target, Scheme scheme, String sniHost, HttpRequest request, String path, String requestAuthority) {
        this.target = Objects.requireNonNull(target, "target");
        this.scheme = Objects.requireNonNull(scheme, "scheme");
        this.sniHost = sniHost;
        this.request = Objects.requireNonNull(request, "request");
        this.method = request.method().name();
        this.path = Objects.requireNonNull(path, "path");
        this.requestAuthority = requestAuthority;
    }

    private Exchange(Target target, Scheme scheme) {
        this.target = Objects.requireNonNull(target, "target");
        this.scheme = scheme;
        this.sniHost = null;
        this.request = null;
        this.method = target.method();
        this.path = null;
        this.requestAuthority = null;
    }

    /**
     * A CONNECT as an exchange of its own, for the record: a tunnel ({@link Scheme#TUNNEL}), a refused
     * CONNECT, or an intercepted one whose TLS handshake failed ({@link Scheme#HTTPS}). It has no
     * request head or path.
     */
    public static Exchange connect(Target target, Scheme scheme) {
        return new Exchange(target, scheme);
    }

    public Target target() {
        return target;
    }

    public String app() {
        return target.app();
    }

    public String client() {
        return target.connection().client();
    }

    public Scheme scheme() {
        return scheme;
    }

    /** Whether the request came through a tunnel the daemon decrypted. */
    public boolean intercepted() {
        return scheme == Scheme.HTTPS;
    }

    public HostPort destination() {
        return target.destination();
    }

    public String sniHost() {
        return sniHost;
    }

    public Policy policy() {
        return target.policy();
    }

    /** The request head to forward; stages edit it in place. {@code null} for a CONNECT's own exchange. */
    public HttpRequest request() {
        return request;
    }

    /** The method as the client sent it. */
    public String method() {
        return method;
    }

    /** The path without query as the client sent it (placeholders not yet replaced); {@code null} for a CONNECT. */
    public String path() {
        return path;
    }

    /**
     * The authority the client wrote in an absolute-form request URI, {@code null} for origin-form.
     * Inside an intercepted tunnel it must name the CONNECT target, like the Host header.
     */
    public String requestAuthority() {
        return requestAuthority;
    }

    /** The rule whose credentials this request gets; {@code null} when none applies. */
    public ResolvedRule rule() {
        return rule;
    }

    public void rule(ResolvedRule applicable) {
        this.rule = applicable;
    }

    public Decision decision() {
        return decision;
    }

    public void decision(Decision value) {
        this.decision = Objects.requireNonNull(value, "decision");
    }

    /** Names of the secrets added to this request. */
    public Set<String> secretNames() {
        return secretNames;
    }

    public void addSecretNames(Collection<String> names) {
        secretNames.addAll(names);
    }

    /** Names of the secrets the request was refused (out of its rules' apps, methods or paths). */
    public Set<String> refusedSecretNames() {
        return refusedSecretNames;
    }

    public void refusedSecretNames(Set<String> names) {
        this.refusedSecretNames = Set.copyOf(names);
    }

    /** A short reason for a denial or an error, safe to show; {@code null} otherwise. */
    public String reason() {
        return reason;
    }

    public void reason(String text) {
        this.reason = text;
    }

    /** The status sent to the client; 0 while none was sent. */
    public int status() {
        return status;
    }

    public void status(int code) {
        this.status = code;
    }

    public long bytesUp() {
        return bytesUp;
    }

    public void addBytesUp(long n) {
        bytesUp += n;
    }

    public long bytesDown() {
        return bytesDown;
    }

    public void addBytesDown(long n) {
        bytesDown += n;
    }

    public long startMillis() {
        return startMillis;
    }

    public long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
