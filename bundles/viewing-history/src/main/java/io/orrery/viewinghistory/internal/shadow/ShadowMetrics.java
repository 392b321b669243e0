package io.orrery.viewinghistory.internal.shadow;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * The last shadow validation's figures as gauges: {@code orrery.viewinghistory.shadow.compared} and
 * {@code orrery.viewinghistory.shadow.mismatches}, each tagged {@code kind=entry|bookmark}.
 */
public final class ShadowMetrics {

    private ShadowMetrics() {
    }

    public static List<Meter> register(MeterRegistry registry, ShadowValidator validator) {
        return List.of(
                gauge(registry, validator, "compared", "entry", r -> r.entriesCompared()),
                gauge(registry, validator, "compared", "bookmark", r -> r.bookmarksCompared()),
                gauge(registry, validator, "mismatches", "entry", r -> r.entryMismatches()),
                gauge(registry, validator, "mismatches", "bookmark", r -> r.bookmarkMismatches()));
    }

    private static Meter gauge(MeterRegistry registry, ShadowValidator validator, String name, String kind,
                               java.util.function.ToLongFunction<ShadowReport> figure) {
        return Gauge.builder("orrery.viewinghistory.shadow." + name, validator, v -> figure.applyAsLong(v.last()))
                .tag("kind", kind)
                .description(name.equals("compared") ? "Keys compared by the last shadow validation"
                        : "Keys the two stores of shadow mode disagreed on at the last validation")
                .register(registry);
    }
}
