package io.credproxy.agent.instrumentation.netty;

import io.credproxy.agent.bootstrap.ForcedConnects;
import io.credproxy.agent.weave.Call;
import io.credproxy.agent.weave.MethodHook;
import io.credproxy.agent.weave.MethodMatcher;

/** The hook that makes a Netty transport's socket config answer "no TCP fast open" under the agent. */
final class FastOpenOff {
    private FastOpenOff() {}

    /** {@code isTcpFastOpenConnect()} of {@code configType}, in any package, answering {@code false}. */
    static MethodHook in(String configType) {
        return MethodHook.inAnyPackage(configType, MethodMatcher.named("isTcpFastOpenConnect").returns("Z"))
                .replacingReturn(Call.to(ForcedConnects.class, "fastOpen", "(Z)Z"));
    }
}
