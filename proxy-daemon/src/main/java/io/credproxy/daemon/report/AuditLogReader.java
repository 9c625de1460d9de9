package io.credproxy.daemon.report;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.credproxy.daemon.audit.AgentEventSink;
import io.credproxy.daemon.audit.AuditJson;
import io.credproxy.daemon.audit.AuditLines;
import io.credproxy.daemon.audit.AuditSink;
import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.wire.AgentEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Streams an audit log and its rotated files, oldest first, one line at a time.
 *
 * <p>Memory does not depend on the files' size: each line is parsed, handed on and dropped. A line
 * that is not valid JSON or not a known event (the half-written last line after a crash, a foreign
 * line) is skipped and counted, never fatal.
 */
public final class AuditLogReader {
    private static final int BUFFER_CHARS = 256 * 1024;

    private final ObjectMapper json = AuditJson.newMapper();
    private final ObjectReader treeReader = json.readerFor(JsonNode.class);
    private final ObjectReader auditReader = json.readerFor(AuditEvent.class);
    private final ObjectReader agentReader = json.readerFor(AgentEvent.class);
    private static final String REQUEST_PREFIX = "{\"" + AuditLines.TYPE + "\":\"" + AuditLines.REQUEST + "\",";
    private static final String AGENT_PREFIX = "{\"" + AuditLines.TYPE + "\":\"" + AuditLines.AGENT + "\",";

    /** What a read found. */
    public record Stats(long files, long requests, long agentEvents, long skippedLines) {}

    /**
     * The files that make up the log at {@code file}: {@code file.N} ... {@code file.1}, then
     * {@code file}, each only when it exists.
     */
    public static List<Path> files(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        String name = file.getFileName().toString();
        Pattern rotated = Pattern.compile(Pattern.quote(name) + "\\.(\\d{1,6})");
        record Rotated(int n, Path path) {}
        List<Rotated> old = new ArrayList<>();
        if (dir != null && Files.isDirectory(dir)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, name + ".*")) {
                for (Path p : entries) {
                    Matcher m = rotated.matcher(p.getFileName().toString());
                    if (m.matches() && Files.isRegularFile(p)) {
                        old.add(new Rotated(Integer.parseInt(m.group(1)), p));
                    }
                }
            }
        }
        old.sort(Comparator.comparingInt(Rotated::n).reversed());
        List<Path> out = new ArrayList<>();
        old.forEach(r -> out.add(r.path()));
        if (Files.isRegularFile(file)) {
            out.add(file);
        }
        return out;
    }

    /** Reads every line of {@code files}, in order, into the sinks. */
    public Stats read(List<Path> files, AuditSink requests, AgentEventSink agentEvents) throws IOException {
        long nRequests = 0;
        long nAgent = 0;
        long skipped = 0;
        for (Path file : files) {
            try (BufferedReader in = new BufferedReader(Files.newBufferedReader(file, StandardCharsets.UTF_8), BUFFER_CHARS)) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    switch (parse(line, requests, agentEvents)) {
                        case REQUEST -> nRequests++;
                        case AGENT -> nAgent++;
                        case SKIPPED -> skipped++;
                    }
                }
            }
        }
        return new Stats(files.size(), nRequests, nAgent, skipped);
    }

    private enum Outcome { REQUEST, AGENT, SKIPPED }

    private Outcome parse(String line, AuditSink requests, AgentEventSink agentEvents) {
        try {
            // Fast path for the daemon's own lines, whose first field is the type: bind directly,
            // without building a tree first (twice as fast over a million lines).
            if (line.startsWith(REQUEST_PREFIX)) {
                requests.record(auditReader.readValue(line));
                return Outcome.REQUEST;
            }
            if (line.startsWith(AGENT_PREFIX)) {
                agentEvents.recordAgentEvent(agentReader.readValue(line));
                return Outcome.AGENT;
            }
            JsonNode node = treeReader.readValue(line);
            if (node == null || !node.isObject()) {
                return Outcome.SKIPPED;
            }
            String type = node.path(AuditLines.TYPE).asText(AuditLines.REQUEST);
            if (type.equals(AuditLines.REQUEST)) {
                requests.record(json.treeToValue(node, AuditEvent.class));
                return Outcome.REQUEST;
            }
            if (type.equals(AuditLines.AGENT)) {
                agentEvents.recordAgentEvent(json.treeToValue(node, AgentEvent.class));
                return Outcome.AGENT;
            }
            return Outcome.SKIPPED;
        } catch (JacksonException | IllegalArgumentException e) {
            return Outcome.SKIPPED;
        }
    }
}
