package io.orrery.viewinghistory.internal;

import io.orrery.viewinghistory.internal.node.ViewingHistoryConfig;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/** {@code io.orrery.viewinghistory} as DS would give it: each attribute's default unless set here. */
public final class NodeConfig {

    private NodeConfig() {
    }

    public static ViewingHistoryConfig of(Map<String, Object> settings) {
        Map<String, Object> values = new HashMap<>(settings);
        return (ViewingHistoryConfig) Proxy.newProxyInstance(ViewingHistoryConfig.class.getClassLoader(),
                new Class<?>[] {ViewingHistoryConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return ViewingHistoryConfig.class;
                    }
                    if (method.getDefaultValue() == null) {
                        return method.getName().equals("hashCode") ? System.identityHashCode(proxy)
                                : method.getName().equals("equals") ? proxy == args[0] : "config";
                    }
                    return values.getOrDefault(method.getName(), method.getDefaultValue());
                });
    }
}
