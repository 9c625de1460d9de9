package io.credproxy.agent.weave;

import org.objectweb.asm.Opcodes;

/**
 * Which method of a type a hook goes into: by name and exact descriptor where it is stable, by name
 * and return type where the parameters vary between library versions.
 *
 * <p>Strict on purpose: a library whose method changed shape is not woven (and the agent says so)
 * rather than woven wrongly. Bridge methods never match.
 */
public final class MethodMatcher {
    private final String name;
    private final String descriptor;
    private final String returnDescriptor;

    private MethodMatcher(String name, String descriptor, String returnDescriptor) {
        this.name = name;
        this.descriptor = descriptor;
        this.returnDescriptor = returnDescriptor;
    }

    /** The method {@code name} (or {@code <init>}) with exactly this JVM descriptor. */
    public static MethodMatcher exactly(String name, String descriptor) {
        return new MethodMatcher(name, descriptor, null);
    }

    /** Any method {@code name} returning the type with this JVM descriptor, whatever its parameters. */
    public static MethodMatcher returning(String name, String returnDescriptor) {
        return new MethodMatcher(name, null, returnDescriptor);
    }

    boolean matches(int access, String methodName, String methodDescriptor) {
        if ((access & Opcodes.ACC_BRIDGE) != 0 || !name.equals(methodName)) {
            return false;
        }
        if (descriptor != null) {
            return descriptor.equals(methodDescriptor);
        }
        return methodDescriptor.endsWith(")" + returnDescriptor);
    }

    @Override
    public String toString() {
        return name + (descriptor != null ? descriptor : "(..)" + returnDescriptor);
    }
}
