package io.credproxy.daemon.identity;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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
 * stops as soon as every lookup is answered: the kernel formats these files as they are read, so
 * stopping early saves its work too.
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
     * Answers what it can of {@code queries} from one file's text.
     *
     * <p>Most lines are other sockets (on a busy machine, mostly TIME_WAIT), so a line is first judged
     * by its local port alone, read from the bytes; only a line whose port some query wants becomes a
     * string and is compared whole. The kernel's formatting of the lines is most of a pass's cost
     * (docs/BENCHMARKS.md), which is why the pass stops once every query is answered.
     *
     * @throws IOException when the file cannot be read to its end (the queries read so far stay answered)
     */
    static void scan(InputStream in, ProcNetFile file, List<Query> queries) throws IOException {
        Map<String, List<Query>> byLocal = new HashMap<>();
        boolean[] ports = new boolean[65536];
        int pending = 0;
        for (Query q : queries) {
            String local = q.pair.localField(file);
            if (!q.answered() && local != null) {
                byLocal.computeIfAbsent(local, k -> new ArrayList<>(1)).add(q);
                ports[Integer.parseInt(local.substring(local.length() - 4), 16)] = true;
                pending++;
            }
        }
        byte[] buf = new byte[64 * 1024];
        int start = 0;
        int end = 0;
        boolean eof = false;
        while (pending > 0) {
            int nl = indexOf(buf, start, end, (byte) '\n');
            if (nl < 0) {
                if (eof) {
                    if (end > start) {
                        pending -= answer(buf, start, end, ports, byLocal, file);
                    }
                    return;
                }
                System.arraycopy(buf, start, buf, 0, end - start);
                end -= start;
                start = 0;
                if (end == buf.length) {
                    buf = Arrays.copyOf(buf, buf.length * 2); // a line longer than the buffer: not the kernel's
                }
                int n = in.read(buf, end, buf.length - end);
                if (n < 0) {
                    eof = true;
                } else {
                    end += n;
                }
                continue;
            }
            pending -= answer(buf, start, nl, ports, byLocal, file);
            start = nl + 1;
        }
    }

    /** Answers the queries one line {@code buf[from, to)} answers; how many. */
    private static int answer(byte[] buf, int from, int to, boolean[] ports, Map<String, List<Query>> byLocal, ProcNetFile file) {
        int port = localPort(buf, from, to);
        if (port < 0 || !ports[port]) {
            return 0;
        }
        String[] fields = fields(new String(buf, from, to - from, StandardCharsets.US_ASCII));
        List<Query> candidates = fields == null ? null : byLocal.get(fields[0]);
        if (candidates == null) {
            return 0;
        }
        int answered = 0;
        for (Query q : candidates) {
            if (!q.answered() && fields[1].equals(q.pair.remoteField(file)) && fields[2].equals(ESTABLISHED)
                    && !fields[4].equals("0")) {
                long uid = parseUid(fields[3]);
                if (uid != PeerUser.NONE) {
                    q.uid = uid;
                    answered++;
                }
            }
        }
        return answered;
    }

    /** The port of the second column ({@code ADDRESS:PORT}, port in four hex digits); -1 when there is none. */
    static int localPort(byte[] buf, int from, int to) {
        int i = from;
        for (int column = 0; column < 2; column++) {
            while (i < to && buf[i] == ' ') {
                i++;
            }
            int tokenStart = i;
            while (i < to && buf[i] != ' ') {
                i++;
            }
            if (column == 1 && i - tokenStart > 5 && buf[i - 5] == ':') {
                int port = 0;
                for (int k = i - 4; k < i; k++) {
                    int digit = Character.digit(buf[k], 16);
                    if (digit < 0) {
                        return -1;
                    }
                    port = port << 4 | digit;
                }
                return port;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] buf, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
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
