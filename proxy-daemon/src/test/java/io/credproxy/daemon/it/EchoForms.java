package io.credproxy.daemon.it;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The forms in which an upstream echoes a credential, computed here independently of the daemon's
 * {@code SecretForms}: what the echoing upstream sends and what a leak search looks for.
 */
final class EchoForms {
    private EchoForms() {}

    /** Form name to the value in that form (names are header-name safe). */
    static Map<String, String> of(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        Map<String, String> forms = new LinkedHashMap<>();
        forms.put("raw", value);
        forms.put("percent-upper", percentEveryByte(bytes, true));
        forms.put("percent-lower", percentEveryByte(bytes, false));
        forms.put("form-urlencoded", URLEncoder.encode(value, StandardCharsets.UTF_8));
        forms.put("uri-component", URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
        String b64 = Base64.getEncoder().encodeToString(bytes);
        forms.put("base64", b64);
        forms.put("base64-unpadded", b64.replace("=", ""));
        String url = Base64.getUrlEncoder().encodeToString(bytes);
        forms.put("base64url", url);
        forms.put("base64url-unpadded", url.replace("=", ""));
        String json = json(value);
        forms.put("json", json);
        forms.put("json-slashes", json.replace("/", "\\/"));
        forms.put("json-html-safe", json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("'", "\\u0027"));
        return forms;
    }

    private static String percentEveryByte(byte[] bytes, boolean upper) {
        StringBuilder out = new StringBuilder(bytes.length * 3);
        for (byte b : bytes) {
            String hex = String.format(upper ? "%02X" : "%02x", b & 0xff);
            out.append('%').append(hex);
        }
        return out.toString();
    }

    private static String json(String value) {
        try {
            String quoted = new ObjectMapper().writeValueAsString(value);
            return quoted.substring(1, quoted.length() - 1);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
