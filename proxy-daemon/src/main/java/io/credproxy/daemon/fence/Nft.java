package io.credproxy.daemon.fence;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs {@code nft -f -} with a script on standard input. */
public final class Nft {
    private Nft() {}

    /** What nft said and how it ended. */
    public record Result(int exitCode, String output) {}

    /** The nft binary: on PATH, or in the sbin directories a non-root PATH often lacks. */
    public static Optional<Path> find() {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        for (String dir : dirs) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "nft"))) {
                return Optional.of(Path.of(dir, "nft"));
            }
        }
        return Optional.empty();
    }

    /** Loads {@code script} in one transaction: all of it or, on any error, none of it. */
    public static Result load(Path nft, String script) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(nft.toString(), "-f", "-").redirectErrorStream(true).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(script.getBytes(StandardCharsets.UTF_8));
        }
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, "nft did not finish in 30 s");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8).strip());
    }
}
