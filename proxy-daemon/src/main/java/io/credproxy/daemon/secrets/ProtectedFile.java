package io.credproxy.daemon.secrets;

import com.sun.security.auth.module.UnixSystem;
import io.credproxy.daemon.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * Refuses a file holding a secret (the secrets file, an app's token file) that is missing, not
 * regular, open to more users than it should be, or owned by another user than this process's or
 * root: any other owner can change its mode or contents at will, so the mode bits would prove nothing.
 */
public final class ProtectedFile {
    private ProtectedFile() {}

    /**
     * @param what how messages name the file ({@code secrets file}, {@code token file of app tito})
     * @param groupMayRead whether its group may read it (mode 0640: a token file an app's group reads)
     * @throws ConfigException naming the file and the problem
     */
    public static void check(Path file, String what, boolean groupMayRead) throws ConfigException {
        check(file, what, groupMayRead, new UnixSystem().getUid(), System.getProperty("user.name"));
    }

    static void check(Path file, String what, boolean groupMayRead, long currentUid, String currentUser) throws ConfigException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new ConfigException(what + " " + file + " does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(what + " " + file + " is not a regular file");
        }
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException | IOException e) {
            throw new ConfigException(what + " " + file + ": cannot read its permissions (" + e.getClass().getSimpleName() + ")");
        }
        Set<PosixFilePermission> forbidden = EnumSet.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
        if (!groupMayRead) {
            forbidden.add(PosixFilePermission.GROUP_READ);
        }
        for (PosixFilePermission p : permissions) {
            if (forbidden.contains(p)) {
                throw new ConfigException(what + " " + file + " is open to " + (groupMayRead ? "others or writable by its group"
                        : "group or others") + " (mode " + modeString(permissions) + "); run: chmod 600 " + file);
            }
        }
        long ownerUid;
        String ownerName;
        try {
            ownerUid = ((Number) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
            ownerName = Files.getOwner(file, LinkOption.NOFOLLOW_LINKS).getName();
        } catch (UnsupportedOperationException | IOException e) {
            throw new ConfigException(what + " " + file + ": cannot read its owner (" + e.getClass().getSimpleName() + ")");
        }
        if (ownerUid != currentUid && ownerUid != 0) {
            throw new ConfigException(what + " " + file + " is owned by " + ownerName + ", not by " + currentUser
                    + " (the user this runs as) or root; run: chown " + currentUser + " " + file);
        }
        if (!Files.isReadable(file)) {
            throw new ConfigException(what + " " + file + " is not readable by this user");
        }
    }

    static String modeString(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission p : permissions) {
            mode |= 1 << (8 - p.ordinal());
        }
        return String.format("%04o", mode);
    }
}
