package io.credproxy.agent.weave;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * What a hook needs to know about the method it is woven into, from its access flags and descriptor
 * alone (never by loading a class): its parameters and their local slots, its return type, and the
 * stack map frame at its entry.
 */
final class MethodShape {
    final String owner;
    final boolean isStatic;
    final boolean isConstructor;
    final Type[] arguments;
    final Type returnType;
    /** The slot after the parameters: where the hook's own local goes. */
    final int firstLocalSlot;
    /** The locals at entry, as a stack map frame lists them: {@code this} (or uninitialized), then the parameters. */
    final Object[] entryFrame;
    private final int[] argumentSlots;

    MethodShape(String owner, int access, String name, String descriptor) {
        this.owner = owner;
        this.isStatic = (access & Opcodes.ACC_STATIC) != 0;
        this.isConstructor = name.equals("<init>");
        this.arguments = Type.getArgumentTypes(descriptor);
        this.returnType = Type.getReturnType(descriptor);
        this.argumentSlots = new int[arguments.length];
        int slot = isStatic ? 0 : 1;
        List<Object> frame = new ArrayList<>();
        if (!isStatic) {
            frame.add(isConstructor ? Opcodes.UNINITIALIZED_THIS : owner);
        }
        for (int i = 0; i < arguments.length; i++) {
            argumentSlots[i] = slot;
            slot += arguments[i].getSize();
            frame.add(frameType(arguments[i]));
        }
        this.firstLocalSlot = slot;
        this.entryFrame = frame.toArray();
    }

    /** The index of the one parameter of JVM type {@code typeDescriptor}; -1 when there is none or more than one. */
    int indexOf(String typeDescriptor) {
        int found = -1;
        for (int i = 0; i < arguments.length; i++) {
            if (arguments[i].getDescriptor().equals(typeDescriptor)) {
                if (found >= 0) {
                    return -1;
                }
                found = i;
            }
        }
        return found;
    }

    /** Whether more than one parameter has the JVM type {@code typeDescriptor}. */
    boolean isAmbiguous(String typeDescriptor) {
        return MethodMatcher.count(arguments, typeDescriptor) > 1;
    }

    /** The local slot of parameter {@code index}. */
    int slotOf(int index) {
        return argumentSlots[index];
    }

    /** How a value of {@code type} appears in a stack map frame. */
    static Object frameType(Type type) {
        switch (type.getSort()) {
            case Type.BOOLEAN:
            case Type.CHAR:
            case Type.BYTE:
            case Type.SHORT:
            case Type.INT:
                return Opcodes.INTEGER;
            case Type.FLOAT:
                return Opcodes.FLOAT;
            case Type.LONG:
                return Opcodes.LONG;
            case Type.DOUBLE:
                return Opcodes.DOUBLE;
            default:
                return type.getInternalName();
        }
    }

    static boolean isReference(Type type) {
        return type.getSort() == Type.OBJECT || type.getSort() == Type.ARRAY;
    }

    /** Whether a value of type {@code from} can stand where {@code to} is expected, given a cast for references. */
    static boolean assignable(Type from, Type to) {
        return isReference(from) && isReference(to) || from.equals(to);
    }
}
