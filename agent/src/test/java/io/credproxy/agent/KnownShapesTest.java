package io.credproxy.agent;

import static io.credproxy.agent.SyntheticShapes.HTTP_HOST;
import static io.credproxy.agent.SyntheticShapes.HTTP_REQUEST;
import static io.credproxy.agent.SyntheticShapes.PROXY_SELECTOR;
import static io.credproxy.agent.SyntheticShapes.URI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.credproxy.agent.bootstrap.AgentContext;
import io.credproxy.agent.bootstrap.AgentEvents;
import io.credproxy.agent.bootstrap.DaemonAddress;
import io.credproxy.agent.bootstrap.DirectRule;
import io.credproxy.agent.bootstrap.EgressPolicy;
import io.credproxy.agent.instrumentation.ClientInstrumentation;
import io.credproxy.agent.instrumentation.apache5.ApacheAsyncInstrumentation;
import io.credproxy.agent.instrumentation.apache5.ApacheClassicInstrumentation;
import io.credproxy.agent.instrumentation.jdkhttp.JdkHttpClientInstrumentation;
import io.credproxy.agent.weave.HookWeaver;
import io.credproxy.agent.weave.MethodHook;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.core5.http.HttpHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hooks whose targets changed shape between versions, woven into synthetic classes of each known
 * shape ({@link SyntheticShapes}), including those no JDK or library on this machine has: each hook
 * applies, the woven class passes the verifier, and it does what the hook is for (the daemon as
 * proxy), where the class as written goes direct.
 */
class KnownShapesTest {
    private static final InetSocketAddress DAEMON = new InetSocketAddress("127.0.0.1", 18080);
    private static final String HTTP_REQUEST_IMPL = "jdk.internal.net.http.HttpRequestImpl";

    @BeforeEach
    void installPolicy() {
        AgentContext.install(new EgressPolicy(DaemonAddress.literal("127.0.0.1", 18080), DaemonAddress.literal("127.0.0.1", 18081),
                List.of(DirectRule.parse("localhost")), EgressPolicy.SocketMode.TUNNEL, "tito", "Basic dGl0bzo="),
                AgentEvents.NONE);
    }

    @AfterEach
    void uninstallPolicy() {
        AgentContext.install(null, null);
    }

