package io.credproxy.daemon.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.credproxy.daemon.report.ReportAggregator;
import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.report.Decision;
import io.credproxy.protocol.report.Report;
import io.credproxy.protocol.wire.AgentEvent;
import io.credproxy.protocol.wire.AgentEventKind;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** RecordJson writes what the report mapper writes, byte for byte, for every shape the daemon writes. */
class RecordJsonTest {
    private final RecordJson writer = RecordJson.reportFormat();
    private final ObjectMapper mapper = AuditJson.newMapper();

    private void assertSameAsMapper(Object value) throws Exception {
        // As bytes, the form the daemon wrote with the mapper (writeValueAsBytes): the UTF-8 generator.
        String expected = new String(mapper.writeValueAsBytes(value), StandardCharsets.UTF_8);
        assertThat(new String(writer.toBytes(value), StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    @Test
    void auditLinesOfEveryDecisionWithAndWithoutOptionalFields() throws Exception {
        Random random = new Random(7);
        for (Decision d : Decision.values()) {
            for (int i = 0; i < 20; i++) {
                boolean full = random.nextBoolean();
                AuditEvent e = new AuditEvent(random.nextLong(), "app-" + i, "127.0.0.1:" + random.nextInt(65536),
                        full ? "POST" : null, "https", "api.example.com", random.nextInt(65536), full ? "/v1/x?q=1" : null, d,
                        full ? List.of("API_TOKEN", "OTHER") : List.of(), random.nextInt(600), random.nextLong(),
                        Long.MAX_VALUE, random.nextInt(), full ? "host mismatch" : null, full ? "claimed" : null,
                        full ? Long.valueOf(random.nextInt(70000)) : null, full ? List.of("REFUSED") : null);
                assertSameAsMapper(new AuditLines.RequestLine(e));
                assertSameAsMapper(e);
            }
        }
    }

    @Test
    void agentLinesOfEveryKind() throws Exception {
        for (AgentEventKind kind : AgentEventKind.values()) {
            AgentEvent e = new AgentEvent(kind, 1_700_000_000_000L, "app", "java.net.Socket", "db.example", 5432,
                    "com.example.Worker.connect", null, null);
            assertSameAsMapper(new AuditLines.AgentLine(e));
            assertSameAsMapper(new AgentEvent(kind, 0, null, null, kind.isSocket() ? "h" : null, 0, null, "claimed", 1000L));
        }
    }

    @Test
    void aReportWithAppsDestinationsBypassesAndTimeline() throws Exception {
        ReportAggregator aggregator = ReportAggregator.forDaemon();
        Random random = new Random(11);
        Decision[] decisions = Decision.values();
        for (int i = 0; i < 2_000; i++) {
            Decision d = decisions[random.nextInt(decisions.length)];
            aggregator.record(new AuditEvent(1_700_000_000_000L + i * 997L, "app-" + random.nextInt(5), "127.0.0.1:1",
                    "GET", "https", "host-" + random.nextInt(30) + ".example", 443, "/", d,
                    d == Decision.INJECTED ? List.of("API_TOKEN") : List.of(), 200 + random.nextInt(4), 10, 20, 3,
                    null, random.nextInt(10) == 0 ? "other" : null, (long) random.nextInt(3), List.of()));
            if (i % 97 == 0) {
                aggregator.recordAgentEvent(new AgentEvent(AgentEventKind.SOCKET_BLOCKED, 1_700_000_000_000L + i, "app-1",
                        "java.net.Socket", "raw.example", 5432, "com.example.Main.main", null, null));
            }
        }
        Report report = aggregator.snapshot();
        assertThat(report.apps()).isNotEmpty();
        assertSameAsMapper(report);
    }

    /** Not public, as the admin endpoints' own records are. */
    record Shapes(String text, int i, long l, Integer boxed, Long absent, boolean flag, double d, float f, BigInteger big,
                  BigDecimal dec, List<Object> list, Map<String, Object> map, Plain plain, Decision decision) {}

    enum Plain { FIRST_ONE }

    @Test
    void escapesNumbersNullsAndNestingAsTheMapperDoes() throws Exception {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("z", 1L);
        map.put("a \"quoted\" key\n", null);
        map.put("nested", new TreeMap<>(Map.of("k", List.of(1, 2))));
        List<Object> list = new ArrayList<>(Arrays.asList("\u0000\u001f\u2028 é 😀 </script>", null, -0.0, Double.NaN, true));
        assertSameAsMapper(new Shapes("tab\tquote\"backslash\\", Integer.MIN_VALUE, Long.MIN_VALUE, 7, null, true, 1e-300,
                3.25f, new BigInteger("123456789012345678901234567890"), new BigDecimal("1.50"), list, map, Plain.FIRST_ONE,
                Decision.INJECTED));
        assertSameAsMapper(new Shapes(null, 0, 0, null, null, false, 0, 0, null, null, List.of(), Map.of(), null, null));
    }

    @Test
    void loneSurrogatesAreWrittenAsTheMapperWritesThem() throws Exception {
        // A workload cannot put one in an audit field (heads are decoded one byte to a char); should a
        // value ever carry one, the line must come out as the mapper wrote it.
        assertSameAsMapper(new Shapes("\uD800 x \uDC00", 0, 0, null, null, false, 0, 0, null, null,
                List.of("\uDBFF"), Map.of("\uD800", "k"), null, null));
    }

    record Unsupported(Object value) {}

    @Test
    void refusesWhatItHasNoFormFor() {
        assertThatThrownBy(() -> writer.toBytes(new Unsupported(new Object())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object");
        assertThatThrownBy(() -> writer.toBytes(new Unsupported(new StringBuilder("x"))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
