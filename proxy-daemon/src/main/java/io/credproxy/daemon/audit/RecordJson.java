package io.credproxy.daemon.audit;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.credproxy.protocol.report.Decision;
import io.credproxy.protocol.wire.AgentEventKind;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes the daemon's own records (audit lines, {@code /report}, {@code /readyz}) as JSON with
 * Jackson's streaming generator, in exactly the form {@link AuditJson#newMapper()} gives them.
 *
 * <p>Why not the mapper: databind's serializer machinery (bean introspection, serializer caches and
 * factories) is about 640 classes and 3.8 MiB of metaspace that a daemon sized for 96 MiB carries
 * for the life of the process (docs/BENCHMARKS.md, "Memory"). The records written here are plain:
 * components in declaration order, {@code null} components and map values left out, strings,
 * numbers, booleans, lists, string-keyed maps, nested records, enums by their wire name, and
 * {@link JsonUnwrapped} components inlined. Anything else is refused rather than written in some
 * other form; {@code RecordJsonTest} compares the output with the mapper's byte for byte.
 */
public final class RecordJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private final Map<Class<?>, Function<Enum<?>, String>> enumNames;
    private final ClassValue<Component[]> components = new ClassValue<>() {
        @Override
        protected Component[] computeValue(Class<?> type) {
            RecordComponent[] rc = type.getRecordComponents();
            Component[] out = new Component[rc.length];
            for (int i = 0; i < rc.length; i++) {
                Method accessor = rc[i].getAccessor();
                // Records nested in a class (Readiness) are not public: the same access databind takes.
                accessor.setAccessible(true);
                out[i] = new Component(rc[i].getName(), accessor, accessor.isAnnotationPresent(JsonUnwrapped.class));
            }
            return out;
        }
    };

    /**
     * The report and audit format: {@link Decision} and {@link AgentEventKind} by their wire names, as
     * {@link AuditJson#newMapper()} registers them.
     */
    public static RecordJson reportFormat() {
        return new RecordJson(Map.of(
                Decision.class, e -> ((Decision) e).wireName(),
                AgentEventKind.class, e -> ((AgentEventKind) e).wireName()));
    }

    /** @param enumNames for each enum type written, its wire name; other enums are written by {@link Enum#name()} */
    public RecordJson(Map<Class<?>, Function<Enum<?>, String>> enumNames) {
        this.enumNames = Map.copyOf(enumNames);
    }

    /** The value as UTF-8 JSON. */
    public byte[] toBytes(Object value) throws IOException {
        try (ByteArrayBuilder bytes = new ByteArrayBuilder(512)) {
            try (JsonGenerator gen = FACTORY.createGenerator(bytes)) {
                write(gen, value);
            }
            return bytes.toByteArray();
        }
    }

    /** Writes one value: a record, a list, a map, an enum, a string, a number, a boolean or {@code null}. */
    public void write(JsonGenerator gen, Object value) throws IOException {
        if (value == null) {
            gen.writeNull();
        } else if (value instanceof String s) {
            gen.writeString(s);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            gen.writeNumber(((Number) value).longValue());
        } else if (value instanceof Boolean b) {
            gen.writeBoolean(b);
        } else if (value instanceof Double d) {
            gen.writeNumber(d);
        } else if (value instanceof Float f) {
            gen.writeNumber(f);
        } else if (value instanceof BigInteger n) {
            gen.writeNumber(n);
        } else if (value instanceof BigDecimal n) {
            gen.writeNumber(n);
        } else if (value instanceof Enum<?> e) {
            Function<Enum<?>, String> name = enumNames.get(e.getDeclaringClass());
            gen.writeString(name == null ? e.name() : name.apply(e));
        } else if (value instanceof Record r) {
            gen.writeStartObject();
            writeFields(gen, r);
            gen.writeEndObject();
        } else if (value instanceof Collection<?> items) {
            gen.writeStartArray();
            for (Object item : items) {
                write(gen, item);
            }
            gen.writeEndArray();
        } else if (value instanceof Map<?, ?> map) {
            gen.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (e.getValue() == null) {
                    continue; // as the mapper's NON_NULL inclusion does for map entries too
                }
                gen.writeFieldName(String.valueOf(e.getKey()));
                write(gen, e.getValue());
            }
            gen.writeEndObject();
        } else {
            throw new IllegalArgumentException("no JSON form for " + value.getClass().getName());
        }
    }

    private void writeFields(JsonGenerator gen, Record record) throws IOException {
        for (Component c : components.get(record.getClass())) {
            Object value = c.get(record);
            if (value == null) {
                continue;
            }
            if (c.unwrapped()) {
                if (!(value instanceof Record inner)) {
                    throw new IllegalArgumentException("only a record can be unwrapped: " + c.name());
                }
                writeFields(gen, inner);
            } else {
                gen.writeFieldName(c.name());
                write(gen, value);
            }
        }
    }

    private record Component(String name, Method accessor, boolean unwrapped) {
        Object get(Record record) {
            try {
                return accessor.invoke(record);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot read " + name, e);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException("reading " + name + " failed", e.getCause());
            }
        }
    }
}
