package io.credproxy.daemon.packaging;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository's {@code packaging/} directory from a test's working directory. */
final class PackagingFiles {
    private PackagingFiles() {}

    /** The {@code packaging/} directory: the module's sibling when run by Maven. */
    static Path dir() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            Path candidate = p.resolve("packaging");
            if (Files.isRegularFile(candidate.resolve("install.sh")) || Files.isDirectory(candidate.resolve("systemd"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no packaging/ directory above " + here);
    }

    static Path file(String relative) {
        return dir().resolve(relative);
    }
}
