package io.orrery.camel.internal;

import org.apache.camel.component.jetty12.JettyHttpComponent12;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * The Jetty that serves the REST API: no {@code Server} version header, problem documents for what it refuses
 * itself, and TLS from the key store configured in {@code io.orrery.api} (plain HTTP when none is).
 */
final class ApiListener {

    private ApiListener() {
    }

    static JettyHttpComponent12 jetty(CamelRuntime.Config config) {
        JettyHttpComponent12 jetty = new JettyHttpComponent12();
        jetty.setSendServerVersion(false);
        jetty.setErrorHandler(new ProblemErrorHandler());
        if (!config.keystore().isBlank()) {
            jetty.setSslContextParameters(tls(config));
        }
        return jetty;
    }

    private static SSLContextParameters tls(CamelRuntime.Config config) {
        KeyStoreParameters store = new KeyStoreParameters();
        // Camel reads a resource without a scheme from the class path: the configured path is a file.
        store.setResource("file:" + config.keystore().trim());
        store.setPassword(config.keystorePassword());
        store.setType(config.keystoreType().isBlank() ? "PKCS12" : config.keystoreType().trim());
        KeyManagersParameters keys = new KeyManagersParameters();
        keys.setKeyStore(store);
        keys.setKeyPassword(config.keystorePassword());
        SSLContextParameters tls = new SSLContextParameters();
        tls.setKeyManagers(keys);
        return tls;
    }
}
