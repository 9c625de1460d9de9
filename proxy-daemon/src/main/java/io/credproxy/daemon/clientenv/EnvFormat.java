package io.credproxy.daemon.clientenv;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.Locale;
import java.util.Map;

/**
 * How {@code credproxy env} prints the variables: shell {@code export} lines, a systemd
 * {@code EnvironmentFile=}, or a JSON object.
 *
 * <p>Values are quoted so that nothing in them is ever run or expanded: single quotes for the
 * shell (the only quoting in which no character is special), double quotes with {@code "},
 * {@code \}, {@code `} and {@code $} escaped for systemd (its {@code EnvironmentFile=} parser
 * takes exactly those four escapes, and a POSIX shell reads the line the same way, so
 * {@code set -a; . FILE} works too). Control characters cannot be quoted in an environment file
 * at all; {@link ClientEnvironment} refuses them before they get here.
 */
public enum EnvFormat {
    SH,
    SYSTEMD,
    JSON;

    /**
     * Reads {@code sh}, {@code systemd} or {@code json}, any case.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static EnvFormat parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "sh" -> SH;
            case "systemd" -> SYSTEMD;
            case "json" -> JSON;
            default -> throw new IllegalArgumentException("format must be sh, systemd or json, not '" + text + "'");
        };
    }

    /** The whole output for {@code variables}, in their order. */
    public String render(Map<String, String> variables, String comment) {
        if (this == JSON) {
            try {
                return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(variables) + "\n";
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("strings always serialize", e);
            }
        }
        StringBuilder out = new StringBuilder();
        comment.lines().forEach(line -> out.append("# ").append(line).append('\n'));
        variables.forEach((name, value) -> out.append(this == SH ? "export " + name + "=" + shellQuote(value)
                : name + "=" + systemdQuote(value)).append('\n'));
        return out.toString();
    }

    /** {@code 'value'}, each {@code '} written as {@code '\''}. */
    static String shellQuote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /** {@code "value"} with {@code \ " ` $} escaped by a backslash. */
    static String systemdQuote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == '"' || c == '`' || c == '$') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append('"').toString();
    }
}
