package io.orrery.api.trace;

/** A started span: attributes and a failure may be added until it is closed, which ends it. */
public interface TraceSpan extends AutoCloseable {

    /** The span's own context: hand it to what this span causes (queue messages, child spans). */
    TraceContext context();

    TraceSpan attribute(String key, String value);

    /** Names the span's tenant once it is known: a request's, after its token was checked. */
    TraceSpan tenant(String tenant);

    /** Marks the span failed, with the failure's kind and a message. */
    TraceSpan failed(FailureKind kind, String message);

    /** Ends the span; closing it again does nothing. */
    @Override
    void close();

    /** A span that records nothing but still carries a context. */
    static TraceSpan detached(TraceContext context) {
        return new TraceSpan() {
            @Override
            public TraceContext context() {
                return context;
            }

            @Override
            public TraceSpan attribute(String key, String value) {
                return this;
            }

            @Override
            public TraceSpan tenant(String tenant) {
                return this;
            }

            @Override
            public TraceSpan failed(FailureKind kind, String message) {
                return this;
            }

            @Override
            public void close() {
            }
        };
    }
}
