package io.credproxy.daemon.signal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Installing a handler, in child JVMs whose signal dispositions the test sets (as a shell or nohup would). */
class UnixSignalsTest {

    /** Installs a SIGHUP handler, sends SIGHUP to itself and prints what happened. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            java.util.concurrent.CountDownLatch handled = new java.util.concurrent.CountDownLatch(1);
            try {
                UnixSignals.install("HUP", handled::countDown);
            } catch (UnixSignals.Unavailable e) {
                System.out.println("unavailable: " + e.getMessage());
                return;
            }
            new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid())).start().waitFor();
            System.out.println(handled.await(10, TimeUnit.SECONDS) ? "handled" : "installed but never handled");
        }
    }

    private static String probe(String shellPrefix) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = shellPrefix + "exec '" + java + "' -cp '" + System.getProperty("java.class.path") + "' '"
                + Probe.class.getName() + "'";
        Process child = new ProcessBuilder(List.of("bash", "-c", command)).redirectErrorStream(true).start();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }

    @Test
    void aHandlerInstalledIsAHandlerThatRuns() throws Exception {
        assertThat(probe("trap - HUP; ")).isEqualTo("handled");
    }

    @Test
    void aSignalTheProcessWasStartedToIgnoreIsReportedUnavailableNotSilentlyLost() throws Exception {
        assertThat(probe("trap '' HUP; ")).isEqualTo("unavailable: SIGHUP is ignored by this process (started under nohup?)");
    }
}
