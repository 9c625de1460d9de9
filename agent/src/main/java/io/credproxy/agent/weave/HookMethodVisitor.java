package io.credproxy.agent.weave;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
 * parameters; the method's own locals move up by one. Nothing here needs to load a class, so it is safe
 * inside a class-file transformer, whatever class is being loaded.
 */
final class HookMethodVisitor extends MethodVisitor {
    private final MethodHook hook;
    private final Set<MethodHook> applied;
    private final String owner;
    private final boolean isStatic;
    private final boolean isConstructor;
    private final Type[] arguments;
    private final int[] argumentSlots;
    private final Type returnType;
    private final int firstLocalSlot;
    private final Object[] entryFrame;
    private final boolean withLocal;
    private final int extraStack;
    private String localType;
    private Label tryStart;
    private boolean parameterAssigned;

    HookMethodVisitor(MethodVisitor next, String owner, int access, String name, String descriptor, MethodHook hook,
            Set<MethodHook> applied) {
        super(Opcodes.ASM9, next);
        this.hook = hook;
        this.applied = applied;
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
        this.withLocal = hook.usesLocal();
        this.extraStack = extraStack(hook);
        check();
    }

    /** Refuses hooks this method cannot take, before anything is written. */
    private void check() {
        for (Call call : hook.atEntry) {
            checkLoads(call, true);
            Type result = Type.getReturnType(call.descriptor);
            switch (call.outcome) {
                case STORE_ARGUMENT:
                    if (call.argument >= arguments.length || !assignable(result, arguments[call.argument])) {
                        throw refuse(call + " cannot store its " + result + " into argument " + call.argument);
                    }
                    break;
                case STORE_LOCAL:
                    if (result.getSort() != Type.OBJECT && result.getSort() != Type.ARRAY) {
                        throw refuse(call + " must return an object to be stored in the hook's local");
                    }
                    break;
                case RETURN_IF_TRUE:
                    if (isConstructor || withLocal || result.getSort() != Type.BOOLEAN
                            || returnType.getSort() != Type.VOID && returnType.getSort() != Type.BOOLEAN) {
                        throw refuse(call + ": an early return needs a boolean helper in a void or boolean method");
                    }
                    break;
                default:
                    break;
            }
        }
        for (Call call : hook.beforeReturn) {
            checkLoads(call, false);
        }
        if (hook.replaceReturn != null) {
            checkLoads(hook.replaceReturn, false);
            Type[] helperArguments = Type.getArgumentTypes(hook.replaceReturn.descriptor);
            Type result = Type.getReturnType(hook.replaceReturn.descriptor);
            if (returnType.getSort() == Type.VOID || helperArguments.length == 0
                    || !assignable(returnType, helperArguments[0]) || !assignable(result, returnType)) {
                throw refuse(hook.replaceReturn + " cannot replace a " + returnType + " return value");
            }
        }
        if (hook.onThrown != null) {
            checkLoads(hook.onThrown, false);
            if (isConstructor || withLocal || returnType.getSort() != Type.VOID
                    || Type.getReturnType(hook.onThrown.descriptor).getSort() != Type.VOID) {
                throw refuse(hook.onThrown + ": catching needs a void method and a void helper");
            }
        }
    }

    private void checkLoads(Call call, boolean atEntry) {
        for (Load load : call.loads) {
            switch (load.kind) {
                case SELF:
                case FIELD:
                    if (isStatic || atEntry && isConstructor) {
                        throw refuse(call + " cannot load this in a static method or before super()");
                    }
                    break;
                case ARGUMENT:
                    if (load.argument >= arguments.length) {
                        throw refuse(call + ": no argument " + load.argument);
                    }
                    break;
                case LOCAL:
                    if (!withLocal) {
                        throw refuse(call + " loads the hook's local, which no entry call stores");
                    }
                    break;
                default:
                    break;
            }
        }
    }

    private IllegalStateException refuse(String why) {
        return new IllegalStateException(hook + ": " + why);
    }

    @Override
    public void visitCode() {
        super.visitCode();
        for (Call call : hook.atEntry) {
            load(call.loads);
            invoke(call);
            Type result = Type.getReturnType(call.descriptor);
            switch (call.outcome) {
                case STORE_ARGUMENT:
                    Type argument = arguments[call.argument];
                    castIfNeeded(result, argument);
                    super.visitVarInsn(argument.getOpcode(Opcodes.ISTORE), argumentSlots[call.argument]);
                    break;
                case STORE_LOCAL:
                    localType = result.getInternalName();
                    super.visitVarInsn(Opcodes.ASTORE, firstLocalSlot);
                    break;
                case RETURN_IF_TRUE:
                    Label proceed = new Label();
                    super.visitJumpInsn(Opcodes.IFEQ, proceed);
                    if (returnType.getSort() == Type.BOOLEAN) {
                        super.visitInsn(Opcodes.ICONST_1);
                        super.visitInsn(Opcodes.IRETURN);
                    } else {
                        super.visitInsn(Opcodes.RETURN);
                    }
                    super.visitLabel(proceed);
                    super.visitFrame(Opcodes.F_NEW, entryFrame.length, entryFrame, 0, new Object[0]);
                    // The method's own first instruction may carry a frame too; two at one offset are invalid.
                    super.visitInsn(Opcodes.NOP);
                    break;
                default:
                    pop(result);
                    break;
            }
        }
        if (hook.onThrown != null) {
            tryStart = new Label();
            super.visitLabel(tryStart);
        }
    }

