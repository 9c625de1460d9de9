package io.credproxy.agent.weave;

import java.util.List;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Writes the bytecode of one inserted {@link Call}: its loads, resolved against the woven method's
 * {@link MethodShape}, and the static call; plus the cast or pop that follows it.
 *
 * <p>Writes straight to the next visitor, below {@link HookMethodVisitor}, so that its loads of
 * parameters and of the hook's local are not moved again as the method's own locals are.
 */
final class CallWriter {
    private final MethodVisitor out;
    private final MethodShape shape;

    CallWriter(MethodVisitor out, MethodShape shape) {
        this.out = out;
        this.shape = shape;
    }

    /** The call's loads, then the call; its result is left on the stack. */
    void write(Call call) {
        load(call.loads);
        out.visitMethodInsn(Opcodes.INVOKESTATIC, call.owner, call.name, call.descriptor, false);
    }

    private void load(List<Load> loads) {
        for (Load load : loads) {
            switch (load.kind) {
                case SELF:
                    out.visitVarInsn(Opcodes.ALOAD, 0);
                    break;
                case ARGUMENT:
                case ARGUMENT_OR_NULL:
                    int index = shape.indexOf(load.type);
                    if (index < 0) {
                        out.visitInsn(Opcodes.ACONST_NULL); // HookFit lets only an absent optional argument through
                    } else {
                        out.visitVarInsn(shape.arguments[index].getOpcode(Opcodes.ILOAD), shape.slotOf(index));
                    }
                    break;
                case LOCAL:
                    out.visitVarInsn(Opcodes.ALOAD, shape.firstLocalSlot);
                    break;
                case FIELD:
                    out.visitVarInsn(Opcodes.ALOAD, 0);
                    out.visitFieldInsn(Opcodes.GETFIELD, shape.owner, load.field, load.type);
                    break;
                default:
                    throw new AssertionError(load.kind);
            }
        }
    }

    /** A cast of a helper's result to the reference type it replaces, when they differ. */
    void castIfNeeded(Type from, Type to) {
        if (MethodShape.isReference(to) && !from.equals(to)) {
            out.visitTypeInsn(Opcodes.CHECKCAST, to.getInternalName());
        }
    }

    /** Drops a helper's result. */
    void pop(Type result) {
        if (result.getSize() == 2) {
            out.visitInsn(Opcodes.POP2);
        } else if (result.getSize() == 1) {
            out.visitInsn(Opcodes.POP);
        }
    }

    /** Stack room the inserted calls need on top of the method's own: the largest call, plus a return value. */
    static int extraStack(MethodHook hook) {
        int most = 0;
        for (Call call : hook.calls()) {
            int sizes = Type.getArgumentsAndReturnSizes(call.descriptor);
            most = Math.max(most, (sizes >> 2) - 1 + (sizes & 3));
        }
        return most + 2;
    }
}
