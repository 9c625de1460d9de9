package io.credproxy.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.credproxy.protocol.wire.AgentEvent;
import io.credproxy.protocol.wire.AgentEventJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon, run as the unit runs it, serves injected requests, writes its audit log and answers
 * {@code /healthz}, {@code /readyz}, {@code /report} and {@code /metrics} without loading Jackson's
 * databind mapper: its serializer and deserializer machinery is about 640 classes and 3.8 MiB of
 * metaspace, kept for the life of the process, which the RSS target of issue 15 cannot carry
 * (docs/BENCHMARKS.md, "Memory"). The first {@code POST /events} loads it, and this test sees that
 * too: the check reads the JVM's own class-loading log, so it can fail. Logback's pattern layout
 * (its parser and converters, about 150 classes) stays unloaded as well: {@code TextLayout} writes
 * the text line.
 */
class DaemonFootprintIT {
    private static final Pattern LOADED = Pattern.compile("\\[class,load\\] (\\S+) source:");
    private static final Set<String> HEAVY = Set.of(
            "com.fasterxml.jackson.databind.ObjectMapper",
            "com.fasterxml.jackson.databind.ser.BeanSerializerFactory",
            "com.fasterxml.jackson.databind.deser.BeanDeserializerFactory");

    @TempDir
    Path dir;

    @Test
    void servingAndTheAdminEndpointsLeaveDatabindUnloaded() throws Exception {
        Path classLog = dir.resolve("classes.log");
        try (HostileWorkload w = HostileWorkload.start(dir, "", Map.of(), List.of(),
                List.of("-Xlog:class+load=info:file=" + classLog))) {
            w.assertResponsive("serving");
            assertThat(w.healthz()).startsWith("200");
            assertThat(w.child.fetch("/readyz")).contains("\"ready\":true");
            assertThat(w.child.fetch("/report")).contains("\"apps\":[");
            assertThat(w.metric("credproxy_requests_total")).isPositive();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(Files.exists(w.fx.auditLog) ? Files.readString(w.fx.auditLog) : "")
                            .contains("\"type\":\"request\"").contains("\"decision\":\"injected\""));

            assertThat(loaded(classLog)).as("classes loaded while serving").doesNotContainAnyElementsOf(HEAVY)
                    .contains("io.credproxy.daemon.audit.RecordJson", "io.credproxy.daemon.config.YamlTree");
            assertThat(loaded(classLog)).as("Logback's pattern layout, loaded while serving")
                    .noneMatch(name -> name.startsWith("ch.qos.logback.core.pattern.") || name.equals("ch.qos.logback.classic.PatternLayout"))
                    .contains("io.credproxy.daemon.logging.TextLayout");

            String event = AgentEventJson.toJsonArray(List.of(AgentEvent.instrumented(System.currentTimeMillis(), "app", "okhttp3")));
            assertThat(EventsAbuseIT.post(w, event)).startsWith("2");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(loaded(classLog)).as("after the first POST /events").contains("com.fasterxml.jackson.databind.ObjectMapper"));
            assertThat(w.stop()).isZero();
        }
    }

    private static Set<String> loaded(Path classLog) throws Exception {
        return Files.readAllLines(classLog).stream().map(LOADED::matcher).filter(Matcher::find).map(m -> m.group(1))
                .collect(Collectors.toSet());
    }
}
