package io.credproxy.daemon.identity;

/**
 * Who a CONNECT or request is attributed to: the app whose rules and report it counts for, what the
 * client claimed, and what the kernel said.
 *
 * @param app the app for policy and reports ({@code unknown} when nobody vouches for the peer)
 * @param claimed the name the client claimed in {@code Proxy-Authorization} when it is not {@code app}
 *     (a name the kernel contradicts, shown as "claimed X"); {@code null} otherwise
 * @param uid the uid that owns the client socket; {@link PeerUser#NONE} when unknown or not looked up
 * @param attested whether the kernel vouched for {@code app} (its uid is one of the app's)
 * @param refusal why the peer must authenticate first (answered 407); {@code null} when it may go on
 */
public record Caller(String app, String claimed, long uid, boolean attested, String refusal) {

    /** Identification off: the claimed name is the app, as before identities existed. */
    public static Caller claimed(String app) {
        return new Caller(app, null, PeerUser.NONE, false, null);
    }

    public boolean refused() {
        return refusal != null;
    }

    /** {@code uid} when known, else {@code null} (for records where "none" is absent). */
    public Long uidOrNull() {
        return uid == PeerUser.NONE ? null : uid;
    }
}
