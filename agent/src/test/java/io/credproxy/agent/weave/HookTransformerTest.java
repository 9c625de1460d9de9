package io.credproxy.agent.weave;

import static io.credproxy.agent.weave.Load.argument;
import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.agent.bootstrap.AgentEvents;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the transformer reports: a client is instrumented only once every hook it needs is woven,
 * whichever class loads last; a hook that finds nothing is an error event and its client is never
 * reported instrumented.
 */
class HookTransformerTest {
    private static final String TARGET = "io/credproxy/agent/weave/WeaveTarget";
    private static final String HELPERS = "io/credproxy/agent/weave/WeaveHelpers";
    private static final String STRING = "Ljava/lang/String;";
    private static final Call SEEN = Call.to(WeaveHelpers.class, "seen", "(" + STRING + ")V", argument(STRING));

    /** Records what the transformer reports. */
    static final class RecordingEvents implements AgentEvents {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void instrumented(String client) {
            events.add("instrumented " + client);
        }

        @Override
        public void instrumentationFailed(String client, String hook) {
            events.add("failed " + client + " " + hook);
        }

        @Override
        public void socketTunneled(String client, String host, int port, String frame) {}

        @Override
        public void socketBlocked(String client, String host, int port, String frame) {}
    }

    private final RecordingEvents events = new RecordingEvents();

    @Test
    void aClientWhoseTypesLoadAtDifferentTimesIsInstrumentedWhenTheLastIsWoven() {
        HookTransformer transformer = transformer(Map.of("two-types", List.of(
                hook(TARGET, "greet"),
                hook(HELPERS, "seen"))));

        assertThat(load(transformer, TARGET)).as("woven").isNotNull();
        assertThat(events.events).as("one of its two types woven: not yet").isEmpty();
        assertThat(transformer.isUnseenTarget(HELPERS.replace('/', '.'))).isTrue();

        assertThat(load(transformer, HELPERS)).isNotNull();
        assertThat(events.events).containsExactly("instrumented two-types");
        assertThat(transformer.isUnseenTarget(HELPERS.replace('/', '.'))).isFalse();

        load(transformer, TARGET); // woven again (a retransformation): reported once only
        assertThat(events.events).containsExactly("instrumented two-types");
    }

    @Test
    void aHookThatFindsNoMethodIsAnErrorAndItsClientIsNeverInstrumented() {
        Map<String, List<MethodHook>> clients = new LinkedHashMap<>();
        clients.put("broken", List.of(hook(TARGET, "greet"), hook(TARGET, "vanished")));
        clients.put("fine", List.of(hook(TARGET, "tag")));
        HookTransformer transformer = transformer(clients);

        assertThat(load(transformer, TARGET)).as("what did match is still woven").isNotNull();

        assertThat(events.events).containsExactlyInAnyOrder("instrumented fine",
                "failed broken " + TARGET.replace('/', '.') + ".vanished(.. java.lang.String ..)");
        assertThat(transformer.isUnseenTarget(TARGET.replace('/', '.'))).as("settled: not retried for ever").isFalse();
    }

    @Test
    void anOptionalHookWhoseClassNeverLoadsDoesNotHoldItsClientBack() {
        HookTransformer transformer = transformer(Map.of("socket", List.of(
                hook(TARGET, "greet").required(),
                MethodHook.in("java.net.AbstractPlainSocketImpl", MethodMatcher.named("connect").takes(STRING)).atEntry(SEEN)
                        .optional())));
        assertThat(transformer.missingRequired()).hasSize(1);

        load(transformer, TARGET);

        assertThat(events.events).containsExactly("instrumented socket");
        assertThat(transformer.missingRequired()).isEmpty();
    }

