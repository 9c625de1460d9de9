package io.credproxy.daemon.pipeline;

import io.credproxy.daemon.identity.Caller;
import io.credproxy.daemon.identity.PeerUidResolver;
import io.credproxy.daemon.identity.PeerUser;
import io.credproxy.daemon.policy.Policy;
import io.credproxy.protocol.wire.ProxyIdentity;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AttributeKey;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Finds out who a client really is: once per connection, the Unix user that owns the client's socket,
 * as the kernel reports it; per CONNECT and request, the app that user runs
 * ({@link io.credproxy.daemon.identity.AppDirectory}), and a 407 for a peer that must authenticate
 * first (a missing or wrong token, an unknown user under {@code identity.unknown: deny}).
 *
 * <p>The lookup reads {@code /proc/net/tcp*}, which costs in proportion to every socket of the
 * machine, so it runs off the event loop ({@link PeerUidResolver}) and the connection is not read
 * from until it is known ({@link Connection#readAfter}). It runs only while the policy has an
 * {@code apps:} section: without one, this stage costs a policy read per connection and nothing else.
 * A connection opened while identification was off, still open when a reload turned it on, has no
 * answer and counts as an unknown user: fail closed.
 */
public final class IdentityStage implements ConnectionHook, TargetHook, RequestHeadHook {
    /** What the kernel said about the connection's peer; absent when identification was off at connect. */
    public static final AttributeKey<PeerUser> PEER_USER = AttributeKey.valueOf("credproxy.peerUser");
    /**
     * The lookup that sets {@link #PEER_USER}, for a later connection hook that must wait for it (the
     * per-user connection share, {@link ConnectionLimitStage}); completes, never exceptionally, once
     * {@link #PEER_USER} is set. Absent when identification was off at connect.
     */
    public static final AttributeKey<CompletableFuture<PeerUser>> PEER_USER_LOOKUP = AttributeKey.valueOf("credproxy.peerUserLookup");
    /** A lookup that takes longer than this (a stuck read) answers "unknown". */
    static final long LOOKUP_TIMEOUT_MILLIS = 5_000;

    private final Supplier<Policy> policies;
    private final PeerUidResolver resolver;

    public IdentityStage(Supplier<Policy> policies, PeerUidResolver resolver) {
        this.policies = policies;
        this.resolver = resolver;
    }

    @Override
    public boolean onConnectionOpened(Connection connection) {
        if (!policies.get().apps().enabled()) {
            return true;
        }
        CompletableFuture<PeerUser> user = resolver.lookup(connection.peer(), connection.local())
                .completeOnTimeout(PeerUser.unknown("lookup timed out"), LOOKUP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                .exceptionally(e -> PeerUser.unknown("lookup failed"))
                .thenApply(u -> {
                    connection.attr(PEER_USER).set(u);
                    return u;
                });
        connection.attr(PEER_USER_LOOKUP).set(user);
        connection.readAfter(user);
        return true;
    }

    @Override
    public TargetDecision onTarget(Target target) {
        Caller caller = target.caller();
        return caller.refused() ? TargetDecision.refuse(refusal(caller)) : TargetDecision.PROCEED;
    }

    @Override
    public StageResult onRequest(Exchange exchange) {
        Caller caller = exchange.target().caller();
        return caller.refused() ? refusal(caller) : StageResult.proceed();
    }

    private static StageResult refusal(Caller caller) {
        return StageResult.deny(HttpResponseStatus.PROXY_AUTHENTICATION_REQUIRED, caller.refusal());
    }

    /** Who a CONNECT or request with this claim on this connection is, under {@code policy}. */
    public static Caller callerOf(Connection connection, Optional<ProxyIdentity> claim, Policy policy) {
        if (!policy.apps().enabled()) {
            return Caller.claimed(claim.map(ProxyIdentity::app).orElse(ProxyIdentity.UNKNOWN_APP));
        }
        PeerUser user = connection.attr(PEER_USER).get();
        return policy.apps().identify(user != null ? user : PeerUser.unknown("connected before identification was on"), claim);
    }
}
