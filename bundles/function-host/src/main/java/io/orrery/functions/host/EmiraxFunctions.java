package io.orrery.functions.host;

import io.orrery.api.function.OrreryFunction;
import io.orrery.emirax.EmiraxLoader;
import io.orrery.emirax.EmiraxScript;
import io.orrery.emirax.FallbackClassLoader;
import java.util.Arrays;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.wiring.BundleWiring;

/**
 * The one place the host turns a tenant bundle's compiled Emirax scripts ({@value #SCRIPTS}) into their
 * {@code function} blocks, through the DSL's runtime and the bundle's own class loader. Workflows the scripts
 * declare are built too and dropped: rules run in the server's engine, never here.
 */
final class EmiraxFunctions {

    static final String SCRIPTS = "Orrery-Emirax-Scripts";

    private EmiraxFunctions() {
    }

    static List<OrreryFunction> of(Bundle bundle) {
        String header = bundle.getHeaders().get(SCRIPTS);
        if (header == null || header.isBlank()) {
            return List.of();
        }
        List<String> scripts = Arrays.stream(header.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        ClassLoader loader = bundle.adapt(BundleWiring.class).getClassLoader();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(new FallbackClassLoader(loader, EmiraxScript.class.getClassLoader()));
        try {
            return EmiraxLoader.load(loader, scripts).functions();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
