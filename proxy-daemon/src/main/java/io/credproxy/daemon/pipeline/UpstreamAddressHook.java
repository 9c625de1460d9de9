package io.credproxy.daemon.pipeline;

import java.net.InetSocketAddress;

/**
 * Hook 3: the upstream host name has been resolved, and the daemon is about to connect.
 *
 * <p>Runs for tunnels and for intercepted and plain exchanges alike, with the address the daemon
 * will connect to: on {@link StageResult#proceed()} it connects to exactly that address, with no
 * second lookup (so a name cannot resolve to one address for the check and another for the
 * connect). A pooled connection is checked again, by its remote address, before each reuse.
 * Anything else refuses: nothing is sent to the address, and the client gets the result's status.
 * A hook that throws refuses with 502.
 */
public interface UpstreamAddressHook extends Stage {
    StageResult onUpstreamAddress(Target target, InetSocketAddress address);
}
