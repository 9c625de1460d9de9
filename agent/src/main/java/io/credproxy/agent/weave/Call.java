package io.credproxy.agent.weave;

import java.util.List;

/**
 * A call the weaver inserts into a method: a public static method of a bootstrap helper, the values
 * it is given, and what happens to what it returns.
 *
 * <p>Calls only ever invoke a static method and store or return its result. Whatever the helper
 * decides (tunnel, force a proxy, add a header) is written in Java in the helper, where it is
 * compiled, tested and readable; the inserted bytecode stays a few instructions that need no stack
 * map frames of their own, except the one after {@link #returnIfTrue()}.
 */
public final class Call {
    enum Outcome { DISCARD, STORE_ARGUMENT, STORE_LOCAL, RETURN_IF_TRUE }

    final String owner;
    final String name;
    final String descriptor;
    final List<Load> loads;
    final Outcome outcome;
    /** For {@link Outcome#STORE_ARGUMENT}: the JVM type of the parameter replaced. */
    final String argumentType;

    private Call(String owner, String name, String descriptor, List<Load> loads, Outcome outcome, String argumentType) {
        this.owner = owner;
        this.name = name;
        this.descriptor = descriptor;
        this.loads = loads;
        this.outcome = outcome;
        this.argumentType = argumentType;
    }

    /**
     * A call to {@code owner.name}, a public static method with the JVM {@code descriptor}, given
     * {@code loads} in order (after the return value or the exception, for calls at exit or on throw).
     * Its result is dropped unless one of the methods below says otherwise.
     */
    public static Call to(Class<?> owner, String name, String descriptor, Load... loads) {
        return new Call(owner.getName().replace('.', '/'), name, descriptor, List.of(loads), Outcome.DISCARD, null);
    }

    /**
     * The result replaces the woven method's parameter of the JVM type {@code typeDescriptor}, wherever
     * it stands (entry calls; the hook's matcher must {@linkplain MethodMatcher#takes take} that type).
     */
    public Call storeArgument(String typeDescriptor) {
        return new Call(owner, name, descriptor, loads, Outcome.STORE_ARGUMENT, typeDescriptor);
    }

    /** The result goes into the hook's own local, for later calls to {@link Load#local()} (entry calls). */
    public Call storeLocal() {
        return new Call(owner, name, descriptor, loads, Outcome.STORE_LOCAL, null);
    }

    /**
     * When the helper answers {@code true}, the woven method returns at once without running its
     * body: {@code true} from a {@code boolean} method, nothing from a {@code void} one (entry calls).
     */
    public Call returnIfTrue() {
        return new Call(owner, name, descriptor, loads, Outcome.RETURN_IF_TRUE, null);
    }

    /** The helper's class, an internal name ({@code io/credproxy/agent/bootstrap/SocketGuard}). */
    public String owner() {
        return owner;
    }

    /** The helper method's name. */
    public String name() {
        return name;
    }

    /** The helper method's JVM descriptor. */
    public String descriptor() {
        return descriptor;
    }

    @Override
    public String toString() {
        return owner.substring(owner.lastIndexOf('/') + 1) + "." + name + loads;
    }
}
