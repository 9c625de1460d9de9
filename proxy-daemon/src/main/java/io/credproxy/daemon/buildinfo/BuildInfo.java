package io.credproxy.daemon.buildinfo;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version and git commit this daemon was built from, as the build wrote them into
 * {@code build.properties} (Maven's project version) and {@code git.properties} (from {@code git log}).
 *
 * <p>A value Maven could not fill in (a build from a source archive without {@code .git}, or a
 * run from an IDE's own compiler) reads as {@link #UNKNOWN}: the version line then says so rather
 * than printing a placeholder.
 *
 * @param version the Maven project version, e.g. {@code 0.1.0-SNAPSHOT}
 * @param commit the abbreviated git commit id
 * @param commitTime when that commit was made (ISO-8601)
 * @param dirty whether the work tree had uncommitted changes at build time
 */
public record BuildInfo(String version, String commit, String commitTime, boolean dirty) {
    public static final String UNKNOWN = "unknown";

    /** What the running code was built from. */
    public static BuildInfo current() {
        Properties p = new Properties();
        load(p, "build.properties");
        load(p, "git.properties");
        return new BuildInfo(value(p, "version"), value(p, "commit"), value(p, "commit.time"),
                Boolean.parseBoolean(value(p, "dirty")));
    }

    private static void load(Properties into, String resource) {
        try (InputStream in = BuildInfo.class.getResourceAsStream(resource)) {
            if (in != null) {
                into.load(in);
            }
        } catch (IOException e) {
            // Unreadable resource: its fields read as unknown.
        }
    }

    private static String value(Properties p, String key) {
        String v = p.getProperty(key, "").trim();
        // An unfilled "${project.version}" (an IDE's own build) or an empty commit (no git) is unknown.
        return v.isEmpty() || v.contains("${") ? UNKNOWN : v;
    }

    /** {@code credproxy 0.1.0 (commit 3ae37eb1c0de, 2026-01-01T10:00:00Z)}, with {@code -dirty} after a changed tree. */
    public String versionLine() {
        String where = commit.equals(UNKNOWN) ? "commit unknown" : "commit " + commit + (dirty ? "-dirty" : "")
                + (commitTime.equals(UNKNOWN) ? "" : ", " + commitTime);
        return "credproxy " + version + " (" + where + ")";
    }
}
