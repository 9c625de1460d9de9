package io.credproxy.daemon.pipeline;

import io.credproxy.daemon.policy.Policy;
import io.credproxy.daemon.policy.ResolvedRule;
import io.credproxy.daemon.rules.RequestPath;
import io.credproxy.daemon.rules.RuleSelection;
import io.credproxy.protocol.config.HostPort;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;

/**
 * Decides which tunnels are intercepted, whether a request may go on, and with which rule's
 * credentials: the one place the rules are matched to destinations.
 *
 * <p>A CONNECT whose target a rule covers is intercepted; any other is tunneled as opaque bytes, so
 * no credential can be added to it ({@link TargetHook}).
 *
 * <p>The rule is chosen by the real destination (the CONNECT authority or the absolute-form URL),
 * never by the Host header. Inside an intercepted tunnel the TLS server name (SNI), the Host
 * header and an absolute-form URI must all name the CONNECT target, else 421 Misdirected Request
 * and no credential: a client whose names disagree is either confused or trying to get the
 * credential of one host sent to another (the design this replaces keyed on the Host header and
 * did exactly that). TRACE and TRACK to an intercepted host get 405, because they would echo the
 * injected credential back to the client.
 *
 * <p>Plain {@code http://} requests to a ruled host are forwarded <em>without</em> credentials
 * unless the rule says {@code allow_plaintext: true}: anyone on the path could read them. The
 * request still goes, so that plain-HTTP probes and redirects to https keep working; the
 * exchange is recorded as passthrough with the reason.
 *
 * <p>Rules scoped by {@code apps}, {@code methods} and {@code paths} are weighed with the request
 * ({@link io.credproxy.daemon.rules.RuleSet#select}): a request that no rule for its destination
 * admits gets 403 with the reason and is not forwarded at all (forwarded without the credential, it
 * would earn a 401 and a retry). When the chosen rule scopes paths, the request goes upstream with
 * the normalised path it was matched on ({@link io.credproxy.daemon.rules.RequestPath}), so the
 * upstream cannot resolve dot segments differently from the daemon.
 */
public final class PolicyStage implements TargetHook, RequestHeadHook {
    static final String PLAINTEXT_REASON = "no credentials over plain http (rule has allow_plaintext: false)";

    @Override
    public TargetDecision onTarget(Target target) {
        if (target.kind() != Target.Kind.CONNECT) {
            return TargetDecision.PROCEED;
        }
        HostPort destination = target.destination();
        return target.policy().match(destination.host(), destination.port()).isPresent() ? TargetDecision.INTERCEPT
                : TargetDecision.TUNNEL;
    }

    @Override
    public StageResult onRequest(Exchange exchange) {
        if (exchange.intercepted()) {
            StageResult names = checkNames(exchange);
            if (!names.proceeds()) {
                return names;
            }
            if (isTraceOrTrack(exchange.request().method())) {
                return StageResult.deny(HttpResponseStatus.METHOD_NOT_ALLOWED, "TRACE and TRACK are refused to intercepted hosts");
            }
        }
        HostPort destination = exchange.destination();
        Policy.Selection selection = exchange.policy().select(destination.host(), destination.port(), exchange.app(),
                exchange.method(), exchange.path());
        RuleSelection chosen = selection.selection();
        if (chosen.refused()) {
            exchange.refusedSecretNames(chosen.refusedSecretNames());
            return StageResult.deny(HttpResponseStatus.FORBIDDEN, chosen.refusal());
        }
        ResolvedRule rule = selection.rule();
        if (rule == null) {
            return StageResult.proceed();
        }
        if (!exchange.intercepted()) {
            if (!rule.rule().allowPlaintext()) {
                exchange.reason(PLAINTEXT_REASON);
                return StageResult.proceed();
            }
            if (isTraceOrTrack(exchange.request().method())) {
                return StageResult.deny(HttpResponseStatus.METHOD_NOT_ALLOWED, "TRACE and TRACK are refused to hosts with credentials");
            }
        }
        if (chosen.path() != null) {
            forwardNormalisedPath(exchange.request(), chosen.path());
        }
        exchange.rule(rule);
        return StageResult.proceed();
    }

    /** The request goes upstream with the path it was matched on; the query stays as sent. */
    private static void forwardNormalisedPath(HttpRequest request, RequestPath path) {
        String uri = request.uri();
        int q = uri.indexOf('?');
        request.setUri(q < 0 ? path.raw() : path.raw() + uri.substring(q));
    }

    private static StageResult checkNames(Exchange exchange) {
        HostPort target = exchange.destination();
        String sni = exchange.sniHost();
        if (sni != null && !HostPort.normalizeHost(sni).equals(target.host())) {
            return StageResult.deny(HttpResponseStatus.MISDIRECTED_REQUEST, "TLS server name does not match the CONNECT target");
        }
        if (exchange.requestAuthority() != null && !names(exchange.requestAuthority(), target)) {
            return StageResult.deny(HttpResponseStatus.MISDIRECTED_REQUEST, "request URI does not match the CONNECT target");
        }
        HttpRequest request = exchange.request();
        List<String> hosts = request.headers().getAll(HttpHeaderNames.HOST);
        if (hosts.size() > 1) {
            return StageResult.deny(HttpResponseStatus.BAD_REQUEST, "more than one Host header");
        }
        if (hosts.isEmpty()) {
            if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
                return StageResult.proceed();
            }
            return StageResult.deny(HttpResponseStatus.BAD_REQUEST, "missing Host header");
        }
        if (!names(hosts.get(0), target)) {
            return StageResult.deny(HttpResponseStatus.MISDIRECTED_REQUEST, "Host header does not match the CONNECT target");
        }
        return StageResult.proceed();
    }

    /** Whether an authority ({@code host[:port]}, port 443 when absent) names {@code target}. */
    static boolean names(String authority, HostPort target) {
        try {
            return HostPort.parse(authority, 443).equals(target);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isTraceOrTrack(HttpMethod method) {
        String name = method.name();
        return name.equalsIgnoreCase("TRACE") || name.equalsIgnoreCase("TRACK");
    }
}
