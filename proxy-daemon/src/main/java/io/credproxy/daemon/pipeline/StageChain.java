package io.credproxy.daemon.pipeline;

import io.credproxy.daemon.secrets.Redactor;
import io.credproxy.protocol.report.Decision;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ordered stages every connection and exchange goes through, assembled in one place.
 *
 * <p>{@link #standard} is the daemon's chain: {@link IdentityStage} (who asks; when configured),
 * {@link ConnectionLimitStage} (may the client connect), {@link EgressStage} (may the daemon connect
 * there at all), {@link PolicyStage} (intercept or tunnel; may the request go, and with which rule),
 * {@link InjectionStage} (add the credentials), {@link ResponseRedactionStage} (take injected values
 * out of the response: head, body, trailers), {@link AuditStage} (record the exchange when it ends).
 * A new stage is one class implementing the hooks it needs, added to that list in the order it must run.
 *
 * <p>The chain keeps, per hook, an array of the stages implementing it (in chain order), so a hook no
 * stage implements costs one length check, and a body piece passes only through the stages that
 * transform bodies. Every hook fails closed; see each hook interface for what a throw means there.
 */
public final class StageChain {
    private static final Logger LOG = LoggerFactory.getLogger(StageChain.class);
    private static final StageResult INTERNAL_ERROR = StageResult.error(HttpResponseStatus.BAD_GATEWAY,
            "internal error, request not forwarded", "proxy_internal_error");

    private final List<Stage> stages;
    private final ConnectionHook[] connection;
    private final TargetHook[] target;
    private final UpstreamAddressHook[] upstreamAddress;
    private final RequestHeadHook[] requestHead;
    private final RequestContentHook[] requestContent;
    private final ResponseHeadHook[] responseHead;
    private final ResponseContentHook[] responseContent;
    private final CompletionHook[] completion;

    public StageChain(List<? extends Stage> stages) {
        this.stages = List.copyOf(stages);
        connection = only(ConnectionHook.class, new ConnectionHook[0]);
        target = only(TargetHook.class, new TargetHook[0]);
        upstreamAddress = only(UpstreamAddressHook.class, new UpstreamAddressHook[0]);
        requestHead = only(RequestHeadHook.class, new RequestHeadHook[0]);
        requestContent = only(RequestContentHook.class, new RequestContentHook[0]);
        responseHead = only(ResponseHeadHook.class, new ResponseHeadHook[0]);
        responseContent = only(ResponseContentHook.class, new ResponseContentHook[0]);
        completion = only(CompletionHook.class, new CompletionHook[0]);
    }

    /** The daemon's chain: {@code identity} first when given (who asks decides the rest), else names as claimed (tests). */
    public static StageChain standard(ConnectionLimitStage connections, EgressStage egress, AuditRecorder audit,
            IdentityStage... identity) {
        List<Stage> list = new ArrayList<>(List.of(identity));
        list.addAll(List.of(connections, egress, new PolicyStage(), new InjectionStage(), new ResponseRedactionStage(),
                new AuditStage(audit)));
        return new StageChain(list);
    }

    private <T> T[] only(Class<T> hook, T[] empty) {
        return stages.stream().filter(hook::isInstance).map(hook::cast).toList().toArray(empty);
    }

    public List<Stage> stages() {
        return stages;
    }

    /** Hook 1; {@code false}: close the connection. */
    public boolean onConnectionOpened(Connection c) {
        for (ConnectionHook stage : connection) {
            try {
                if (!stage.onConnectionOpened(c)) {
                    return false;
                }
            } catch (RuntimeException | Error e) {
                LOG.error("{} failed on the connection from {}: {}", stage.name(), c, e.getClass().getName());
                return false;
            }
        }
        return true;
    }

    public void onConnectionClosed(Connection c) {
        for (ConnectionHook stage : connection) {
            try {
                stage.onConnectionClosed(c);
            } catch (RuntimeException e) {
                LOG.error("{} failed after the connection from {}: {}", stage.name(), c, e.getClass().getName());
            }
        }
    }

    /** Hook 2: the first decision; without one, a CONNECT is tunneled and a plain request goes on. */
    public TargetDecision onTarget(Target t) {
        for (TargetHook stage : target) {
            TargetDecision decision;
            try {
                decision = stage.onTarget(t);
            } catch (RuntimeException | Error e) {
                logFailure(stage, "on the target", t.method(), t, e, t.policy().redactor());
                return TargetDecision.refuse(INTERNAL_ERROR);
            }
            if (decision == null) {
                return TargetDecision.refuse(INTERNAL_ERROR);
            }
            if (decision.action() != TargetDecision.Action.PROCEED) {
                return decision;
            }
        }
        return t.kind() == Target.Kind.CONNECT ? TargetDecision.TUNNEL : TargetDecision.PROCEED;
    }

    /** Whether any stage judges upstream addresses (else the connector skips building the check). */
    public boolean judgesUpstreamAddresses() {
        return upstreamAddress.length > 0;
    }

    /** Hook 3: proceed, or the answer that refuses the address. */
    public StageResult onUpstreamAddress(Target t, InetSocketAddress address) {
        for (UpstreamAddressHook stage : upstreamAddress) {
            StageResult result;
            try {
                result = stage.onUpstreamAddress(t, address);
            } catch (RuntimeException | Error e) {
                logFailure(stage, "on the upstream address", t.method(), t, e, t.policy().redactor());
                return INTERNAL_ERROR;
            }
            if (result == null) {
                return INTERNAL_ERROR;
            }
            if (!result.proceeds()) {
                return result;
            }
        }
        return StageResult.proceed();
    }

    /**
     * Hook 4: runs every stage until one ends the exchange.
     *
     * @return {@link StageResult#proceed()} when the request may be forwarded as the stages left it
     */
    public StageResult onRequest(Exchange exchange) {
        for (RequestHeadHook stage : requestHead) {
            StageResult result;
            try {
                result = stage.onRequest(exchange);
            } catch (RuntimeException | Error e) {
                // Fail closed: whatever the stage did to the request so far, it is not forwarded.
                logFailure(stage, "on", exchange.method(), exchange.target(), e, exchange.policy().redactor());
                exchange.secretNames().clear();
                return INTERNAL_ERROR;
            }
            if (result == null) {
                exchange.secretNames().clear();
                return INTERNAL_ERROR;
            }
            if (!result.proceeds()) {
                exchange.decision(result.decision());
                exchange.reason(result.reason());
                if (result.decision() != Decision.INJECTED) {
                    exchange.secretNames().clear();
                }
                return result;
            }
        }
        return StageResult.proceed();
    }

    /** Whether any stage looks at request bodies. */
    public boolean seesRequestContent() {
        return requestContent.length > 0;
    }

    /** Hook 5: the content to forward. @throws StageFailure when a stage threw (the content is released) */
    public HttpContent onRequestContent(Exchange exchange, HttpContent content) {
        HttpContent current = content;
        for (RequestContentHook stage : requestContent) {
            current = transform(stage, exchange, current, true);
        }
        return current;
    }

    /** Hook 6. @throws StageFailure when a stage threw, carrying its answer when it refused the response */
    public void onResponseHead(Exchange exchange, HttpResponse response) {
        for (ResponseHeadHook stage : responseHead) {
            try {
                stage.onResponseHead(exchange, response);
            } catch (RefusedResponse e) {
                throw new StageFailure(stage.name(), e.answer());
            } catch (RuntimeException | Error e) {
                logFailure(stage, "on the response to", exchange.method(), exchange.target(), e, exchange.policy().redactor());
                throw new StageFailure(stage.name());
            }
        }
    }

    /** Whether any stage looks at response bodies. */
    public boolean seesResponseContent() {
        return responseContent.length > 0;
    }

    /** Hook 7: the content to send to the client. @throws StageFailure when a stage threw (the content is released) */
    public HttpContent onResponseContent(Exchange exchange, HttpContent content) {
        HttpContent current = content;
        for (ResponseContentHook stage : responseContent) {
            current = transform(stage, exchange, current, false);
        }
        return current;
    }

    private HttpContent transform(Stage stage, Exchange exchange, HttpContent content, boolean request) {
        HttpContent out;
        try {
            out = request ? ((RequestContentHook) stage).onRequestContent(exchange, content)
                    : ((ResponseContentHook) stage).onResponseContent(exchange, content);
        } catch (RuntimeException | Error e) {
            ReferenceCountUtil.safeRelease(content);
            logFailure(stage, request ? "on the request body of" : "on the response body of", exchange.method(),
                    exchange.target(), e, exchange.policy().redactor());
            throw new StageFailure(stage.name());
        }
        if (out == null) {
            throw new StageFailure(stage.name());
        }
        return out;
    }

    /** Hook 8: tells every stage the exchange ended; a stage that throws here is logged and skipped. */
    public void onComplete(Exchange exchange) {
        for (CompletionHook stage : completion) {
            try {
                stage.onComplete(exchange);
            } catch (RuntimeException e) {
                logFailure(stage, "after", exchange.method(), exchange.target(), e, exchange.policy().redactor());
            }
        }
    }

    private static void logFailure(Stage stage, String when, String method, Target target, Throwable e, Redactor redactor) {
        LOG.error("{} failed {} {} {}: {}", stage.name(), when, method, target.destination(), redactor.redact(String.valueOf(e)));
    }
}
