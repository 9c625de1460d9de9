package io.credproxy.daemon.cli;

import io.credproxy.daemon.Daemon;
import io.credproxy.daemon.DaemonOptions;
import io.credproxy.daemon.config.ConfigException;
import io.credproxy.daemon.config.ConfigLoader;
import io.credproxy.daemon.config.ProxyConfig;
import io.credproxy.daemon.logging.LogSetup;
import io.credproxy.daemon.policy.PolicyReloader;
import io.credproxy.protocol.config.HostPort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code credproxy daemon}: runs the proxy and the admin endpoint until the process is stopped. */
@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = "Run the proxy and the admin endpoint until stopped (SIGTERM or Ctrl-C).")
final class DaemonCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The YAML configuration.")
    Path config;

    @Option(names = "--listen", paramLabel = "HOST:PORT", converter = HostPortConverter.class,
            description = "Overrides the config's listen address (port 0: any free port).")
    HostPort listen;

    @Option(names = "--admin", paramLabel = "HOST:PORT", converter = HostPortConverter.class,
            description = "Overrides the config's admin address (port 0: any free port).")
    HostPort admin;

    @CommandLine.Mixin
    LoggingOptions logging;

    @Override
    public Integer call() throws ConfigException, InterruptedException {
        logging.apply(spec.commandLine().getErr());
        ProxyConfig fromFile = new ConfigLoader().load(config);
        ProxyConfig loaded = fromFile;
        if (listen != null) {
            loaded = loaded.withListen(listen);
        }
        if (admin != null) {
            loaded = loaded.withAdmin(admin);
        }
        if (loaded.listen().equals(loaded.admin()) && loaded.listen().port() != 0) {
            throw new ConfigException("listen and admin are the same address " + loaded.listen());
        }
        DaemonOptions options = DaemonOptions.defaults();
        Daemon daemon = Daemon.start(loaded, options);
        // Rules and secrets reload on SIGHUP or a file change, into the policy the proxy reads. The
        // reloader compares file with file, so it gets the config before the command-line overrides.
        PolicyReloader reloader = new PolicyReloader(config, fromFile, options.secretStore(), daemon.policyHolder());
        reloader.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Duration grace = Duration.ofMillis(daemon.config().limits().shutdownGraceMillis());
        // SIGTERM (systemd's stop) and Ctrl-C: a graceful stop, then this command returns and the
        // process exits 0, the way a service that stopped as asked should. Another exit (or a JVM
        // that will not let us handle the signals) still closes the daemon and flushes the audit log.
        Runnable stop = () -> {
            reloader.close();
            daemon.stop(grace);
            stopped.countDown();
        };
        StopSignals.install(stop);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            reloader.close();
            daemon.close();
            stopped.countDown();
            LogSetup.stop(); // last: the access lines still queued reach stderr
        }, "credproxy-shutdown"));
        spec.commandLine().getOut().printf("credproxy: proxy on %s:%d, admin on %s:%d%n",
                daemon.proxyAddress().getHostString(), daemon.proxyAddress().getPort(),
                daemon.adminAddress().getHostString(), daemon.adminAddress().getPort());
        spec.commandLine().getOut().flush();
        stopped.await();
        return CredproxyCli.EXIT_OK;
    }
}
