package io.credproxy.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the app's token for the daemon ({@code token_file=} / {@code CREDPROXY_TOKEN_FILE}), once at
 * start: the daemon asks for it when the app's {@code token_file} is configured there, and the agent
 * sends it as {@code Proxy-Authorization: Basic base64(app:token)}.
 *
 * <p>Errors name the file, never its content: the token must not reach the application's output.
 */
final class TokenFile {
    private TokenFile() {}

    static String read(Path file) throws AgentConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | SecurityException e) {
            throw new AgentConfigException("token_file=" + file + ": cannot read it (" + e.getClass().getSimpleName() + ")");
        }
        String token = text.strip();
        if (token.isEmpty() || token.indexOf('\n') >= 0 || token.indexOf('\r') >= 0) {
            throw new AgentConfigException("token_file=" + file + ": expected the token on one line");
        }
        return token;
    }
}
