package io.credproxy.daemon.policy;

import io.credproxy.daemon.config.ConfigException;
import io.credproxy.daemon.config.ConfigLoader;
import io.credproxy.daemon.config.ProxyConfig;
import io.credproxy.daemon.secrets.SecretStore;
import io.credproxy.daemon.secrets.Secrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the configuration and the secrets on SIGHUP or when either file changes, and swaps in the
 * new policy only if all of it is valid.
 *
 * <p>A reload parses the config, loads and checks the secrets and resolves every rule into a new
 * {@link Policy} before {@link PolicyHolder#swap} publishes it, so requests see either the old set or
 * the new one, never a mix; requests already in flight keep the policy they started with. When any
 * step fails, the policy in force stays, one error line names the file and line (from
 * {@link ConfigException}, which never holds a value) and {@link PolicyHolder#reloadFailed()} counts it.
 *
 * <p>Only the rules and secrets change on reload. Listen and admin addresses, the CA directory, the
 * audit log, upstream settings and the egress policy belong to objects built at start-up; a changed
 * value is reported as waiting for a restart.
 *
 * <p>Secrets delivered as a systemd credential ({@code systemd-credential:NAME}) are a copy systemd
 * makes once when the service starts: reloading re-reads that unchanged copy, so rotating them needs
 * a restart (or the plain-file mode). This is logged once at {@link #start()}.
 */
public final class PolicyReloader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PolicyReloader.class);

    private final Path configFile;
    private final ProxyConfig running;
    private final SecretStore store;
    private final PolicyHolder holder;
    private final ConfigLoader loader = new ConfigLoader();
    private final ExecutorService reloads;
    private final FileChangeWatcher watcher;
    private final HangupSignal hangup = new HangupSignal();
    /** Digest of the config and secrets bytes last tried, so a change event for the same content is ignored. */
    private byte[] lastTried;
    /** File changes looked at so far (reloaded or found unchanged); tests wait on it. */
    private final AtomicInteger changesChecked = new AtomicInteger();

    /**
     * Creates a reloader; nothing runs until {@link #start()}.
     *
     * @param configFile the config file the daemon was started with
     * @param running the configuration the daemon is running with (for settings that need a restart)
     * @param store the secrets source, the same the daemon started with
     * @param holder where the daemon's pipeline reads the policy in force
     */
    public PolicyReloader(Path configFile, ProxyConfig running, SecretStore store, PolicyHolder holder) {
        this(configFile, running, store, holder, FileChangeWatcher.DEFAULT_QUIET_PERIOD_MILLIS);
    }

    PolicyReloader(Path configFile, ProxyConfig running, SecretStore store, PolicyHolder holder, long quietPeriodMillis) {
        this.configFile = configFile.toAbsolutePath().normalize();
        this.running = Objects.requireNonNull(running, "running");
        this.store = Objects.requireNonNull(store, "store");
        this.holder = Objects.requireNonNull(holder, "holder");
        this.reloads = Executors.newSingleThreadExecutor(runnable -> {
            Thread t = new Thread(runnable, "credproxy-reload");
            t.setDaemon(true);
            return t;
        });
        this.watcher = new FileChangeWatcher(quietPeriodMillis, () -> reloads.execute(() -> reloadIfChanged("a file change")));
    }

    /**
     * Starts watching the config and secrets files and handling SIGHUP.
     *
     * <p>Failing to watch or to install the signal handler is logged, not thrown: the daemon still runs,
     * with fewer ways to reload.
     */
    public synchronized void start() {
        lastTried = fingerprint(running);
        watch(configFile);
        if (running.secrets().startsWith(SecretStore.SYSTEMD_CREDENTIAL_PREFIX)) {
            log.info("secrets come from {}, which systemd copies once when the service starts: a reload applies config"
                    + " changes; to rotate a secret, restart the service or name the secrets file itself in {}",
                    running.secrets(), configFile);
        } else {
            watchSecretsOf(running);
        }
        watcher.start();
        hangup.install(() -> reloads.execute(() -> reload("SIGHUP")));
    }

    /**
     * Reloads now, whatever changed.
     *
     * @return whether a new policy is in force
     */
    public synchronized boolean reload() {
        return reload("an explicit request");
    }

    private synchronized void reloadIfChanged(String trigger) {
        ProxyConfig next = null;
        try {
            next = loader.load(configFile);
        } catch (ConfigException e) {
            // Compared by the config's bytes alone; the reload reports the problem once.
        }
        if (!Arrays.equals(fingerprint(next), lastTried)) {
            reload(trigger);
        }
        changesChecked.incrementAndGet();
    }

    /** How many file changes the watcher has handed over and this reloader has looked at. */
    int changesChecked() {
        return changesChecked.get();
    }

    private synchronized boolean reload(String trigger) {
        ProxyConfig next;
        try {
            lastTried = fingerprint(null);
            next = loader.load(configFile);
            lastTried = fingerprint(next);
            Secrets secrets = store.load(next.secrets());
            Policy policy = Policy.load(next, secrets);
            holder.swap(policy);
            log.info("reloaded after {}: {} rules, secrets {} from {}", trigger, next.rules().size(), secrets.names(),
                    secrets.source());
        } catch (ConfigException e) {
            holder.reloadFailed();
            log.error("reload after {} refused, the rules in force stay: {}", trigger, e.getMessage());
            return false;
        } catch (RuntimeException e) {
            holder.reloadFailed();
            // Not expected. Its message could quote the new secrets, which no redactor knows yet: class only.
            log.error("reload after {} failed, the rules in force stay: {} while reading {}", trigger,
                    e.getClass().getSimpleName(), configFile);
            return false;
        }
        reportRestartOnlyChanges(next);
        if (!next.secrets().equals(running.secrets()) && !next.secrets().startsWith(SecretStore.SYSTEMD_CREDENTIAL_PREFIX)) {
            watchSecretsOf(next);
        }
        return true;
    }

    private void reportRestartOnlyChanges(ProxyConfig next) {
        pending("listen", running.listen(), next.listen());
        pending("admin", running.admin(), next.admin());
        pending("ca_dir", running.caDir(), next.caDir());
        pending("audit_log", running.auditLog(), next.auditLog());
        pending("upstream", running.upstream(), next.upstream());
        pending("egress", running.egress(), next.egress());
        pending("limits", running.limits(), next.limits());
    }

    private void pending(String key, Object now, Object configured) {
        if (!Objects.equals(now, configured)) {
            log.warn("{} changed in {}; it takes effect after a restart (rules and secrets were reloaded)", key, configFile);
        }
    }

    private void watchSecretsOf(ProxyConfig config) {
        try {
            watch(store.resolve(config.secrets()));
        } catch (ConfigException e) {
            log.warn("not watching the secrets file: {}", e.getMessage());
        }
    }

    private void watch(Path file) {
        try {
            watcher.watch(file);
        } catch (IOException e) {
            log.warn("cannot watch {} for changes ({}); SIGHUP still reloads", file.getParent(), e.getClass().getSimpleName());
        }
    }

    /**
     * A digest of the config file's bytes and, when {@code config} is known, its secrets file's bytes;
     * {@code null} when a file cannot be read.
     */
    private byte[] fingerprint(ProxyConfig config) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(Files.readAllBytes(configFile));
            if (config != null) {
                digest.update(Files.readAllBytes(store.resolve(config.secrets())));
            }
            return digest.digest();
        } catch (IOException | ConfigException e) {
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Stops watching, restores the previous SIGHUP handler and waits briefly for a running reload. */
    @Override
    public void close() {
        hangup.restore();
        watcher.close();
        reloads.shutdownNow();
        try {
            reloads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether SIGHUP reaches this reloader (false where the JDK offers no signal handling). */
    public boolean handlesHangup() {
        return hangup.installed();
    }
}
