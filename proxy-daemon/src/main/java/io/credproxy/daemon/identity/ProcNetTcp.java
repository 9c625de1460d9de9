package io.credproxy.daemon.identity;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the owners of client sockets in the text of {@code /proc/net/tcp} or {@code /proc/net/tcp6}.
 *
 * <p>A line is {@code sl: local rem st tx:rx tr:when retrnsmt uid timeout inode ...}. A line answers a
 * lookup when its local address is the peer's, its remote address the daemon's, its state
 * {@code 01} (ESTABLISHED) and its inode not 0: sockets in TIME_WAIT, or orphaned after their process
 * closed them, are listed with uid 0 (root) and no inode, and must never vouch for anyone. The scan
 * compares one string per line against a hash of the pending lookups and stops as soon as every one is
 * answered: the kernel formats these files as they are read, so stopping early saves its work too.
 */
final class ProcNetTcp {
    private static final String ESTABLISHED = "01";

    private ProcNetTcp() {}

    /** One pending lookup and, once found, its answer. */
    static final class Query {
        final SocketPair pair;
        long uid = PeerUser.NONE;

        Query(SocketPair pair) {
            this.pair = pair;
        }

        boolean answered() {
            return uid != PeerUser.NONE;
        }
    }

    /**
     * Answers what it can of {@code queries} from one file's lines.
     *
     * @throws IOException when the file cannot be read to its end (the queries read so far stay answered)
     */
    static void scan(BufferedReader lines, ProcNetFile file, List<Query> queries) throws IOException {
        Map<String, List<Query>> byLocal = new HashMap<>();
        for (Query q : queries) {
            String local = q.pair.localField(file);
            if (!q.answered() && local != null) {
                byLocal.computeIfAbsent(local, k -> new ArrayList<>(1)).add(q);
            }
        }
        int pending = 0;
        for (List<Query> list : byLocal.values()) {
            pending += list.size();
        }
        String line;
        while (pending > 0 && (line = lines.readLine()) != null) {
            String[] fields = fields(line);
            if (fields == null) {
                continue;
            }
            List<Query> candidates = byLocal.get(fields[0]);
            if (candidates == null) {
                continue;
            }
            for (Query q : candidates) {
                if (!q.answered() && fields[1].equals(q.pair.remoteField(file)) && fields[2].equals(ESTABLISHED)
                        && !fields[4].equals("0")) {
                    long uid = parseUid(fields[3]);
                    if (uid != PeerUser.NONE) {
                        q.uid = uid;
                        pending--;
                    }
                }
            }
        }
    }

    /**
     * The local address, remote address, state, uid and inode of a socket line; {@code null} for a
     * line that is not one. Splits only as far as the inode, the tenth column.
     */
    static String[] fields(String line) {
        String[] out = new String[5];
        int column = 0;
        int i = 0;
        int n = line.length();
        while (column <= 9) {
            while (i < n && line.charAt(i) == ' ') {
                i++;
            }
            if (i >= n) {
                return null;
            }
            int start = i;
            while (i < n && line.charAt(i) != ' ') {
                i++;
            }
            switch (column) {
                case 0 -> {
                    if (line.charAt(i - 1) != ':') {
                        return null; // the header, or not a socket line
                    }
                }
                case 1 -> out[0] = line.substring(start, i);
                case 2 -> out[1] = line.substring(start, i);
                case 3 -> out[2] = line.substring(start, i);
                case 7 -> out[3] = line.substring(start, i);
                case 9 -> out[4] = line.substring(start, i);
                default -> { }
            }
            column++;
        }
        return out;
    }

    private static long parseUid(String text) {
        try {
            long uid = Long.parseLong(text);
            return uid >= 0 && uid <= 0xFFFF_FFFEL ? uid : PeerUser.NONE;
        } catch (NumberFormatException e) {
            return PeerUser.NONE;
        }
    }
}
