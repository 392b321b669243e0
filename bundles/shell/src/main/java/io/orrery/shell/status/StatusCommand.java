package io.orrery.shell.status;

import io.orrery.api.health.ComponentHealth;
import io.orrery.api.health.HealthIndicator;
import io.orrery.api.health.HealthReport;
import io.orrery.shell.TerminalText;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/** {@code orrery:status}: the same component health as {@code GET /api/v1/health}, one line per component. */
@Command(scope = "orrery", name = "status", description = "Shows the health of each Orrery component")
@Service
public class StatusCommand implements Action {

    @Reference
    BundleContext bundleContext;

    @Override
    public Object execute() throws InvalidSyntaxException {
        List<ServiceReference<HealthIndicator>> refs =
                new ArrayList<>(bundleContext.getServiceReferences(HealthIndicator.class, null));
        List<HealthIndicator> indicators = new ArrayList<>();
        try {
            refs.forEach(ref -> indicators.add(bundleContext.getService(ref)));
            print(HealthReport.of(indicators.stream().filter(java.util.Objects::nonNull).toList()), System.out);
        } finally {
            refs.forEach(bundleContext::ungetService);
        }
        return null;
    }

    static void print(HealthReport report, PrintStream out) {
        String failing = TerminalText.escape(String.join(", ", report.failing()));
        out.printf("Orrery %s%n", report.isUp() ? "UP" : "DOWN (failing: " + failing + ")");
        for (ComponentHealth c : report.components()) {
            out.printf("  %-10s %-4s %s%n", TerminalText.escape(c.component()), c.status(), details(c.details()));
        }
    }

    private static String details(Map<String, Object> details) {
        StringBuilder line = new StringBuilder();
        details.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> line.append(line.isEmpty() ? "" : ", ").append(TerminalText.escape(e.getKey()))
                        .append('=').append(TerminalText.escape(e.getValue())));
        return line.toString();
    }
}
