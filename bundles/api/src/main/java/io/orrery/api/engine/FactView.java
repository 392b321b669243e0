package io.orrery.api.engine;

import java.util.Map;

/**
 * The facts a rule's match reads: {@code input} (merged from every request), {@code state} (what reactions wrote)
 * and {@code output} (what {@code complete} published, empty before). All are JSON data.
 */
public interface FactView {

    String workflow();

    /** The instance's business key. */
    String key();

    Map<String, Object> input();

    Map<String, Object> state();

    Map<String, Object> output();
}
