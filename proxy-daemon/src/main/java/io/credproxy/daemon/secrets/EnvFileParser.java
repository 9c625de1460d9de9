package io.credproxy.daemon.secrets;

import io.credproxy.daemon.config.ConfigException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses the secrets env file: {@code KEY=VALUE} lines, {@code #} comments, optional
 * {@code export } prefix, optional single or double quotes around the value.
 *
 * <p>Errors name the source and line number but never quote the line: it may hold a value.
 */
public final class EnvFileParser {
    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private EnvFileParser() {}

    public static Map<String, String> parse(String source, String content) throws ConfigException {
        Map<String, String> values = new LinkedHashMap<>();
        String[] lines = content.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(source + " line " + lineNo + ": expected KEY=VALUE");
            }
            String key = line.substring(0, eq).strip();
            if (!KEY.matcher(key).matches()) {
                throw new ConfigException(source + " line " + lineNo + ": invalid key (letters, digits and '_' only)");
            }
            String value = unquote(line.substring(eq + 1).strip(), source, lineNo, key);
            if (values.putIfAbsent(key, value) != null) {
                throw new ConfigException(source + " line " + lineNo + ": " + key + " is defined twice");
            }
        }
        return values;
    }

    private static String unquote(String raw, String source, int lineNo, String key) throws ConfigException {
        if (raw.length() >= 1 && (raw.charAt(0) == '"' || raw.charAt(0) == '\'')) {
            char quote = raw.charAt(0);
            if (raw.length() < 2 || raw.charAt(raw.length() - 1) != quote) {
                throw new ConfigException(source + " line " + lineNo + ": unclosed quote in the value of " + key);
            }
            return raw.substring(1, raw.length() - 1);
        }
        return raw;
    }
}
