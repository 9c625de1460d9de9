package io.credproxy.daemon.clientenv;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * Writes the daemon's CA ({@value #CA}) and the CA bundle ({@value #BUNDLE}) into a directory,
 * readable by every user: the sandboxed user is usually not the one who runs {@code credproxy env}.
 *
 * <p>Each file is written beside its target and renamed over it, so a client never reads half a
 * file, and a symbolic link planted at the target's name is replaced rather than followed. A file
 * that already holds the same bytes is left alone. A directory it creates gets mode 0755; one that
 * exists keeps its owner and mode.
 */
public final class CaFiles {
    public static final String CA = "ca.pem";
    public static final String BUNDLE = "ca-bundle.pem";
    private static final Set<PosixFilePermission> WORLD_READABLE = PosixFilePermissions.fromString("rw-r--r--");

    private final Path dir;

    public CaFiles(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    public Path caFile() {
        return dir.resolve(CA);
    }

    public Path bundleFile() {
        return dir.resolve(BUNDLE);
    }

    /** Writes the CA alone (unless {@code writeCa} is false: an installed CA file is named instead) and the bundle. */
    public void write(CaCertificate ca, String systemRoots, boolean writeCa) throws IOException {
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectories(dir);
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (FileAlreadyExistsException e) {
                throw new IOException(dir + " exists and is not a directory");
            }
        }
        if (writeCa) {
            replace(caFile(), ca.pem());
        }
        String roots = systemRoots.endsWith("\n") || systemRoots.isEmpty() ? systemRoots : systemRoots + "\n";
        replace(bundleFile(), roots + "# credproxy: the daemon's interception CA, "
                + ca.certificate().getSubjectX500Principal().getName() + "\n" + ca.pem());
    }

    private void replace(Path target, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.US_ASCII);
        if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) && Arrays.equals(Files.readAllBytes(target), bytes)
                && Files.getPosixFilePermissions(target).containsAll(WORLD_READABLE)) {
            return;
        }
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.setPosixFilePermissions(tmp, WORLD_READABLE);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * The first directory on the way to these files that other users cannot pass through (no
     * {@code o+x}), if any: the sandboxed user could then not read them (root's {@code ~/.cache}).
     */
    public Optional<Path> closedToOthers() throws IOException {
        for (Path p = dir; p != null; p = p.getParent()) {
            if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
