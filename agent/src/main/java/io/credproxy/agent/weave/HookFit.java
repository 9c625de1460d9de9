package io.credproxy.agent.weave;

import org.objectweb.asm.Type;

/**
 * Decides, before anything is written, whether a {@link MethodHook} fits the method it matched; a hook
 * that does not is refused with the reason, and its class is left as it was.
 *
 * <p>The rules are those of the bytecode the weaver can write without computing frames: an early
 * return only from a void or boolean method, a handler only around a method that never assigns its
 * parameters, {@code this} only once it is initialised, and values that fit where they are stored.
 */
final class HookFit {
    private final MethodHook hook;
    private final MethodShape shape;

    private HookFit(MethodHook hook, MethodShape shape) {
        this.hook = hook;
        this.shape = shape;
    }

    /** @throws IllegalStateException naming the hook and why it cannot go into this method */
    static void check(MethodHook hook, MethodShape shape) {
        new HookFit(hook, shape).check();
    }

    private void check() {
        boolean withLocal = hook.usesLocal();
        for (Call call : hook.atEntry) {
            checkLoads(call, true, withLocal);
            Type result = Type.getReturnType(call.descriptor);
            switch (call.outcome) {
                case STORE_ARGUMENT:
                    int index = shape.indexOf(call.argumentType);
                    if (index < 0 || !MethodShape.assignable(result, shape.arguments[index])) {
                        throw refuse(call + " cannot store its " + result + " into the argument of type " + call.argumentType);
                    }
                    break;
                case STORE_LOCAL:
                    if (!MethodShape.isReference(result)) {
                        throw refuse(call + " must return an object to be stored in the hook's local");
                    }
                    break;
                case RETURN_IF_TRUE:
                    int returned = shape.returnType.getSort();
                    if (shape.isConstructor || withLocal || result.getSort() != Type.BOOLEAN
                            || returned != Type.VOID && returned != Type.BOOLEAN) {
                        throw refuse(call + ": an early return needs a boolean helper in a void or boolean method");
                    }
                    break;
                default:
                    break;
            }
        }
        for (Call call : hook.beforeReturn) {
            checkLoads(call, false, withLocal);
        }
        if (hook.replaceReturn != null) {
            checkLoads(hook.replaceReturn, false, withLocal);
            Type[] helperArguments = Type.getArgumentTypes(hook.replaceReturn.descriptor);
            Type result = Type.getReturnType(hook.replaceReturn.descriptor);
            if (shape.returnType.getSort() == Type.VOID || helperArguments.length == 0
                    || !MethodShape.assignable(shape.returnType, helperArguments[0])
                    || !MethodShape.assignable(result, shape.returnType)) {
                throw refuse(hook.replaceReturn + " cannot replace a " + shape.returnType + " return value");
            }
        }
        if (hook.onThrown != null) {
            checkLoads(hook.onThrown, false, withLocal);
            if (shape.isConstructor || withLocal || shape.returnType.getSort() != Type.VOID
                    || Type.getReturnType(hook.onThrown.descriptor).getSort() != Type.VOID) {
                throw refuse(hook.onThrown + ": catching needs a void method and a void helper");
            }
        }
    }

    private void checkLoads(Call call, boolean atEntry, boolean withLocal) {
        for (Load load : call.loads) {
            switch (load.kind) {
                case SELF:
                case FIELD:
                    if (shape.isStatic || atEntry && shape.isConstructor) {
                        throw refuse(call + " cannot load this in a static method or before super()");
                    }
                    break;
                case ARGUMENT:
                    if (shape.indexOf(load.type) < 0) {
                        throw refuse(call + ": no single argument of type " + load.type);
                    }
                    break;
                case ARGUMENT_OR_NULL:
                    if (shape.isAmbiguous(load.type) || !MethodShape.isReference(Type.getType(load.type))) {
                        throw refuse(call + ": the argument of type " + load.type + " is not one reference or none");
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
}
