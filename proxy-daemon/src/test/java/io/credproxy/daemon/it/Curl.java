package io.credproxy.daemon.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs the curl binary (CI installs it) and collects status, headers, body and stderr. */
final class Curl {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    /**
     * @param exitCode curl's exit code (0 when a response arrived, whatever its status)
     * @param status the final response's status, 0 when none
     * @param headers every response header block curl saw (the CONNECT answer included)
     * @param body the final response body
     * @param stderr curl's messages
     */
    record Result(int exitCode, int status, String headers, String body, String stderr) {}

    private Curl() {}

    static Result run(Path dir, List<String> args) throws IOException, InterruptedException {
        return run(List.of(), dir, args);
    }

    /** Runs curl under {@code wrapper} (e.g. {@code nsenter --net=...}, to reach a daemon in another network namespace). */
    static Result run(List<String> wrapper, Path dir, List<String> args) throws IOException, InterruptedException {
        int n = COUNTER.incrementAndGet();
        Path body = dir.resolve("curl-" + n + ".body");
        Path headers = dir.resolve("curl-" + n + ".headers");
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of("curl", "-sS", "--max-time", "30", "-o", body.toString(),
                "-D", headers.toString(), "-w", "%{http_code}"));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("curl did not finish: " + command);
        }
        String code = new String(out, StandardCharsets.US_ASCII).trim();
        int status = code.matches("\\d{3}") ? Integer.parseInt(code.substring(code.length() - 3)) : 0;
        return new Result(process.exitValue(), status,
                Files.exists(headers) ? Files.readString(headers, StandardCharsets.ISO_8859_1) : "",
                Files.exists(body) ? Files.readString(body, StandardCharsets.ISO_8859_1) : "",
                new String(err, StandardCharsets.UTF_8));
    }
}
