package io.credproxy.agent.weave;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the agent changes in the methods of one type: the type, which methods, and the {@link Call}s
 * inserted at their entry, before each normal return, or when they throw.
 *
 * <p>Immutable; built with the methods below, each of which returns a new hook:
 * <pre>{@code
 * MethodHook.in("java.net.ProxySelector", MethodMatcher.named("getDefault").returns("Ljava/net/ProxySelector;"))
 *         .replacingReturn(Call.to(SelectorForcing.class, "wrap", "(Ljava/net/ProxySelector;)Ljava/net/ProxySelector;"))
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
    private final Need need;
    final boolean anyPackage;

    /** How much the agent depends on the hook. */
    private enum Need { CLIENT, REQUIRED, OPTIONAL }

    private MethodHook(String type, MethodMatcher method, List<Call> atEntry, List<Call> beforeReturn, Call replaceReturn,
            String thrownType, Call onThrown, Need need, boolean anyPackage) {
        this.type = type;
        this.method = method;
        this.atEntry = atEntry;
        this.beforeReturn = beforeReturn;
        this.replaceReturn = replaceReturn;
        this.thrownType = thrownType;
        this.onThrown = onThrown;
        this.need = need;
        this.anyPackage = anyPackage;
    }

    /** A hook, with nothing inserted yet, into the methods {@code method} matches in {@code typeName} (a binary name). */
    public static MethodHook in(String typeName, MethodMatcher method) {
        return new MethodHook(typeName.replace('.', '/'), method, List.of(), List.of(), null, null, null, Need.CLIENT, false);
    }

    /**
     * A hook into {@code typeName} wherever a library was relocated to: the class itself and every
     * shaded copy whose name ends with {@code .typeName} ({@code io.grpc.netty.shaded.io.netty.channel.unix.Socket}
     * for {@code io.netty.channel.unix.Socket}). Each copy is woven as it loads.
     */
    public static MethodHook inAnyPackage(String typeName, MethodMatcher method) {
        return new MethodHook(typeName.replace('.', '/'), method, List.of(), List.of(), null, null, null, Need.CLIENT, true);
    }

    /** Adds {@code call} at the method's entry, after the calls added before it. */
    public MethodHook atEntry(Call call) {
        return new MethodHook(type, method, append(atEntry, checked(call)), beforeReturn, replaceReturn, thrownType, onThrown, need, anyPackage);
    }

    /** Adds {@code call} before every normal return; its result is dropped and the return value kept. */
    public MethodHook beforeReturn(Call call) {
        return new MethodHook(type, method, atEntry, append(beforeReturn, checked(call)), replaceReturn, thrownType, onThrown, need, anyPackage);
    }

    /** Before every normal return, {@code call} gets the return value (then its loads) and returns the one to return. */
    public MethodHook replacingReturn(Call call) {
        return new MethodHook(type, method, atEntry, beforeReturn, checked(call), thrownType, onThrown, need, anyPackage);
    }

    /**
     * When the method throws {@code exceptionType} (an internal name: {@code java/security/cert/CertificateException}),
     * {@code call} gets the exception (then its loads); if it returns, the method returns normally
     * (void methods only), and if it throws, that is what the method throws. The method's own
     * handlers come first.
     */
    public MethodHook onThrown(String exceptionType, Call call) {
        return new MethodHook(type, method, atEntry, beforeReturn, replaceReturn, exceptionType, checked(call), need, anyPackage);
    }

    /** Marks the hook as one the agent cannot run without: if it cannot be woven, the JVM must not start. */
    public MethodHook required() {
        return new MethodHook(type, method, atEntry, beforeReturn, replaceReturn, thrownType, onThrown, Need.REQUIRED, anyPackage);
    }

    /**
     * Marks the hook as one whose type may never be loaded (a JDK's legacy implementation, used only
     * behind a system property): its client counts as instrumented without it. When the type is
     * loaded, the hook must still apply.
     */
    public MethodHook optional() {
        return new MethodHook(type, method, atEntry, beforeReturn, replaceReturn, thrownType, onThrown, Need.OPTIONAL, anyPackage);
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
        return need == Need.REQUIRED;
    }

    public boolean isOptional() {
        return need == Need.OPTIONAL;
    }

    /** Whether the hook goes into shaded copies of its type too ({@link #inAnyPackage}). */
    public boolean isAnyPackage() {
        return anyPackage;
    }

    /** Whether {@code internalName} is this hook's type, or (for {@link #inAnyPackage}) a relocated copy of it. */
    boolean targets(String internalName) {
        if (!anyPackage) {
            return internalName.equals(type);
        }
        int at = internalName.length() - type.length();
        return internalName.endsWith(type) && (at == 0 || at > 0 && internalName.charAt(at - 1) == '/');
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

    /**
     * Refuses, when the hook is built, a call that names an argument the matcher does not promise:
     * such a hook would find its method and then fail inside the transformer.
     */
    private Call checked(Call call) {
        for (Load load : call.loads) {
            if (load.kind == Load.Kind.ARGUMENT && !method.guarantees(load.type)) {
                throw new IllegalArgumentException(this + ": " + call + " loads an argument of type " + load.type
                        + ", which the matcher does not take");
            }
        }
        if (call.argumentType != null && !method.guarantees(call.argumentType)) {
            throw new IllegalArgumentException(this + ": " + call + " stores into an argument of type " + call.argumentType
                    + ", which the matcher does not take");
        }
        return call;
    }

    private static List<Call> append(List<Call> calls, Call call) {
        List<Call> copy = new ArrayList<>(calls);
        copy.add(call);
        return Collections.unmodifiableList(copy);
    }

    /** {@code java.net.Socket.connect(.. java.net.SocketAddress int ..)}. */
    @Override
    public String toString() {
        return (anyPackage ? "*." : "") + typeName() + "." + method;
    }
}