    static Stream<Arguments> httpRequestImplShapes() {
        return Stream.of(
                arguments("Java 17.0.15: retrieveProxy(ProxySelector, URI)",
                        List.of(HTTP_REQUEST, PROXY_SELECTOR), List.of(PROXY_SELECTOR, URI)),
                arguments("later 17.0.x, 21, 25: retrieveProxy(HttpRequest, ProxySelector, URI)",
                        List.of(HTTP_REQUEST, PROXY_SELECTOR), List.of(HTTP_REQUEST, PROXY_SELECTOR, URI)),
                arguments("a constructor with the selector first and one more parameter",
                        List.of(PROXY_SELECTOR, "Z", HTTP_REQUEST), List.of(HTTP_REQUEST, PROXY_SELECTOR, URI)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("httpRequestImplShapes")
    void theJdkHttpClientIsForcedWhateverShapeItsRequestCopyHas(String shape, List<String> constructor,
            List<String> retrieveProxy) throws Exception {
        byte[] original = SyntheticShapes.httpRequestImpl(constructor, retrieveProxy);
        assertThat(proxyChosen(original, constructor)).as("as written: the application's NO_PROXY").isEqualTo(Proxy.NO_PROXY);

        List<MethodHook> hooks = hooksFor(new JdkHttpClientInstrumentation(), HTTP_REQUEST_IMPL);
        HookWeaver.Result woven = HookWeaver.weave(original, hooks);

        assertThat(woven.applied).containsExactlyElementsOf(hooks);
        assertThat(proxyChosen(woven.classFile, constructor).address()).isEqualTo(DAEMON);
    }

    @Test
    void aConstructorWithTwoSelectorsIsNotGuessedAt() {
        byte[] twoSelectors = SyntheticShapes.httpRequestImpl(List.of(HTTP_REQUEST, PROXY_SELECTOR, PROXY_SELECTOR),
                List.of(PROXY_SELECTOR, URI));
        HookWeaver.Result result = HookWeaver.weave(twoSelectors, hooksFor(new JdkHttpClientInstrumentation(), HTTP_REQUEST_IMPL));
        assertThat(result.applied).as("no match: reported as an instrumentation error, never woven into the wrong one").isEmpty();
    }

    static Stream<Arguments> apacheRouteShapes() {
        String classic = "org.apache.hc.client5.http.impl.classic.InternalHttpClient";
        String async = "org.apache.hc.client5.http.impl.async.InternalHttpAsyncClient";
        String request = "Lorg/apache/hc/core5/http/HttpRequest;";
        String context = "Lorg/apache/hc/core5/http/protocol/HttpContext;";
        String clientContext = "Lorg/apache/hc/client5/http/protocol/HttpClientContext;";
        return Stream.of(
                arguments("classic 5.1: determineRoute(HttpHost, HttpContext)", new ApacheClassicInstrumentation(), classic,
                        List.of(HTTP_HOST, context)),
                arguments("classic 5.5: determineRoute(HttpHost, HttpRequest, HttpContext)", new ApacheClassicInstrumentation(),
                        classic, List.of(HTTP_HOST, request, context)),
                arguments("async 5.1: determineRoute(HttpHost, HttpClientContext)", new ApacheAsyncInstrumentation(), async,
                        List.of(HTTP_HOST, clientContext)),
                arguments("async 5.5: determineRoute(HttpHost, HttpRequest, HttpClientContext)", new ApacheAsyncInstrumentation(),
                        async, List.of(HTTP_HOST, request, clientContext)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("apacheRouteShapes")
    void apacheRoutesGoThroughTheDaemonWhateverDetermineRouteTakes(String shape, ClientInstrumentation client, String type,
            List<String> parameters) throws Exception {
        byte[] original = SyntheticShapes.apacheClient(type, parameters);
        assertThat(routeChosen(original, type).getProxyHost()).as("as written: direct").isNull();

        List<MethodHook> hooks = hooksFor(client, type);
        HookWeaver.Result woven = HookWeaver.weave(original, hooks);

        assertThat(woven.applied).containsExactlyElementsOf(hooks);
        HttpRoute forced = routeChosen(woven.classFile, type);
        assertThat(forced.getProxyHost().getHostName()).isEqualTo("127.0.0.1");
        assertThat(forced.getProxyHost().getPort()).isEqualTo(DAEMON.getPort());
        assertThat(forced.isTunnelled()).as("HTTPS through the daemon: a CONNECT tunnel").isTrue();
        assertThat(forced.getTargetHost().getHostName()).isEqualTo("api.example.com");
    }

    /** The proxy an {@code HttpRequestImpl} of this class file picks for a client built with {@code NO_PROXY}. */
    private static Proxy proxyChosen(byte[] classFile, List<String> constructorParameters) throws Exception {
        Class<?> type = VerifyingLoader.defineAndVerify(HTTP_REQUEST_IMPL, classFile);
        HttpRequest request = HttpRequest.newBuilder(java.net.URI.create("https://api.example.com/v1")).build();
        List<Object> arguments = new ArrayList<>();
        for (String parameter : constructorParameters) {
            arguments.add(parameter.equals(HTTP_REQUEST) ? request : parameter.equals(PROXY_SELECTOR) ? HttpClient.Builder.NO_PROXY
                    : Boolean.FALSE);
        }
        Constructor<?> constructor = type.getConstructors()[0];
        Object impl = constructor.newInstance(arguments.toArray());
        return (Proxy) type.getField("proxy").get(impl);
    }

    /** The route an Apache client of this class file picks for {@code https://api.example.com}. */
    private static HttpRoute routeChosen(byte[] classFile, String binaryName) throws Exception {
        Class<?> type = VerifyingLoader.defineAndVerify(binaryName, classFile);
        Method determineRoute = type.getDeclaredMethods()[0];
        determineRoute.setAccessible(true);
        Object[] arguments = new Object[determineRoute.getParameterCount()];
        arguments[0] = new HttpHost("https", "api.example.com", 443);
        return (HttpRoute) determineRoute.invoke(type.getConstructor().newInstance(), arguments);
    }

    private static List<MethodHook> hooksFor(ClientInstrumentation client, String binaryName) {
        List<MethodHook> hooks = new ArrayList<>();
        for (MethodHook hook : client.hooks()) {
            if (hook.typeName().equals(binaryName)) {
                hooks.add(hook);
            }
        }
        assertThat(hooks).as(binaryName).isNotEmpty();
        return hooks;
    }
}
