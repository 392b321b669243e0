package io.orrery.shell.trace;

import io.orrery.api.trace.SpanRecord;
import io.orrery.api.trace.SpanTree;
import io.orrery.api.trace.TraceReader;
import io.orrery.shell.TerminalText;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code orrery:trace <traceId>}: a trace's spans as an indented tree, each with its duration, its offset from
 * the trace's start and its tenant; every tenant's spans, since the shell is the administrator's.
 */
@Command(scope = "orrery", name = "trace", description = "Shows a trace's spans as a tree with durations")
@Service
public class TraceCommand implements Action {

    @Argument(index = 0, name = "traceId", description = "The trace id (32 hex digits)", required = true)
    String traceId;

    @Reference
    private TraceReader traces;

    @Override
    public Object execute() {
        if (traces == null) {
            throw new IllegalStateException("Spans are not available (is orrery-trace started?)");
        }
        print(traceId.trim().toLowerCase(Locale.ROOT), traces.spansOfEveryTenant(traceId.trim().toLowerCase(Locale.ROOT)),
                System.out);
        return null;
    }

    public void setTraces(TraceReader traces) {
        this.traces = traces;
    }

    static void print(String traceId, List<SpanRecord> spans, PrintStream out) {
        if (spans.isEmpty()) {
            throw new IllegalArgumentException("No spans kept for trace " + TerminalText.escape(traceId));
        }
        long start = spans.stream().mapToLong(SpanRecord::startMicros).min().orElseThrow();
        long end = spans.stream().mapToLong(SpanRecord::endMicros).max().orElseThrow();
        out.printf("Trace %s: %d spans, %s%n", TerminalText.escape(traceId), spans.size(), millis(end - start));
        for (SpanTree root : SpanTree.of(spans)) {
            print(root, 1, start, out);
        }
    }

    private static void print(SpanTree tree, int depth, long traceStart, PrintStream out) {
        SpanRecord s = tree.span();
        StringBuilder line = new StringBuilder("  ".repeat(depth)).append(TerminalText.escape(s.name()))
                .append("  ").append(millis(s.durationMicros()))
                .append("  at +").append(millis(s.startMicros() - traceStart))
                .append("  [").append(s.tenant().isEmpty() ? "-" : TerminalText.escape(s.tenant())).append(']');
        attributes(s.attributes(), line);
        if (s.failure() != null) {
            line.append("  FAILED ").append(s.failure().name().toLowerCase(Locale.ROOT));
            if (s.failureMessage() != null) {
                line.append(": ").append(TerminalText.escape(s.failureMessage()));
            }
        }
        out.println(line);
        for (SpanTree child : tree.children()) {
            print(child, depth + 1, traceStart, out);
        }
    }

    private static void attributes(Map<String, String> attributes, StringBuilder line) {
        attributes.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> line.append(' ').append(TerminalText.escape(e.getKey())).append('=')
                        .append(TerminalText.escape(e.getValue())));
    }

    private static String millis(long micros) {
        return String.format(Locale.ROOT, "%.1f ms", micros / 1000.0);
    }
}
