package io.credproxy.daemon.redaction;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The spellings in which an upstream may echo a secret value back: the patterns redaction looks for.
 *
 * <p>Built from the value's UTF-8 bytes:
 * <ul>
 *   <li>raw;
 *   <li>percent-encoded as the common encoders do it: RFC 3986 (keeps {@code -._~}), HTML forms and
 *       Java's URLEncoder (keep {@code .-*_}), JavaScript's {@code encodeURIComponent} (keeps
 *       {@code -_.!~*'()}) and {@code encodeURI} (also keeps reserved characters), and every byte
 *       encoded; each with a space as {@code %20} and as {@code +}. Upper and lower (and mixed) hex
 *       digits are all matched because the matcher ignores ASCII case (see {@link ByteMatcher});
 *   <li>Base64 and base64url, padded or not, at each of the three alignments a value can have
 *       inside a longer encoded blob ({@code Basic base64(user:secret)}): for each alignment, the run
 *       of output characters whose six bits all come from the value. That run is what every
 *       encoding of a text containing the value shares; padding and the one or two characters that
 *       mix the value's first and last bits with its neighbours are left, so at most 4 bits at each
 *       end of the value stay visible. Line-wrapped (MIME) Base64 that breaks inside the value is
 *       not matched;
 *   <li>each of the above JSON-escaped as encoders choose: {@code \/} or {@code /}; non-ASCII raw
 *       or as {@code \}{@code uXXXX} (surrogate pairs above U+FFFF); {@code < > &} raw or as
 *       {@code \}{@code u003c} etc. (Go, HTML-safe encoders), and independently {@code '} raw or as
 *       {@code \}{@code u0027}; control characters short
 *       ({@code \n}) or long ({@code \}{@code u000a}); quote and backslash always escaped;
 *   <li>each of the above HTML-escaped ({@code &amp; &lt; &gt;}, the quote as {@code &quot;} or
 *       {@code &#34;}, the apostrophe raw, {@code &#39;}, {@code &#x27;} or {@code &apos;}): error
 *       pages are HTML and reflect what they were sent.
 * </ul>
 * Forms that equal another are kept once; for a token of letters, digits, {@code -} and {@code _}
 * almost all collapse into the raw form and the Base64 runs.
 */
public final class SecretForms {
    /** Values shorter than this are not redacted: they would match ordinary text (as {@code Redactor}). */
    public static final int MIN_VALUE_LENGTH = 4;

    private static final String RFC3986 = "-._~";
    private static final String FORM = ".-*_";
    private static final String URI_COMPONENT = "-_.!~*'()";
    private static final String URI = "-_.!~*'();/?:@&=+$,#";

    private SecretForms() {}

    /** Every form of {@code value}, each at least {@value #MIN_VALUE_LENGTH} bytes; empty for a shorter value. */
    public static Set<String> of(String value) {
        Set<String> out = new LinkedHashSet<>();
        if (value == null || value.length() < MIN_VALUE_LENGTH) {
            return out;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        Set<String> base = new LinkedHashSet<>();
        base.add(value);
        for (String keep : new String[] {RFC3986, FORM, URI_COMPONENT, URI, null}) {
            base.add(percent(utf8, keep, "%20"));
            base.add(percent(utf8, keep, "+"));
        }
        base.addAll(base64Runs(utf8));
        for (String form : base) {
            out.add(form);
            for (int options = 0; options < 32; options++) {
                out.add(json(form, options));
            }
            for (String quote : new String[] {"&quot;", "&#34;"}) {
                for (String apostrophe : new String[] {"'", "&#39;", "&#x27;", "&apos;"}) {
                    out.add(html(form, quote, apostrophe));
                }
            }
        }
        out.removeIf(f -> f.getBytes(StandardCharsets.UTF_8).length < MIN_VALUE_LENGTH);
        return out;
    }

    /** Percent-encodes every byte but ASCII letters, digits and {@code keep} ({@code null}: encode all). */
    static String percent(byte[] utf8, String keep, String space) {
        StringBuilder sb = new StringBuilder(utf8.length * 3);
        for (byte b : utf8) {
            int c = b & 0xff;
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (keep != null && (alnum || (c < 0x80 && keep.indexOf(c) >= 0))) {
                sb.append((char) c);
            } else if (c == ' ' && keep != null) {
                sb.append(space);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    /** The characters of the Base64 (and base64url) encoding made of the value's bits only, per alignment. */
    static Set<String> base64Runs(byte[] utf8) {
        Set<String> out = new LinkedHashSet<>();
        for (int align = 0; align < 3; align++) {
            byte[] shifted = new byte[align + utf8.length];
            System.arraycopy(utf8, 0, shifted, align, utf8.length);
            String encoded = Base64.getEncoder().withoutPadding().encodeToString(shifted);
            int firstBit = 8 * align;
            int endBit = firstBit + 8 * utf8.length;
            int from = (firstBit + 5) / 6;   // first character starting at or after the value's first bit
            int to = endBit / 6;             // characters ending at or before the value's last bit
            if (to > from) {
                String run = encoded.substring(from, to);
                out.add(run);
                out.add(run.replace('+', '-').replace('/', '_'));
            }
        }
        return out;
    }

    private static final int SLASH = 1;
    private static final int NON_ASCII = 2;
    private static final int HTML_SAFE = 4;       // < > & (Go's encoding/json, Jackson's HTML-safe escapes)
    private static final int APOSTROPHE = 8;      // ' (some HTML-safe encoders add it, Go does not)
    private static final int LONG_CONTROLS = 16;

    /** JSON string escaping of {@code s} with the optional escapes in {@code options}. */
    static String json(String s, int options) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String shortForm = switch (c) {
                case '"' -> "\\\"";
                case '\\' -> "\\\\";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                case '\b' -> "\\b";
                case '\f' -> "\\f";
                default -> null;
            };
            if (c == '"' || c == '\\' || (shortForm != null && (options & LONG_CONTROLS) == 0)) {
                sb.append(shortForm);
            } else if (c < 0x20 || (c >= 0x80 && (options & NON_ASCII) != 0)
                    || ("<>&".indexOf(c) >= 0 && (options & HTML_SAFE) != 0)
                    || (c == '\'' && (options & APOSTROPHE) != 0)) {
                sb.append(String.format("\\u%04x", (int) c)); // UTF-16 units: surrogate pairs come out as two escapes
            } else if (c == '/' && (options & SLASH) != 0) {
                sb.append("\\/");
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    static String html(String s, String quote, String apostrophe) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append(quote);
                case '\'' -> sb.append(apostrophe);
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
