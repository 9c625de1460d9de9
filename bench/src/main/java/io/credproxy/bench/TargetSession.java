package io.credproxy.bench;

/**
 * What a scenario needs to run against one target: its clients, the credential check, the
 * endpoints, and the proxy process to watch (null when direct).
 */
public record TargetSession(BenchClients clients, ExpectedAuth auth, Endpoints endpoints, ProcessStats proxyStats) {
    public Target target() {
        return clients.target();
    }

    public ProxyMeter startMeter() {
        return ProxyMeter.start(proxyStats);
    }
}
