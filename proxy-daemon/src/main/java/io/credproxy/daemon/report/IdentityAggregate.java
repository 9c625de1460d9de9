package io.credproxy.daemon.report;

import io.credproxy.protocol.report.AppReport;
import io.credproxy.protocol.report.Decision;
import io.credproxy.protocol.report.Report;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One app's identity facts for the report: the users the kernel reported for it, the names its
 * clients claimed instead, and the credentials it used and was refused (by name). Not thread-safe:
 * {@link AppAggregate} holds it under the app's lock. Each set is capped; claimed names past the cap
 * are counted under {@link Report#OTHER}.
 */
final class IdentityAggregate {
    private final int max;
    private final TreeSet<Long> uids = new TreeSet<>();
    private final Map<String, Long> claimed = new HashMap<>();
    private final TreeSet<String> used = new TreeSet<>();
    private final TreeSet<String> refused = new TreeSet<>();

    IdentityAggregate(int max) {
        this.max = max;
    }

    /** What a request or an agent event says about who sent it, and what a request used or was refused. */
    void add(Long uid, String claimedApp, Decision decision, List<String> secretNames, List<String> refusedNames) {
        if (uid != null && (uids.size() < max || uids.contains(uid))) {
            uids.add(uid);
        }
        if (claimedApp != null) {
            String key = claimed.containsKey(claimedApp) || claimed.size() < max ? claimedApp : Report.OTHER;
            claimed.merge(key, 1L, Long::sum);
        }
        if (decision == Decision.INJECTED) {
            addAll(used, secretNames);
        }
        addAll(refused, refusedNames);
    }

    private void addAll(TreeSet<String> set, List<String> names) {
        for (String name : names) {
            if (set.size() < max || set.contains(name)) {
                set.add(name);
            }
        }
    }

    AppIdentity snapshot() {
        return new AppIdentity(new ArrayList<>(uids), new HashMap<>(claimed), new ArrayList<>(used), new ArrayList<>(refused));
    }

    /** The identity part of an {@link AppReport}. */
    record AppIdentity(List<Long> uids, Map<String, Long> claimedApps, List<String> secretNamesUsed,
            List<String> secretNamesRefused) {
        static AppIdentity of(AppReport a) {
            return new AppIdentity(a.uids(), a.claimedApps(), a.secretNamesUsed(), a.secretNamesRefused());
        }
    }
}
