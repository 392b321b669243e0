package io.orrery.emirax.dsl;

import io.orrery.api.engine.FactView;
import java.util.Map;

/** The delegate of a {@code match { ... }} block: the facts, read-only by convention. */
public class MatchScope {

    private final FactView facts;

    public MatchScope(FactView facts) {
        this.facts = facts;
    }

    /** The instance's input, merged from every request for its key. */
    public Map<String, Object> getInput() {
        return facts.input();
    }

    /** What the reactions wrote. */
    public Map<String, Object> getState() {
        return facts.state();
    }

    /** What {@code complete} published; empty before. */
    public Map<String, Object> getOutput() {
        return facts.output();
    }

    /** The instance's business key. */
    public String getKey() {
        return facts.key();
    }
}
