package io.credproxy.daemon.testing;

import io.credproxy.daemon.egress.Cidr;
import io.credproxy.daemon.egress.EgressConfig;
import io.credproxy.daemon.pipeline.EgressStage;
import java.util.List;
import java.util.Set;

/** Egress stages for tests of the chain and the handlers, whose fake upstreams live on loopback. */
public final class TestEgress {
    private TestEgress() {}

    /** Every host allowed, and loopback opted in ({@code allow_addresses: [127.0.0.0/8]}); no own endpoints. */
    public static EgressStage allowingLoopback() {
        EgressStage stage = new EgressStage(new EgressConfig(true, List.of(), List.of(), List.of(Cidr.parse("127.0.0.0/8"))),
                Set.of(), Set::of);
        stage.ownEndpoints(List.of());
        return stage;
    }
}
