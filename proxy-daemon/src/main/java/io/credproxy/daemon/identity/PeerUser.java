package io.credproxy.daemon.identity;

import java.util.Objects;

/**
 * The Unix user the kernel says owns a client's socket, or why none is known.
 *
 * @param uid the socket owner's uid; {@value #NONE} when unknown
 * @param unknownReason why no uid is known (not a loopback peer, not found, ...); {@code null} when known
 */
public record PeerUser(long uid, String unknownReason) {
    public static final long NONE = -1;

    public PeerUser {
        if (uid == NONE) {
            Objects.requireNonNull(unknownReason, "unknownReason");
        } else if (uid < 0) {
            throw new IllegalArgumentException("uid " + uid);
        }
    }

    public static PeerUser of(long uid) {
        return new PeerUser(uid, null);
    }

    public static PeerUser unknown(String reason) {
        return new PeerUser(NONE, reason);
    }

    public boolean known() {
        return uid != NONE;
    }

    @Override
    public String toString() {
        return known() ? "uid " + uid : "unknown user (" + unknownReason + ")";
    }
}
