package io.credproxy.agent.weave;

/**
 * One value an inserted {@link Call} pushes as an argument of its helper: {@code this}, a parameter
 * of the woven method (named by its type, found wherever it stands), the hook's own local, or a field
 * of {@code this}.
 */
public final class Load {
    enum Kind { SELF, ARGUMENT, ARGUMENT_OR_NULL, LOCAL, FIELD }

    final Kind kind;
    /** The parameter's JVM type (arguments) or the field's (fields). */
    final String type;
    final String field;

    private Load(Kind kind, String type, String field) {
        this.kind = kind;
        this.type = type;
        this.field = field;
    }

    /** {@code this} (not in static methods, not before a constructor's {@code super} call). */
    public static Load self() {
        return new Load(Kind.SELF, null, null);
    }

    /**
     * The woven method's parameter of the JVM type {@code typeDescriptor}, wherever it stands. The
     * hook's {@link MethodMatcher} must {@linkplain MethodMatcher#takes take} that type, so that every
     * matched method has exactly one.
     */
    public static Load argument(String typeDescriptor) {
        return new Load(Kind.ARGUMENT, typeDescriptor, null);
    }

    /**
     * The parameter of the JVM type {@code typeDescriptor} when the woven method has one, else
     * {@code null}: lets one hook serve overloads that differ by a trailing parameter.
     */
    public static Load argumentOrNull(String typeDescriptor) {
        return new Load(Kind.ARGUMENT_OR_NULL, typeDescriptor, null);
    }

    /** The hook's own local variable, set by an entry call with {@link Call#storeLocal()}. */
    public static Load local() {
        return new Load(Kind.LOCAL, null, null);
    }

    /** The field {@code name} of {@code this}, declared by the woven class with {@code descriptor}. */
    public static Load field(String name, String descriptor) {
        return new Load(Kind.FIELD, descriptor, name);
    }

    @Override
    public String toString() {
        switch (kind) {
            case ARGUMENT:
                return "arg " + type;
            case ARGUMENT_OR_NULL:
                return "arg " + type + " or null";
            case FIELD:
                return "this." + field;
            default:
                return kind.name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
