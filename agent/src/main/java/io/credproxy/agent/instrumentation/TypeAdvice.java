package io.credproxy.agent.instrumentation;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * One piece of advice: the type it goes into (by exact name), the methods, and the advice class.
 *
 * @param typeName the fully qualified name of the instrumented type
 * @param methods which of its methods or constructors get the advice; matchers are strict (name and
 *     parameter types) so that a changed library is not silently mis-woven
 * @param adviceClass the class holding the {@code @Advice.OnMethodEnter}/{@code OnMethodExit} methods
 * @param required whether the agent must refuse to run when this type cannot be instrumented (the
 *     raw-socket fence); {@code false} for client libraries, which may be absent
 */
public record TypeAdvice(String typeName, ElementMatcher<? super MethodDescription> methods, Class<?> adviceClass,
        boolean required) {

    /** Advice for a type that may be absent or different (a client library). */
    public static TypeAdvice optional(String typeName, ElementMatcher<? super MethodDescription> methods, Class<?> adviceClass) {
        return new TypeAdvice(typeName, methods, adviceClass, false);
    }

    /** Advice the agent cannot run without. */
    public static TypeAdvice required(String typeName, ElementMatcher<? super MethodDescription> methods, Class<?> adviceClass) {
        return new TypeAdvice(typeName, methods, adviceClass, true);
    }
}
