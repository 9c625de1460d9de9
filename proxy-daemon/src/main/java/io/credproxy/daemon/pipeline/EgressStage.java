package io.credproxy.daemon.pipeline;

import com.google.common.net.InetAddresses;
import io.credproxy.daemon.egress.AddressPolicy;
import io.credproxy.daemon.egress.EgressConfig;
import io.credproxy.daemon.egress.EgressDecision;
import io.credproxy.daemon.egress.EgressRules;
import io.credproxy.daemon.egress.HostLiteral;
import io.credproxy.daemon.egress.InvalidHostException;
import io.credproxy.protocol.config.HostPort;
import io.credproxy.protocol.report.Decision;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The egress policy: which destinations the daemon connects to at all, for tunnels, intercepted
 * hosts and plain HTTP alike. The proxy must be no way into the machine (its admin port, loopback
 * services, the cloud's metadata address) for the workload behind it.
 *
 * <p>Judged twice, before anything is sent. On the target ({@link TargetHook}): the host as the
 * address or name it means ({@link HostLiteral}: {@code 2130706433}, {@code 0x7f.1} and
 * {@code [::ffff:127.0.0.1]} are 127.0.0.1), the {@code egress.allow}/{@code deny} host rules, and a
 * literal address against the {@link AddressPolicy} (loopback, private, link-local, ... unless
 * {@code allow_addresses} opts them in; the daemon's own proxy and admin endpoints never). On the
 * upstream address ({@link UpstreamAddressHook}): the address a name resolved to, which the connector
 * then dials without a second lookup, so a name that resolves to 127.0.0.1 or 169.254.169.254 is
 * refused like the literal.
 *
 * <p>{@code upstream.resolve} entries are the operator's own mapping and skip the address check
 * (their host rules still apply). Until the daemon knows its bound endpoints
 * ({@link #ownEndpoints}), every address is refused: it fails closed while starting.
 *
 * <p>A refusal is the {@link EgressDecision}'s answer: 403 {@code destination_ip_prohibited} or
 * {@code http_request_denied}, 400 for a host no parser should accept, recorded as {@code denied}.
 */
public final class EgressStage implements TargetHook, UpstreamAddressHook {
    private final EgressRules rules;
    private final EgressConfig config;
    private final Set<HostPort> operatorMapped;
    private final AddressPolicy.LocalAddresses localAddresses;
    private volatile AddressPolicy addresses;

    /**
     * @param config the {@code egress:} section
     * @param operatorMapped the {@code upstream.resolve} keys, exempt from the address check
     * @param localAddresses this machine's addresses (for endpoints bound to a wildcard address)
     */
    public EgressStage(EgressConfig config, Set<HostPort> operatorMapped, AddressPolicy.LocalAddresses localAddresses) {
        this.config = Objects.requireNonNull(config, "config");
        this.rules = new EgressRules(config);
        this.operatorMapped = Set.copyOf(operatorMapped);
        this.localAddresses = Objects.requireNonNull(localAddresses, "localAddresses");
    }

    /** The daemon's bound endpoints, never reachable through it; addresses are refused until this is called. */
    public void ownEndpoints(List<AddressPolicy.Endpoint> endpoints) {
        addresses = new AddressPolicy(config.allowAddresses(), endpoints, localAddresses);
    }

    @Override
    public TargetDecision onTarget(Target target) {
        if (target.kind() == Target.Kind.INTERCEPTED) {
            return TargetDecision.PROCEED; // judged on the CONNECT
        }
        HostPort destination = target.destination();
        HostLiteral host;
        try {
            host = HostLiteral.parse(destination.host());
        } catch (InvalidHostException e) {
            return refuse(EgressDecision.invalidHost("invalid host: " + e.getMessage()));
        }
        EgressDecision byHost = rules.decide(host.canonical(), destination.port());
        if (!byHost.allowed()) {
            return refuse(byHost);
        }
        if (host instanceof HostLiteral.Address literal && !operatorMapped.contains(destination)) {
            EgressDecision byAddress = judge(literal.address(), destination.port());
            if (!byAddress.allowed()) {
                return refuse(byAddress);
            }
        }
        return TargetDecision.PROCEED;
    }

    @Override
    public StageResult onUpstreamAddress(Target target, InetSocketAddress address) {
        if (operatorMapped.contains(target.destination())) {
            return StageResult.proceed();
        }
        EgressDecision decision = judge(address.getAddress(), address.getPort());
        if (decision.allowed()) {
            return StageResult.proceed();
        }
        // Name the host the client asked for too: "metadata.test: 169.254.169.254 is link-local ...".
        String host = target.destination().host();
        return answer(host.equals(InetAddresses.toAddrString(address.getAddress())) ? decision
                : new EgressDecision(false, decision.status(), decision.errorName(), host + ": " + decision.reason()));
    }

    private EgressDecision judge(InetAddress address, int port) {
        AddressPolicy policy = addresses;
        if (policy == null) {
            return EgressDecision.prohibitedAddress("the daemon is starting and does not know its own endpoints yet");
        }
        return policy.check(address, port);
    }

    private static TargetDecision refuse(EgressDecision decision) {
        return TargetDecision.refuse(answer(decision));
    }

    /** The client's answer and the audit record's decision for a refusal. */
    static StageResult answer(EgressDecision decision) {
        Decision recorded = decision.status() >= 500 ? Decision.ERROR : Decision.DENIED;
        return new StageResult(HttpResponseStatus.valueOf(decision.status()), decision.reason(), recorded, decision.errorName());
    }
}
