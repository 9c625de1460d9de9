package io.credproxy.agent.weave;

import static io.credproxy.agent.weave.Load.argument;
import static io.credproxy.agent.weave.Load.field;
import static io.credproxy.agent.weave.Load.local;
import static io.credproxy.agent.weave.Load.self;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.Type;

/**
 * Weaves hooks into {@link WeaveTarget}, defines the result in a fresh class loader (where the JVM's
 * verifier checks every frame and stack the weaver wrote) and runs it.
 */
class HookWeaverTest {
    private static final String TARGET = WeaveTarget.class.getName();
    private static final String OBJECT = "Ljava/lang/Object;";
    private static final String STRING = "Ljava/lang/String;";

    @BeforeEach
    void clear() {
        WeaveHelpers.CALLS.clear();
    }

    @Test
    void anEntryCallReplacesAnArgument() throws Throwable {
        Object target = wovenInstance(hook("greet", "(" + STRING + ")" + STRING)
                .atEntry(Call.to(WeaveHelpers.class, "shout", "(" + STRING + ")" + STRING, argument(STRING)).storeArgument(STRING)));
        assertThat(call(target, "greet", "world")).isEqualTo("hello WORLD");
    }

    @Test
    void anEarlyReturnSkipsTheBodyOnlyWhenTheHelperSaysSo() throws Throwable {
        Object target = wovenInstance(
                hook("connect", "(" + OBJECT + ")Z").atEntry(skipCall(OBJECT)),
                hook("blockingConnect", "(" + OBJECT + "J)V").atEntry(skipCall(OBJECT)));
        assertThat(call(target, "connect", "skip")).isEqualTo(true);
        assertThat(call(target, "connect", "go")).isEqualTo(false);
        call(target, "blockingConnect", "skip", 5L);
        call(target, "blockingConnect", "go", 5L);
        assertThat(log(target)).containsExactly("connect body go 3", "blocking body go 5");
        assertThat(WeaveHelpers.CALLS).containsExactly("skip? skip", "skip? go", "skip? skip", "skip? go");
    }

    @Test
    void theHooksLocalCarriesAValueFromEntryToEveryNormalReturn() throws Throwable {
        Object target = wovenInstance(hook("transfer", "(" + OBJECT + "I)V")
                .atEntry(Call.to(WeaveHelpers.class, "target", "(" + OBJECT + ")" + OBJECT, argument(OBJECT)).storeLocal())
                .atEntry(Call.to(WeaveHelpers.class, "destination", "(" + OBJECT + OBJECT + ")" + OBJECT, argument(OBJECT), local())
                        .storeArgument(OBJECT))
                .beforeReturn(Call.to(WeaveHelpers.class, "after", "(" + OBJECT + OBJECT + ")V", self(), local())));

        call(target, "transfer", "redirect", 5);
        call(target, "transfer", "direct", 99);
        call(target, "transfer", "early", -1);
        assertThatThrownBy(() -> call(target, "transfer", "redirect", 13)).isInstanceOf(IOException.class)
                .hasMessage("thirteen daemon");

        // The method's own locals (a long, a double, a String, a loop counter) still hold their values.
        assertThat(log(target)).containsExactly("transfer body daemon 10 2.5", "caught ninety-nine 49.5",
                "transfer body direct 10 49.5", "negative early");
        // Normal returns only: the throwing call has no "after".
        assertThat(WeaveHelpers.CALLS).containsExactly("target redirect", "after target-redirect", "target direct",
                "after null", "target early", "after null", "target redirect");
    }

    @Test
    void aCatchHookSeesOnlyWhatTheMethodsOwnHandlersLetThrough() throws Throwable {
        Object target = wovenInstance(hook("verify", "(" + STRING + ")V")
                .onThrown("java/security/cert/CertificateException", Call.to(WeaveHelpers.class, "acceptOrRethrow",
                        "(Ljava/security/cert/CertificateException;" + OBJECT + STRING + ")V", self(), argument(STRING))));

        call(target, "verify", "good");
        call(target, "verify", "inner");
        call(target, "verify", "bad-but-accepted");
        assertThatThrownBy(() -> call(target, "verify", "bad")).isInstanceOf(CertificateException.class).hasMessage("bad");
        assertThatThrownBy(() -> call(target, "verify", "other")).isExactlyInstanceOf(GeneralSecurityException.class);

        assertThat(log(target)).containsExactly("verified good", "handled inside");
        assertThat(WeaveHelpers.CALLS).containsExactly("rejected bad-but-accepted", "rejected bad");
    }

