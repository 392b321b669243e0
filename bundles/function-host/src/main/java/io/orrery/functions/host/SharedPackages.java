package io.orrery.functions.host;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

/**
 * The packages the host's class path shares with the bundles in its framework: the Orrery API, the Emirax DSL,
 * Groovy and SLF4J, exported by the system bundle with the versions their own manifests declare. Sharing them (instead of
 * installing them as bundles) lets the host's own code call the tenant's functions and build its Emirax functions
 * with the very classes the tenant's bundle is wired to.
 */
final class SharedPackages {

    static final Set<String> SHARED = Set.of("orrery-api", "orrery-emirax-dsl", "groovy", "slf4j.api");

    private SharedPackages() {
    }

    /** The value for {@code org.osgi.framework.system.packages.extra}. */
    static String fromClassPath() throws IOException {
        List<String> exports = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            File file = new File(entry);
            if (!file.isFile()) {
                continue;
            }
            try (JarFile jar = new JarFile(file, false)) {
                if (jar.getManifest() == null) {
                    continue;
                }
                Attributes main = jar.getManifest().getMainAttributes();
                String name = main.getValue("Bundle-SymbolicName");
                String export = main.getValue("Export-Package");
                if (name != null && export != null && SHARED.contains(name.split(";")[0].trim())) {
                    exports.add(export);
                }
            }
        }
        if (exports.size() != SHARED.size()) {
            throw new IllegalStateException("the host's class path must hold " + SHARED + "; found " + exports.size());
        }
        return String.join(",", exports);
    }
}
