package io.credproxy.daemon.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.credproxy.protocol.report.Decision;
import io.credproxy.protocol.wire.AgentEventKind;
import java.io.IOException;
import java.util.function.Function;

/**
 * The one Jackson configuration for audit lines, {@code /report}, {@code /events} and the CLI's JSON.
 *
 * <p>Field names are the record component names (camelCase: {@code timeMillis},
 * {@code secretNames}); enums are their lower-case wire names ({@code injected},
 * {@code socket_blocked}); {@code null} fields are left out. The shared-protocol records carry no
 * Jackson annotations (that module is JDK only), so the enum mapping is registered here. Readers
 * ignore unknown fields, so a newer daemon's files stay readable by an older CLI.
 */
public final class AuditJson {
    private AuditJson() {}

    /** A new mapper configured for the report and audit formats; thread-safe once built. */
    public static ObjectMapper newMapper() {
        SimpleModule module = new SimpleModule("credproxy-report");
        register(module, Decision.class, Decision::wireName, Decision::fromWireName);
        register(module, AgentEventKind.class, AgentEventKind::wireName, AgentEventKind::fromWireName);
        return JsonMapper.builder()
                .addModule(module)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                // Only record components are fields: helpers such as DestinationReport.isOverflow() are not.
                .disable(MapperFeature.AUTO_DETECT_IS_GETTERS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }

    private static <E extends Enum<E>> void register(SimpleModule module, Class<E> type,
                                                     Function<E, String> toWire, Function<String, E> fromWire) {
        module.addSerializer(type, new StdSerializer<>(type) {
            @Override
            public void serialize(E value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeString(toWire.apply(value));
            }
        });
        module.addDeserializer(type, new StdDeserializer<>(type) {
            @Override
            public E deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                String text = p.getValueAsString();
                try {
                    return fromWire.apply(text);
                } catch (IllegalArgumentException e) {
                    // Short and bounded: the text comes from the client and goes back in a 400.
                    String shown = text == null ? "null" : text.length() > 40 ? text.substring(0, 40) + "..." : text;
                    return ctxt.reportInputMismatch(type, "unknown %s '%s'", type.getSimpleName(), shown);
                }
            }
        });
    }
}