    @Test
    void aReturnValueIsReplacedAtEveryReturn() throws Throwable {
        Class<?> woven = weave(hook("pick", "(I)" + OBJECT)
                .replacingReturn(Call.to(WeaveHelpers.class, "replace", "(" + OBJECT + "I)" + OBJECT, argument("I"))));
        Method pick = woven.getMethod("pick", int.class);
        assertThat(pick.invoke(null, 1)).isEqualTo("one");
        assertThat(pick.invoke(null, 2)).isEqualTo("two");
        assertThat(pick.invoke(null, 3)).isEqualTo("three");
        assertThat(WeaveHelpers.CALLS).containsExactly("replace one", "replace two", "replace null");
    }

    @Test
    void aConstructorArgumentIsReplacedBeforeSuperAndAFieldCanBeLoadedAtExit() throws Throwable {
        Object target = wovenInstance(
                hook("<init>", "(" + STRING + OBJECT + ")V").atEntry(Call.to(WeaveHelpers.class, "forceExtra",
                        "(" + STRING + OBJECT + ")" + OBJECT, argument(STRING), argument(OBJECT)).storeArgument(OBJECT)),
                hook("describe", "()" + STRING).beforeReturn(Call.to(WeaveHelpers.class, "seen", "(" + STRING + ")V",
                        field("label", STRING))));
        assertThat(target.getClass().getField("extra").get(target)).isEqualTo("forced");
        assertThat(call(target, "describe")).isEqualTo("described woven");
        assertThat(WeaveHelpers.CALLS).containsExactly("extra null", "label woven");
    }

    @Test
    void aMethodThatIsNotThereIsReportedNotApplied() throws Throwable {
        MethodHook missing = hook("vanished", "()V").atEntry(Call.to(WeaveHelpers.class, "seen", "(" + STRING + ")V"));
        MethodHook present = hook("describe", "()" + STRING).atEntry(Call.to(WeaveHelpers.class, "seen", "(" + STRING + ")V"));
        HookWeaver.Result result = HookWeaver.weave(classFile(), List.of(missing, present));
        assertThat(result.applied).containsExactly(present);
    }

    @Test
    void hooksThatCannotFitTheirMethodAreRefusedBeforeAnythingIsWritten() {
        // A handler spanning a method that assigns a parameter would describe that parameter wrongly.
        assertRefused(hook("reassigns", "(" + STRING + ")V").onThrown("java/security/cert/CertificateException",
                Call.to(WeaveHelpers.class, "acceptOrRethrow", "(Ljava/security/cert/CertificateException;" + OBJECT + STRING + ")V",
                        self(), argument(STRING))), "assigns a parameter");
        assertRefused(hook("<init>", "(" + STRING + OBJECT + ")V").atEntry(Call.to(WeaveHelpers.class, "skip",
                "(" + OBJECT + OBJECT + ")Z", argument(STRING), argument(OBJECT)).returnIfTrue()), "early return");
        assertRefused(hook("greet", "(" + STRING + ")" + STRING).atEntry(skipCall(STRING)), "early return");
        assertRefused(hook("describe", "()" + STRING).beforeReturn(Call.to(WeaveHelpers.class, "after", "(" + OBJECT + OBJECT + ")V",
                self(), local())), "which no entry call stores");
        assertRefused(hook("pick", "(I)" + OBJECT).atEntry(Call.to(WeaveHelpers.class, "seen", "(" + STRING + ")V", self())),
                "cannot load this");
    }

