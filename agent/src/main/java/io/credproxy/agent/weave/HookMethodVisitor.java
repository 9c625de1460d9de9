package io.credproxy.agent.weave;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.TypePath;

/**
 * Inserts one {@link MethodHook}'s calls into one method, as the class reader replays it.
 *
 * <p>Needs the reader's {@code EXPAND_FRAMES}: every stack map frame arrives whole ({@code F_NEW}),
 * so the frames this adds (after a {@linkplain Call#returnIfTrue() early return}, at the
 * {@linkplain MethodHook#onThrown handler}) can be written without knowing the method's own, and the
 * hook's local can be added to each of the method's frames. That local takes the slot right after the
 * parameters; the method's own locals move up by one. Whether the hook fits at all is decided first,
 * by {@link HookFit}. Nothing here needs to load a class, so it is safe inside a class-file
 * transformer, whatever class is being loaded.
 */
final class HookMethodVisitor extends MethodVisitor {
    private final MethodHook hook;
    private final Set<MethodHook> applied;
    private final MethodShape shape;
    private final boolean withLocal;
    private final int extraStack;
    private final CallWriter calls;
    private String localType;
    private Label tryStart;
    private boolean parameterAssigned;

    HookMethodVisitor(MethodVisitor next, MethodShape shape, MethodHook hook, Set<MethodHook> applied) {
        super(Opcodes.ASM9, next);
        HookFit.check(hook, shape);
        this.hook = hook;
        this.applied = applied;
        this.shape = shape;
        this.withLocal = hook.usesLocal();
        this.extraStack = CallWriter.extraStack(hook);
        this.calls = new CallWriter(next, shape);
    }

    @Override
    public void visitCode() {
        super.visitCode();
        for (Call call : hook.atEntry) {
            calls.write(call);
            Type result = Type.getReturnType(call.descriptor);
            switch (call.outcome) {
                case STORE_ARGUMENT:
                    int index = shape.indexOf(call.argumentType);
                    Type argument = shape.arguments[index];
                    calls.castIfNeeded(result, argument);
                    super.visitVarInsn(argument.getOpcode(Opcodes.ISTORE), shape.slotOf(index));
                    break;
                case STORE_LOCAL:
                    localType = result.getInternalName();
                    super.visitVarInsn(Opcodes.ASTORE, shape.firstLocalSlot);
                    break;
                case RETURN_IF_TRUE:
                    returnIfTrue();
                    break;
                default:
                    calls.pop(result);
                    break;
            }
        }
        if (hook.onThrown != null) {
            tryStart = new Label();
            super.visitLabel(tryStart);
        }
    }

    private void returnIfTrue() {
        Label proceed = new Label();
        super.visitJumpInsn(Opcodes.IFEQ, proceed);
        if (shape.returnType.getSort() == Type.BOOLEAN) {
            super.visitInsn(Opcodes.ICONST_1);
            super.visitInsn(Opcodes.IRETURN);
        } else {
            super.visitInsn(Opcodes.RETURN);
        }
        super.visitLabel(proceed);
        super.visitFrame(Opcodes.F_NEW, shape.entryFrame.length, shape.entryFrame, 0, new Object[0]);
        // The method's own first instruction may carry a frame too; two at one offset are invalid.
        super.visitInsn(Opcodes.NOP);
    }

    @Override
    public void visitInsn(int opcode) {
        if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
            if (hook.replaceReturn != null) {
                calls.write(hook.replaceReturn);
                calls.castIfNeeded(Type.getReturnType(hook.replaceReturn.descriptor), shape.returnType);
            }
            for (Call call : hook.beforeReturn) {
                calls.write(call);
                calls.pop(Type.getReturnType(call.descriptor));
            }
        }
        super.visitInsn(opcode);
    }

    @Override
    public void visitVarInsn(int opcode, int slot) {
        if (slot < shape.firstLocalSlot && opcode >= Opcodes.ISTORE && opcode <= Opcodes.ASTORE) {
            parameterAssigned = true;
        }
        super.visitVarInsn(opcode, moved(slot));
    }

    @Override
    public void visitIincInsn(int slot, int increment) {
        if (slot < shape.firstLocalSlot) {
            parameterAssigned = true;
        }
        super.visitIincInsn(moved(slot), increment);
    }

    @Override
    public void visitLocalVariable(String name, String descriptor, String signature, Label start, Label end, int slot) {
        super.visitLocalVariable(name, descriptor, signature, start, end, moved(slot));
    }

    @Override
    public AnnotationVisitor visitLocalVariableAnnotation(int typeRef, TypePath typePath, Label[] start, Label[] end,
            int[] slots, String descriptor, boolean visible) {
        int[] movedSlots = new int[slots.length];
        for (int i = 0; i < slots.length; i++) {
            movedSlots[i] = moved(slots[i]);
        }
        return super.visitLocalVariableAnnotation(typeRef, typePath, start, end, movedSlots, descriptor, visible);
    }

    @Override
    public void visitFrame(int type, int localCount, Object[] locals, int stackCount, Object[] stack) {
        if (type != Opcodes.F_NEW) {
            throw refuse("frames must be expanded (ClassReader.EXPAND_FRAMES)");
        }
        if (withLocal) {
            Object[] withHookLocal = insertHookLocal(localCount, locals);
            super.visitFrame(type, withHookLocal.length, withHookLocal, stackCount, stack);
        } else {
            super.visitFrame(type, localCount, locals, stackCount, stack);
        }
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
        if (hook.onThrown != null) {
            // The handler frame holds only the parameters, which must hold their declared types throughout.
            if (parameterAssigned) {
                throw refuse("the method assigns a parameter, so no handler can span it");
            }
            Label handler = new Label();
            super.visitLabel(handler);
            // Registered last, so the method's own handlers come first in the exception table.
            super.visitTryCatchBlock(tryStart, handler, handler, hook.thrownType);
            super.visitFrame(Opcodes.F_NEW, shape.entryFrame.length, shape.entryFrame, 1, new Object[] {hook.thrownType});
            calls.write(hook.onThrown);
            super.visitInsn(Opcodes.RETURN);
        }
        super.visitMaxs(maxStack + extraStack, maxLocals + (withLocal ? 1 : 0));
        applied.add(hook);
    }

    /** The frame's locals with the hook's local in the slot after the parameters. */
    private Object[] insertHookLocal(int localCount, Object[] locals) {
        List<Object> out = new ArrayList<>(localCount + 2);
        int slot = 0;
        int i = 0;
        while (i < localCount && slot < shape.firstLocalSlot) {
            Object local = locals[i++];
            out.add(local);
            slot += local == Opcodes.LONG || local == Opcodes.DOUBLE ? 2 : 1;
        }
        if (slot > shape.firstLocalSlot) {
            throw refuse("a frame splits the parameters' slots");
        }
        for (; slot < shape.firstLocalSlot; slot++) {
            out.add(Opcodes.TOP);
        }
        out.add(localType);
        while (i < localCount) {
            out.add(locals[i++]);
        }
        return out.toArray();
    }

    private int moved(int slot) {
        return withLocal && slot >= shape.firstLocalSlot ? slot + 1 : slot;
    }

    private IllegalStateException refuse(String why) {
        return new IllegalStateException(hook + ": " + why);
    }
}
