package io.credproxy.agent.instrumentation.apache5;

import static io.credproxy.agent.weave.Load.argument;

import io.credproxy.agent.bootstrap.ApacheHooks;
import io.credproxy.agent.weave.Call;
import io.credproxy.agent.weave.MethodHook;
import io.credproxy.agent.weave.MethodMatcher;

/** The two hooks the classic and the async client share the shape of, each in its own classes. */
final class ApacheHookShapes {
    private static final String ROUTE = "Lorg/apache/hc/client5/http/HttpRoute;";
    private static final String LINE_BUFFER = "Lorg/apache/hc/core5/util/CharArrayBuffer;";

    private ApacheHookShapes() {}

    /** {@code determineRoute(..)} of {@code client}: whatever it takes, the route it returns goes through the daemon. */
    static MethodHook forcedRoute(String client) {
        return MethodHook.in(client, MethodMatcher.named("determineRoute").returns(ROUTE))
                .replacingReturn(Call.to(ApacheHooks.class, "forceRoute", "(Ljava/lang/Object;)Ljava/lang/Object;"));
    }

    /**
     * {@code writeHeadLine(request, buffer)} of {@code writer}, whose request parameter has the type
     * {@code requestType} (the bridge method taking an {@code HttpMessage} is never matched).
     */
    static MethodHook identityOnHeadLine(String writer, String requestType) {
        return MethodHook.in(writer, MethodMatcher.named("writeHeadLine").takes(requestType).takes(LINE_BUFFER).returns("V"))
                .atEntry(Call.to(ApacheHooks.class, "addIdentity", "(Ljava/lang/Object;)V", argument(requestType)));
    }
}