    @Override
    public void visitInsn(int opcode) {
        if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
            if (hook.replaceReturn != null) {
                load(hook.replaceReturn.loads);
                invoke(hook.replaceReturn);
                castIfNeeded(Type.getReturnType(hook.replaceReturn.descriptor), returnType);
            }
            for (Call call : hook.beforeReturn) {
                load(call.loads);
                invoke(call);
                pop(Type.getReturnType(call.descriptor));
            }
        }
        super.visitInsn(opcode);
    }

    @Override
    public void visitVarInsn(int opcode, int slot) {
        if (slot < firstLocalSlot && opcode >= Opcodes.ISTORE && opcode <= Opcodes.ASTORE) {
            parameterAssigned = true;
        }
        super.visitVarInsn(opcode, moved(slot));
    }

    @Override
    public void visitIincInsn(int slot, int increment) {
        if (slot < firstLocalSlot) {
            parameterAssigned = true;
        }
        super.visitIincInsn(moved(slot), increment);
    }

    @Override
    public void visitLocalVariable(String name, String descriptor, String signature, Label start, Label end, int slot) {
        super.visitLocalVariable(name, descriptor, signature, start, end, moved(slot));
    }

    @Override
    public org.objectweb.asm.AnnotationVisitor visitLocalVariableAnnotation(int typeRef, TypePath typePath, Label[] start,
            Label[] end, int[] slots, String descriptor, boolean visible) {
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
            super.visitFrame(Opcodes.F_NEW, entryFrame.length, entryFrame, 1, new Object[] {hook.thrownType});
            load(hook.onThrown.loads);
            invoke(hook.onThrown);
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
        while (i < localCount && slot < firstLocalSlot) {
            Object local = locals[i++];
            out.add(local);
            slot += local == Opcodes.LONG || local == Opcodes.DOUBLE ? 2 : 1;
        }
        if (slot > firstLocalSlot) {
            throw refuse("a frame splits the parameters' slots");
        }
        for (; slot < firstLocalSlot; slot++) {
            out.add(Opcodes.TOP);
        }
        out.add(localType);
        while (i < localCount) {
            out.add(locals[i++]);
        }
        return out.toArray();
    }

    private int moved(int slot) {
        return withLocal && slot >= firstLocalSlot ? slot + 1 : slot;
    }

    private void load(List<Load> loads) {
        for (Load load : loads) {
            switch (load.kind) {
                case SELF:
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                    break;
                case ARGUMENT:
                    super.visitVarInsn(arguments[load.argument].getOpcode(Opcodes.ILOAD), argumentSlots[load.argument]);
                    break;
                case LOCAL:
                    super.visitVarInsn(Opcodes.ALOAD, firstLocalSlot);
                    break;
                case FIELD:
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                    super.visitFieldInsn(Opcodes.GETFIELD, owner, load.field, load.fieldDescriptor);
                    break;
                default:
                    throw new AssertionError(load.kind);
            }
        }
    }

    private void invoke(Call call) {
        super.visitMethodInsn(Opcodes.INVOKESTATIC, call.owner, call.name, call.descriptor, false);
    }

    private void castIfNeeded(Type from, Type to) {
        if ((to.getSort() == Type.OBJECT || to.getSort() == Type.ARRAY) && !from.equals(to)) {
            super.visitTypeInsn(Opcodes.CHECKCAST, to.getInternalName());
        }
    }

    private void pop(Type result) {
        if (result.getSize() == 2) {
            super.visitInsn(Opcodes.POP2);
        } else if (result.getSize() == 1) {
            super.visitInsn(Opcodes.POP);
        }
    }

    /** Whether a value of type {@code from} can stand where {@code to} is expected, given a cast for references. */
    private static boolean assignable(Type from, Type to) {
        boolean fromReference = from.getSort() == Type.OBJECT || from.getSort() == Type.ARRAY;
        boolean toReference = to.getSort() == Type.OBJECT || to.getSort() == Type.ARRAY;
        return fromReference && toReference || from.equals(to);
    }

    private static Object frameType(Type type) {
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

    /** Stack room the inserted calls need on top of the method's own: the largest call, plus a return value. */
    private static int extraStack(MethodHook hook) {
        int most = 0;
        for (Call call : hook.calls()) {
            int sizes = Type.getArgumentsAndReturnSizes(call.descriptor);
            most = Math.max(most, (sizes >> 2) - 1 + (sizes & 3));
        }
        return most + 2;
    }
}
