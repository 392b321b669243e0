package io.orrery.gateway.schema;

import java.util.List;

/** A page of instances; {@code next} is the cursor of the next page, null on the last. */
public record InstancePage(List<InstanceSummary> items, String next) { }
