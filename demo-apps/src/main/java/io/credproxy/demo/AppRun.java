package io.credproxy.demo;

import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.report.Decision;
import io.credproxy.testing.RecordedRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * What one demo app run did, seen from three sides: the app (its output), the stand-in upstream
 * (the requests it received and whether they carried the real credential) and the daemon (its
 * audit events for the app), and whether that is what the scenario expects.
 *
 * @param scenario what was run
 * @param exitCode the app's exit status ({@code -1} when it had to be stopped)
 * @param results the app's result lines ({@code NAME: HTTP ...} or {@code NAME: FAILED ...})
 * @param requests what the stand-ins received from this run
 * @param authorized how many of them carried the real credential of their API
 * @param leaked requests that carried any secret value although the scenario wants none
 * @param held the names of the secrets whose values the app's output or environment contained
 * @param audit the daemon's audit events for the app
 */
record AppRun(DemoScenario scenario, int exitCode, List<String> results, List<RecordedRequest> requests, long authorized,
        long leaked, List<String> held, List<AuditEvent> audit) {

    /** The message the agent's {@code sockets=block} puts in the exception, from the contract. */
    static final String BLOCKED = "credproxy: blocked direct connection to ";

    /**
     * Judges a finished run against what the stand-ins received from it and the daemon's audit
     * events for its app (taken after all runs, when every event is recorded).
     */
    static AppRun judge(AppLauncher.Finished finished, DemoWorld world) {
        String output = finished.output();
        List<RecordedRequest> requests = world.requestsFor(finished.run());
        List<String> results = output.lines().filter(l -> l.contains(": HTTP ") || l.contains(": FAILED ")).toList();
        long authorized = requests.stream().filter(world.apis::authorized).count();
        long leaked = requests.stream().filter(r -> world.secrets.values().stream().anyMatch(v -> r.toString().contains(v))).count();
        List<String> held = new ArrayList<>();
        world.secrets.forEach((name, value) -> {
            if (output.contains(value) || finished.environment().containsValue(value)) {
                held.add(name);
            }
        });
        return new AppRun(finished.scenario(), finished.exitCode(), results, requests, authorized, leaked, held,
                world.auditFor(finished.scenario().app()));
    }

    /** The agent's refusal, when it refused a connection. */
    String blocked() {
        return results.stream().filter(l -> l.contains(BLOCKED))
                .map(l -> l.substring(l.indexOf(BLOCKED) + "credproxy: ".length()).replace(" (sockets=block)", ""))
                .findFirst().orElse(null);
    }

    /** The daemon's refusals and credential-less passes for this app: denied, or passed on with a reason. */
    List<AuditEvent> refusals() {
        return audit.stream().filter(e -> e.decision() == Decision.DENIED || (e.reason() != null && e.secretNames().isEmpty())).toList();
    }

    /** What differs from the scenario's expectation; empty when the run went as it should. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (!held.isEmpty()) {
            problems.add("the app held " + String.join(", ", held));
        }
        switch (scenario.expect()) {
            case CREDENTIAL_ADDED -> {
                if (requests.isEmpty()) {
                    problems.add("no request reached the upstream" + (results.isEmpty() ? "" : ": " + results.get(0)));
                } else if (authorized < requests.size()) {
                    problems.add((requests.size() - authorized) + " of " + requestCount(requests.size()) + " arrived without the credential");
                }
                if (exitCode != 0) {
                    problems.add("the app exited with status " + exitCode);
                }
            }
            case SOCKET_BLOCKED -> {
                if (blocked() == null) {
                    problems.add("the agent did not block the raw socket");
                }
                if (!requests.isEmpty()) {
                    problems.add(requestCount(requests.size()) + " reached the upstream");
                }
            }
            case MISDIRECTED -> {
                if (audit.stream().noneMatch(e -> e.decision() == Decision.DENIED && e.status() == 421)) {
                    problems.add("the daemon did not answer 421");
                }
                if (!requests.isEmpty()) {
                    problems.add(requestCount(requests.size()) + " reached the upstream");
                }
            }
            case NO_CREDENTIAL_OVER_PLAIN_HTTP -> {
                if (requests.isEmpty()) {
                    problems.add("no request reached the plain-HTTP upstream");
                }
            }
        }
        if (scenario.expect() != DemoScenario.Expect.CREDENTIAL_ADDED && leaked > 0) {
            problems.add(requestCount(leaked) + " carried a secret to the upstream");
        }
        return problems;
    }

    /** "1 request", "2 requests". */
    static String requestCount(long n) {
        return n + (n == 1 ? " request" : " requests");
    }
}
