package io.credproxy.agent.weave;

/**
 * One value an inserted {@link Call} pushes as an argument of its helper: {@code this}, a parameter
 * of the woven method, the hook's own local, or a field of {@code this}.
 */
public final class Load {
    enum Kind { SELF, ARGUMENT, LOCAL, FIELD }

    final Kind kind;
    final int argument;
    final String field;
    final String fieldDescriptor;

    private Load(Kind kind, int argument, String field, String fieldDescriptor) {
        this.kind = kind;
        this.argument = argument;
        this.field = field;
        this.fieldDescriptor = fieldDescriptor;
    }

    /** {@code this} (not in static methods, not before a constructor's {@code super} call). */
    public static Load self() {
        return new Load(Kind.SELF, -1, null, null);
    }

    /** The woven method's parameter {@code index} (0 is the first declared parameter). */
    public static Load argument(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("argument index " + index);
        }
        return new Load(Kind.ARGUMENT, index, null, null);
    }

    /** The hook's own local variable, set by an entry call with {@link Call#storeLocal()}. */
    public static Load local() {
        return new Load(Kind.LOCAL, -1, null, null);
    }

    /** The field {@code name} of {@code this}, declared by the woven class with {@code descriptor}. */
    public static Load field(String name, String descriptor) {
        return new Load(Kind.FIELD, -1, name, descriptor);
    }

    @Override
    public String toString() {
        switch (kind) {
            case ARGUMENT:
                return "arg" + argument;
            case FIELD:
                return "this." + field;
            default:
                return kind.name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
