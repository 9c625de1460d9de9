package io.credproxy.daemon.fence;

import io.credproxy.protocol.config.HostPort;
import io.netty.util.NetUtil;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The kernel fence around sandboxed users: an nftables table that lets their processes open TCP
 * connections to the daemon's addresses and nothing else.
 *
 * <p>One table of its own ({@value #TABLE}), so loading it never touches anyone else's rules, and
 * the script replaces an earlier fence in one transaction (create, delete, create: the nft idiom
 * that works whether or not the table exists). The output hook sees every packet a local process
 * sends, to loopback included; only packets of sockets owned by a fenced uid ({@code meta skuid})
 * jump to the fenced chain. Packets without an owning socket (the kernel's own RSTs and ICMP,
 * forwarded traffic) never match {@code meta skuid} and pass: no other user is touched.
 *
 * <p>In the fenced chain: TCP to each allowed address and port is accepted; any other TCP is
 * answered with a reset (an immediate "connection refused", not a hang); UDP (DNS included: the
 * daemon resolves names for its clients), ICMP and the rest get an ICMP "administratively
 * prohibited". IPv4 and IPv6 alike: an address family with no allowed address is closed entirely.
 *
 * @param users uids or user names (names are resolved by nft when the table is loaded)
 * @param allowed IP addresses (literals) and ports the fenced users may connect to
 */
public record FenceRules(List<String> users, List<HostPort> allowed) {
    public static final String FAMILY_AND_TABLE = "inet credproxy_fence";
    static final String TABLE = "credproxy_fence";
    /** Debian's useradd NAME_REGEX, at most 32 characters: nothing nft or a shell would read as syntax. */
    private static final Pattern USER_NAME = Pattern.compile("[a-z_][a-z0-9_-]{0,30}\\$?");
    private static final Pattern UID = Pattern.compile("\\d{1,10}");
    /** The daemon's own user must reach the internet: fencing it would cut every upstream off. */
    static final String SERVICE_USER = "openclaw-secrets";

    public FenceRules {
        if (users.isEmpty()) {
            throw new IllegalArgumentException("no uid to fence");
        }
        users = List.copyOf(new LinkedHashSet<>(users.stream().map(FenceRules::checkUser).toList()));
        allowed = List.copyOf(new LinkedHashSet<>(allowed));
        for (HostPort endpoint : allowed) {
            literal(endpoint);
        }
    }

    /**
     * A uid or user name as the fence takes it.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static String checkUser(String user) {
        String u = user == null ? "" : user.trim();
        if (UID.matcher(u).matches()) {
            long uid = Long.parseLong(u);
            if (uid == 0) {
                throw new IllegalArgumentException("uid 0 is root: fencing it would cut the system and the daemon off");
            }
            if (uid >= 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("uid " + u + " is out of range (0 to 4294967294)");
            }
            return Long.toString(uid);
        }
        if (!USER_NAME.matcher(u).matches()) {
            throw new IllegalArgumentException("'" + u.replaceAll("\\p{Cntrl}", "?") + "' is neither a uid nor a user name");
        }
        if (u.equals("root") || u.equals(SERVICE_USER)) {
            throw new IllegalArgumentException("user " + u + " must not be fenced: it would cut "
                    + (u.equals("root") ? "the system" : "the daemon") + " off from upstreams");
        }
        return u;
    }

    /** The address of an allowed endpoint, which must be an IP literal (no name lookup decides the fence). */
    static InetAddress literal(HostPort endpoint) {
        String host = endpoint.host();
        if (!host.matches("[0-9a-fA-F.:]+")) {
            throw new IllegalArgumentException("the daemon's address " + endpoint + " must be an IP address for the fence"
                    + " (listen: 127.0.0.1:PORT in its config)");
        }
        try {
            return InetAddress.getByName(host); // a literal: parsed, never looked up
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("the daemon's address " + endpoint + " is not an IP address");
        }
    }

    /** The nft script: {@code nft -f} loads it, replacing an earlier fence. */
    public String render() {
        List<String> allow = new ArrayList<>();
        for (HostPort endpoint : allowed) {
            InetAddress address = literal(endpoint);
            String family = address instanceof Inet6Address ? "ip6" : "ip";
            allow.add(family + " daddr " + NetUtil.toAddressString(address).replaceAll("%.*$", "") + " tcp dport " + endpoint.port() + " accept");
        }
        Set<String> names = new LinkedHashSet<>();
        for (String user : users) {
            names.add(UID.matcher(user).matches() ? user : "\"" + user + "\"");
        }
        StringBuilder out = new StringBuilder()
                .append("#!/usr/sbin/nft -f\n")
                .append("# credproxy fence: users ").append(String.join(", ", users))
                .append(" may open TCP connections to ").append(allowed.isEmpty() ? "nothing" : String.join(", ", allowed.stream().map(HostPort::toString).toList()))
                .append(" and nothing else.\n")
                .append("# Made by `credproxy fence`. Load (replaces an earlier fence): nft -f FILE\n")
                .append("# Remove: nft delete table ").append(FAMILY_AND_TABLE).append('\n')
                .append("table ").append(FAMILY_AND_TABLE).append('\n')
                .append("delete table ").append(FAMILY_AND_TABLE).append('\n')
                .append("table ").append(FAMILY_AND_TABLE).append(" {\n")
                .append("\tchain output {\n")
                .append("\t\ttype filter hook output priority filter; policy accept;\n")
                .append("\t\tmeta skuid { ").append(String.join(", ", names)).append(" } jump fenced\n")
                .append("\t}\n\n")
                .append("\tchain fenced {\n");
        for (String rule : allow) {
            out.append("\t\t").append(rule).append('\n');
        }
        return out.append("\t\tmeta l4proto tcp counter reject with tcp reset\n")
                .append("\t\tcounter reject with icmpx admin-prohibited\n")
                .append("\t}\n")
                .append("}\n")
                .toString();
    }
}
