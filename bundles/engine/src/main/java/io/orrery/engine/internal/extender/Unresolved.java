package io.orrery.engine.internal.extender;

import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Namespace;

/** Why a bundle did not resolve, for the uploader: the mandatory requirements nothing in the container provides. */
final class Unresolved {

    private Unresolved() {
    }

    static String describe(BundleContext context, Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        if (revision == null) {
            return "the bundle is gone";
        }
        FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
        List<String> missing = new ArrayList<>();
        for (BundleRequirement r : revision.getDeclaredRequirements(null)) {
            boolean optional = Namespace.RESOLUTION_OPTIONAL.equals(
                    r.getDirectives().get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE));
            if (!optional && wiring.findProviders(r).isEmpty()) {
                missing.add(r.getNamespace() + " " + r.getDirectives().getOrDefault("filter", ""));
            }
        }
        return missing.isEmpty() ? "the framework could not resolve it" : "nothing provides " + String.join(", ",
                missing);
    }
}
