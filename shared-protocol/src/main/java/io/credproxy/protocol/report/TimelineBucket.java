package io.credproxy.protocol.report;

import java.util.Map;

/**
 * The requests counted in one time bucket, per app.
 *
 * @param startMillis the bucket's start, epoch milliseconds
 * @param requestsByApp requests per app name in this bucket
 */
public record TimelineBucket(long startMillis, Map<String, Long> requestsByApp) {

    public TimelineBucket {
        requestsByApp = Counts.sorted(requestsByApp);
    }

    /** Requests in this bucket, all apps. */
    public long total() {
        return requestsByApp.values().stream().mapToLong(Long::longValue).sum();
    }
}