    @Test
    void aRequiredHookThatCannotBeWovenIsToldBeforeItsClassIsDefined() {
        HookTransformer transformer = transformer(Map.of("fence", List.of(hook(TARGET, "vanished").required()),
                "client", List.of(hook(HELPERS, "vanished"))));
        List<String> told = new ArrayList<>();
        transformer.whenRequiredHookFails(new HookTransformer.RequiredHookFailed() {
            @Override
            public void failed(String type, String why) {
                told.add(type + ": " + why);
            }
        });

        load(transformer, HELPERS);
        assertThat(told).as("an optional client's failure is an error event, not a refusal").isEmpty();
        assertThat(transformer.failedRequired()).as("the fence class has not loaded: nothing failed yet").isEmpty();

        load(transformer, TARGET);
        assertThat(told).singleElement().asString().startsWith(TARGET.replace('/', '.') + ": ")
                .contains("vanished", "found no method");
        assertThat(transformer.failedRequired()).hasSize(1);
    }

    @Test
    void aClassTheJvmRefusedUnweavesItsHooksAndReportsThem() {
        HookTransformer transformer = transformer(Map.of("fence", List.of(hook(TARGET, "greet").required())));
        load(transformer, TARGET);

        transformer.rejected(WeaveTarget.class, new UnsupportedOperationException("class redefinition failed"));

        assertThat(transformer.missingRequired()).singleElement().asString().contains("greet", "retransformation failed");
        assertThat(events.events).contains("failed fence " + TARGET.replace('/', '.') + ".greet(.. java.lang.String ..)");
    }

    @Test
    void aClassThatIsNotATargetIsLeftAloneWithoutBeingRead() {
        HookTransformer transformer = transformer(Map.of("a", List.of(hook(TARGET, "greet"))));
        assertThat(transformer.transform(null, null, "java/lang/String", null, null, new byte[] {1, 2, 3})).isNull();
        assertThat(transformer.transform(null, null, null, null, null, new byte[0])).isNull();
        assertThat(events.events).isEmpty();
    }

    @Test
    void aHookInAnyPackageWeavesEveryRelocatedCopyButNoNameThatMerelyEndsTheSame() {
        // WeaveTarget's own bytes, presented under the names a shading plugin would give a copy.
        HookTransformer transformer = transformer(Map.of("relocatable", List.of(
                MethodHook.inAnyPackage("io.credproxy.agent.weave.WeaveTarget", MethodMatcher.named("greet").takes(STRING))
                        .atEntry(SEEN))));
        String shaded = "io/grpc/netty/shaded/" + TARGET;

        assertThat(transformer.isUnseenTarget(shaded.replace('/', '.'))).isTrue();
        assertThat(transformer.transform(null, null, TARGET, null, null, classFile(TARGET))).as("the type itself").isNotNull();
        assertThat(transformer.transform(null, null, shaded, null, null, classFile(TARGET))).as("a shaded copy").isNotNull();
        assertThat(transformer.isUnseenTarget(shaded.replace('/', '.'))).as("each copy is woven, not just the first").isFalse();
        assertThat(transformer.isUnseenTarget("other.shaded." + TARGET.replace('/', '.'))).isTrue();
        assertThat(transformer.transform(null, null, "io/credproxy/agent/weave/NotWeaveTarget", null, null, classFile(TARGET)))
                .as("a name that only ends the same").isNull();
        assertThat(transformer.transform(null, null, "xio/credproxy/agent/weave/WeaveTarget", null, null, classFile(TARGET)))
                .as("a package that only ends the same").isNull();
        assertThat(events.events).containsExactly("instrumented relocatable");
    }

    private HookTransformer transformer(Map<String, List<MethodHook>> clients) {
        return new HookTransformer(clients, events);
    }

    private static MethodHook hook(String type, String method) {
        return MethodHook.in(type.replace('/', '.'), MethodMatcher.named(method).takes(STRING)).atEntry(SEEN);
    }

    private static byte[] load(HookTransformer transformer, String type) {
        return transformer.transform(null, HookTransformerTest.class.getClassLoader(), type, null, null, classFile(type));
    }

    private static byte[] classFile(String type) {
        try (java.io.InputStream in = HookTransformerTest.class.getClassLoader().getResourceAsStream(type + ".class")) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
