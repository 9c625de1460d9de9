package io.credproxy.agent.weave;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the agent changes in one method: the type and method, and the {@link Call}s inserted at its
 * entry, before each normal return, or when it throws.
 *
 * <p>Immutable; built with the {@code on...} methods, each of which returns a new hook:
 * <pre>{@code
 * MethodHook.in("java.net.ProxySelector", MethodMatcher.exactly("getDefault", "()Ljava/net/ProxySelector;"))
 *         .replacingReturn(Call.to(ForcedProxySelector.class, "wrap", "(Ljava/net/ProxySelector;)Ljava/net/ProxySelector;"))
 * }</pre>
 * The woven code only calls helpers in the bootstrap loader; only classes can be changed, never their
 * shape (no new fields or methods), which is what retransforming an already loaded class allows.
 */
public final class MethodHook {
    final String type;
    final MethodMatcher method;
    final List<Call> atEntry;
    final List<Call> beforeReturn;
    final Call replaceReturn;
    final String thrownType;
    final Call onThrown;
    final boolean required;

    private MethodHook(String type, MethodMatcher method, List<Call> atEntry, List<Call> beforeReturn, Call replaceReturn,
            String thrownType, Call onThrown, boolean required) {
        this.type = type;
        this.method = method;
        this.atEntry = atEntry;
        this.beforeReturn = beforeReturn;
        this.replaceReturn = replaceReturn;
        this.thrownType = thrownType;
        this.onThrown = onThrown;
        this.required = required;
    }

    /** A hook, with nothing inserted yet, into the method of {@code typeName} (a binary class name). */
    public static MethodHook in(String typeName, MethodMatcher method) {
        return new MethodHook(typeName.replace('.', '/'), method, List.of(), List.of(), null, null, null, false);
    }

    /** Adds {@code call} at the method's entry, after the calls added before it. */
    public MethodHook atEntry(Call call) {
        return new MethodHook(type, method, append(atEntry, call), beforeReturn, replaceReturn, thrownType, onThrown, required);
    }

    /** Adds {@code call} before every normal return; its result is dropped and the return value kept. */
    public MethodHook beforeReturn(Call call) {
        return new MethodHook(type, method, atEntry, append(beforeReturn, call), replaceReturn, thrownType, onThrown, required);
    }

    /** Before every normal return, {@code call} gets the return value (then its loads) and returns the one to return. */
    public MethodHook replacingReturn(Call call) {
        return new MethodHook(type, method, atEntry, beforeReturn, call, thrownType, onThrown, required);
    }

    /**
     * When the method throws {@code exceptionType} (an internal name: {@code java/security/cert/CertificateException}),
     * {@code call} gets the exception (then its loads); if it returns, the method returns normally
     * (void methods only), and if it throws, that is what the method throws. The method's own
     * handlers come first.
     */
    public MethodHook onThrown(String exceptionType, Call call) {
        return new MethodHook(type, method, atEntry, beforeReturn, replaceReturn, exceptionType, call, required);
    }

    /** Marks the hook as one the agent cannot run without: if it cannot be woven, the JVM must not start. */
    public MethodHook required() {
        return new MethodHook(type, method, atEntry, beforeReturn, replaceReturn, thrownType, onThrown, true);
    }

    /** The woven type's binary name ({@code java.net.Socket}). */
    public String typeName() {
        return type.replace('/', '.');
    }

    /** The woven type's internal name ({@code java/net/Socket}). */
    public String internalTypeName() {
        return type;
    }

    public boolean isRequired() {
        return required;
    }

    /** Every call this hook inserts, wherever it goes. */
    public List<Call> calls() {
        List<Call> all = new ArrayList<>(atEntry);
        all.addAll(beforeReturn);
        if (replaceReturn != null) {
            all.add(replaceReturn);
        }
        if (onThrown != null) {
            all.add(onThrown);
        }
        return Collections.unmodifiableList(all);
    }

    boolean usesLocal() {
        for (Call call : atEntry) {
            if (call.outcome == Call.Outcome.STORE_LOCAL) {
                return true;
            }
        }
        return false;
    }

    private static List<Call> append(List<Call> calls, Call call) {
        List<Call> copy = new ArrayList<>(calls);
        copy.add(call);
        return Collections.unmodifiableList(copy);
    }

    @Override
    public String toString() {
        return typeName() + "." + method;
    }
}
