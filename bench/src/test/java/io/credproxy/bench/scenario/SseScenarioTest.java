package io.credproxy.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SseScenarioTest {
    @Test
    void readsTheUpstreamsSendTimeFromAnEventLine() {
        assertThat(SseScenario.sentAt("data: 7 123456789012")).isEqualTo(123456789012L);
    }

    @Test
    void aLineWithoutASendTimeCountsAsJustSent() {
        long before = System.nanoTime();
        assertThat(SseScenario.sentAt("data: hello")).isGreaterThanOrEqualTo(before);
    }
}
