package io.credproxy.daemon.admin;

import io.credproxy.daemon.identity.Caller;
import io.credproxy.daemon.identity.PeerUidResolver;
import io.credproxy.daemon.identity.PeerUser;
import io.credproxy.daemon.policy.Policy;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Attributes agent events to the app the kernel vouches for: the Unix user owning the posting
 * connection (the admin port is on loopback too), mapped by the policy's {@code apps:}. Without an
 * {@code apps:} section, events count for the app they name, as before. The lookup runs on the admin
 * executor, one per request.
 */
public final class KernelEventAttribution implements EventAttribution {
    private final Supplier<Policy> policies;
    private final PeerUidResolver resolver;

    public KernelEventAttribution(Supplier<Policy> policies, PeerUidResolver resolver) {
        this.policies = policies;
        this.resolver = resolver;
    }

    @Override
    public Function<String, Caller> forRequest(AdminRequest request) {
        Policy policy = policies.get();
        if (!policy.apps().enabled()) {
            return Caller::claimed;
        }
        PeerUser user = resolver.lookupNow(request.peer(), request.local());
        return claimed -> policy.apps().attribute(user, claimed);
    }
}
