package io.orrery.trace.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** The trace configuration as Config Admin would hand it: every attribute at its default but for those given. */
final class TraceConfig {

    private TraceConfig() {
    }

    static SpanRecording.Config with(Map<String, Object> values) {
        return (SpanRecording.Config) Proxy.newProxyInstance(SpanRecording.Config.class.getClassLoader(),
                new Class<?>[] {SpanRecording.Config.class}, (proxy, method, args) ->
                        method.getName().equals("annotationType") ? SpanRecording.Config.class
                                : values.getOrDefault(method.getName(), method.getDefaultValue()));
    }
}
