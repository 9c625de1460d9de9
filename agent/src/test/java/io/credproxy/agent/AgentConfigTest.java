package io.credproxy.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.credproxy.agent.bootstrap.EgressPolicy.SocketMode;
import io.credproxy.protocol.config.HostPort;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentConfigTest {
    @Test
    void defaultsWhenNothingIsGiven() throws Exception {
        AgentConfig config = AgentConfig.parse(null, Map.of(), "com.example.Main --flag");
        assertThat(config.proxy()).isEqualTo(new HostPort("127.0.0.1", 18080));
        assertThat(config.admin()).isEqualTo(new HostPort("127.0.0.1", 18081));
        assertThat(config.app()).isEqualTo("com.example.Main");
        assertThat(config.sockets()).isEqualTo(SocketMode.TUNNEL);
        assertThat(config.direct()).hasSize(3);
        assertThat(config.ca()).isNull();
    }

    @Test
    void theAppDefaultsToTheJarName() throws Exception {
        assertThat(AgentConfig.parse("", Map.of(), "/opt/tito/tito-bot.jar serve").app()).isEqualTo("tito-bot");
    }

    @Test
    void agentArgumentsWinOverTheEnvironment() throws Exception {
        AgentConfig config = AgentConfig.parse("proxy=10.0.0.1:3128,sockets=block",
                Map.of("CREDPROXY_PROXY", "127.0.0.1:1", "CREDPROXY_APP", "tito", "CREDPROXY_SOCKETS", "tunnel"), "x");
        assertThat(config.proxy()).isEqualTo(new HostPort("10.0.0.1", 3128));
        assertThat(config.sockets()).isEqualTo(SocketMode.BLOCK);
        assertThat(config.app()).isEqualTo("tito");
    }

    @Test
    void anEmptyDirectExemptsNothing() throws Exception {
        assertThat(AgentConfig.parse("direct=", Map.of(), "x").direct()).isEmpty();
        assertThat(AgentConfig.parse(null, Map.of("CREDPROXY_DIRECT", ""), "x").direct()).isEmpty();
        assertThat(AgentConfig.parse("direct=db.internal:5432;10.0.0.0/8", Map.of(), "x").direct()).hasSize(2);
    }

    @Test
    void badOptionsNameTheProblem() {
        assertThatThrownBy(() -> AgentConfig.parse("colour=blue", Map.of(), "x")).hasMessageContaining("unknown option 'colour'");
        assertThatThrownBy(() -> AgentConfig.parse("sockets=maybe", Map.of(), "x")).hasMessageContaining("expected tunnel or block");
        assertThatThrownBy(() -> AgentConfig.parse("proxy=nonsense", Map.of(), "x")).hasMessageContaining("proxy=nonsense");
        assertThatThrownBy(() -> AgentConfig.parse("app=a,app=b", Map.of(), "x")).hasMessageContaining("given twice");
        assertThatThrownBy(() -> AgentConfig.parse("direct=10.0.0.0/99", Map.of(), "x")).hasMessageContaining("prefix length");
        assertThatThrownBy(() -> AgentConfig.parse("ca=/nonexistent.pem", Map.of(), "x")).hasMessageContaining("not a readable file");
        assertThatThrownBy(() -> AgentConfig.parse("proxy", Map.of(), "x")).hasMessageContaining("not key=value");
    }
}
