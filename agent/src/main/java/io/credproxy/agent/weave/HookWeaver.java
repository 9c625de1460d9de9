package io.credproxy.agent.weave;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Weaves hooks into one class file with ASM.
 *
 * <p>The writer starts from the reader, so the constant pool and every method without a hook are
 * copied as they are, byte for byte; only the hooked methods are rewritten. The writer computes
 * nothing (no frames, no maximums, which would need to load classes): the method visitor adds the
 * few frames and the stack its own calls need. A hook whose matcher fits several methods (overloads)
 * goes into each; two hooks for one method are refused.
 */
public final class HookWeaver extends ClassVisitor {
    private final List<MethodHook> hooks;
    private final Set<MethodHook> applied = new HashSet<>();
    private String owner;

    private HookWeaver(ClassVisitor next, List<MethodHook> hooks) {
        super(Opcodes.ASM9, next);
        this.hooks = hooks;
    }

    /** The result of weaving one class: its new bytes, and which hooks found at least one method. */
    public static final class Result {
        public final byte[] classFile;
        public final Set<MethodHook> applied;

        Result(byte[] classFile, Set<MethodHook> applied) {
            this.classFile = classFile;
            this.applied = applied;
        }
    }

    /**
     * Weaves {@code hooks} into {@code classFile}.
     *
     * @throws IllegalStateException when a hook does not fit the method it matched
     * @throws RuntimeException when ASM cannot read the class (a class file newer than it knows)
     */
    public static Result weave(byte[] classFile, List<MethodHook> hooks) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, 0);
        HookWeaver weaver = new HookWeaver(writer, hooks);
        reader.accept(weaver, ClassReader.EXPAND_FRAMES);
        return new Result(writer.toByteArray(), weaver.applied);
    }

    @Override
    public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
        owner = name;
        super.visit(version, access, name, signature, superName, interfaces);
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
        MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
        MethodHook match = null;
        for (MethodHook hook : hooks) {
            if (hook.method.matches(access, name, descriptor)) {
                if (match != null) {
                    throw new IllegalStateException("two hooks for " + owner + "." + name + descriptor + ": " + match + ", " + hook);
                }
                match = hook;
            }
        }
        return match == null ? next : new HookMethodVisitor(next, new MethodShape(owner, access, name, descriptor), match, applied);
    }
}
