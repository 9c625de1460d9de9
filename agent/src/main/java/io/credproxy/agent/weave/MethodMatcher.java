package io.credproxy.agent.weave;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Which methods of a type a hook goes into: by name, and by the types of the arguments the hook needs,
 * wherever they stand in the parameter list.
 *
 * <p>The way OpenTelemetry's matchers say {@code named("connect").and(takesArgument(i, type))}, but
 * without the index: JDK internals and libraries gain and lose parameters between releases (Java
 * 17.0.15's {@code HttpRequestImpl.retrieveProxy(ProxySelector, URI)} became
 * {@code retrieveProxy(HttpRequest, ProxySelector, URI)} in a later 17.0.x update), so a hook names
 * the argument it needs by type, {@link Load#argument(String)}, and each woven method resolves it to
 * its own position. Every type named with {@link #takes} must occur exactly once among a method's
 * parameters: a method with two of them is not matched, since no one could say which one the hook
 * meant. Bridge methods never match. A matcher may match several overloads; each one is woven.
 */
public final class MethodMatcher {
    private final String name;
    private final List<String> argumentTypes;
    private final String returnType;

    private MethodMatcher(String name, List<String> argumentTypes, String returnType) {
        this.name = name;
        this.argumentTypes = argumentTypes;
        this.returnType = returnType;
    }

    /** Methods called {@code name}, whatever they take and return (until narrowed). */
    public static MethodMatcher named(String name) {
        return new MethodMatcher(name, List.of(), null);
    }

    /** Constructors ({@code <init>}). */
    public static MethodMatcher constructor() {
        return named("<init>");
    }

    /** Narrowed to methods with exactly one parameter of this JVM type ({@code Ljava/net/ProxySelector;}, {@code I}). */
    public MethodMatcher takes(String typeDescriptor) {
        checkDescriptor(typeDescriptor);
        if (argumentTypes.contains(typeDescriptor)) {
            return this;
        }
        List<String> types = new ArrayList<>(argumentTypes);
        types.add(typeDescriptor);
        return new MethodMatcher(name, Collections.unmodifiableList(types), returnType);
    }

    /** Narrowed to methods returning this JVM type ({@code V} for void). */
    public MethodMatcher returns(String typeDescriptor) {
        checkDescriptor(typeDescriptor);
        return new MethodMatcher(name, argumentTypes, typeDescriptor);
    }

    /**
     * Refuses a malformed descriptor when the hook is built, not inside a transformer; without ASM,
     * which the agent's start does not load until a class must be woven.
     */
    private static void checkDescriptor(String descriptor) {
        int dimensions = 0;
        while (dimensions < descriptor.length() && descriptor.charAt(dimensions) == '[') {
            dimensions++;
        }
        String element = descriptor.substring(dimensions);
        boolean valid = element.length() == 1 && "ZCBSIJFD".indexOf(element.charAt(0)) >= 0
                || dimensions == 0 && element.equals("V")
                || element.length() > 2 && element.charAt(0) == 'L' && element.indexOf(';') == element.length() - 1;
        if (!valid) {
            throw new IllegalArgumentException("not a JVM type descriptor: " + descriptor);
        }
    }

    /** Whether matched methods surely have one parameter of {@code typeDescriptor}. */
    boolean guarantees(String typeDescriptor) {
        return argumentTypes.contains(typeDescriptor);
    }

    boolean matches(int access, String methodName, String methodDescriptor) {
        if ((access & Opcodes.ACC_BRIDGE) != 0 || !name.equals(methodName)) {
            return false;
        }
        if (returnType != null && !methodDescriptor.endsWith(")" + returnType)) {
            return false;
        }
        if (argumentTypes.isEmpty()) {
            return true;
        }
        Type[] parameters = Type.getArgumentTypes(methodDescriptor);
        for (String type : argumentTypes) {
            if (count(parameters, type) != 1) {
                return false;
            }
        }
        return true;
    }

    /** How many of {@code parameters} have the JVM type {@code typeDescriptor}. */
    static int count(Type[] parameters, String typeDescriptor) {
        int count = 0;
        for (Type parameter : parameters) {
            if (parameter.getDescriptor().equals(typeDescriptor)) {
                count++;
            }
        }
        return count;
    }

    /** {@code retrieveProxy(.. java.net.ProxySelector ..) -> java.net.Proxy}: what a log line can show. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(name).append('(');
        if (!argumentTypes.isEmpty()) {
            out.append("..");
            for (String type : argumentTypes) {
                out.append(' ').append(Type.getType(type).getClassName());
            }
            out.append(" ..");
        } else {
            out.append("..");
        }
        out.append(')');
        if (returnType != null) {
            out.append(" -> ").append(Type.getType(returnType).getClassName());
        }
        return out.toString();
    }
}