    @Test
    void aHookCannotBeBuiltToLoadAnArgumentItsMatcherDoesNotPromise() {
        assertThatThrownBy(() -> hook("greet", "(" + STRING + ")" + STRING)
                .atEntry(Call.to(WeaveHelpers.class, "seen", "(" + STRING + ")V", argument(OBJECT))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("which the matcher does not take");
        assertThatThrownBy(() -> hook("greet", "(" + STRING + ")" + STRING)
                .atEntry(Call.to(WeaveHelpers.class, "shout", "(" + STRING + ")" + STRING, argument(STRING)).storeArgument(OBJECT)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("which the matcher does not take");
    }

    @Test
    void oneHookFindsItsArgumentWhereverItStandsAndSkipsAnOverloadWithTwo() throws Throwable {
        Object target = wovenInstance(MethodHook.in(TARGET, MethodMatcher.named("route").takes(STRING))
                .atEntry(Call.to(WeaveHelpers.class, "shout", "(" + STRING + ")" + STRING, argument(STRING)).storeArgument(STRING)));
        assertThat(call(target, "route", "first")).isEqualTo("route FIRST");
        assertThat(call(target, "route", 8080, "second")).isEqualTo("route SECOND:8080");
        assertThat(call(target, "route", "third", "via", 1)).as("two Strings: not matched, left alone")
                .isEqualTo("route third via via:1");
        assertThat(WeaveHelpers.CALLS).containsExactly("shout first", "shout second");
    }

    @Test
    void anArgumentAMethodLacksIsPassedAsNull() throws Throwable {
        Object target = wovenInstance(MethodHook.in(TARGET, MethodMatcher.named("tag").takes(STRING))
                .atEntry(Call.to(WeaveHelpers.class, "forceExtra", "(" + STRING + OBJECT + ")" + OBJECT,
                        argument(STRING), Load.argumentOrNull(OBJECT))));
        call(target, "tag", "plain");
        call(target, "tag", "with", "extra");
        assertThat(WeaveHelpers.CALLS).containsExactly("extra null", "extra extra");
    }

    private static void assertRefused(MethodHook hook, String why) {
        assertThatThrownBy(() -> HookWeaver.weave(classFile(), List.of(hook))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(why);
    }

    private static Call skipCall(String argumentType) {
        return Call.to(WeaveHelpers.class, "skip", "(" + OBJECT + OBJECT + ")Z", self(), argument(argumentType)).returnIfTrue();
    }

    /** A hook on the method {@code method} with this descriptor: named, taking each parameter type, returning its type. */
    private static MethodHook hook(String method, String descriptor) {
        MethodMatcher matcher = MethodMatcher.named(method).returns(Type.getReturnType(descriptor).getDescriptor());
        for (Type parameter : Type.getArgumentTypes(descriptor)) {
            matcher = matcher.takes(parameter.getDescriptor());
        }
        return MethodHook.in(TARGET, matcher);
    }

    private static Object wovenInstance(MethodHook... hooks) throws Exception {
        Constructor<?> constructor = weave(hooks).getConstructor(String.class, Object.class);
        return constructor.newInstance("woven", null);
    }

    /** Weaves {@code hooks} into a copy of {@link WeaveTarget}, defined (and verified) in a loader of its own. */
    static Class<?> weave(MethodHook... hooks) throws Exception {
        HookWeaver.Result result = HookWeaver.weave(classFile(), List.of(hooks));
        assertThat(result.applied).containsExactlyInAnyOrder(hooks);
        Class<?> woven = new SingleClassLoader(TARGET, result.classFile).loadClass(TARGET);
        woven.getDeclaredMethods(); // links the class: the verifier runs now
        return woven;
    }

    static byte[] classFile() {
        try (InputStream in = WeaveTarget.class.getResourceAsStream("WeaveTarget.class")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object call(Object target, String name, Object... args) throws Throwable {
        for (Method method : target.getClass().getMethods()) {
            if (method.getName().equals(name) && method.getParameterCount() == args.length) {
                try {
                    return method.invoke(target, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        }
        throw new NoSuchMethodException(name);
    }

    @SuppressWarnings("unchecked")
    private static List<String> log(Object target) throws Exception {
        return (List<String>) target.getClass().getField("log").get(target);
    }

    /** Defines one class from bytes; everything else comes from the test's loader. */
    static final class SingleClassLoader extends ClassLoader {
        private final String name;
        private final byte[] classFile;

        SingleClassLoader(String name, byte[] classFile) {
            super(HookWeaverTest.class.getClassLoader());
            this.name = name;
            this.classFile = classFile;
        }

        @Override
        protected Class<?> loadClass(String className, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(className)) {
                if (className.equals(name)) {
                    Class<?> loaded = findLoadedClass(className);
                    return loaded != null ? loaded : defineClass(className, classFile, 0, classFile.length);
                }
                return super.loadClass(className, resolve);
            }
        }
    }
}
