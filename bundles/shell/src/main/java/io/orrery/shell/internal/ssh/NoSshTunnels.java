package io.orrery.shell.internal.ssh;

import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Karaf's SSH server accepts every forwarding request (its filter is fixed, not configurable), so any shell user,
 * a viewer included, could tunnel to what the node serves on loopback: Hazelcast, the dev Kafka broker, the API
 * as 127.0.0.1. Karaf publishes the server as a service; this puts a filter on it that refuses every forwarding
 * (TCP both ways, agent, X11). The server asks its filter on each request, so the change holds for every session.
 */
@Component(immediate = true)
public class NoSshTunnels {

    private static final Logger LOG = LoggerFactory.getLogger(NoSshTunnels.class);

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindServer(SshServer server) {
        server.setForwardingFilter(RejectAllForwardingFilter.INSTANCE);
        LOG.info("SSH port, agent and X11 forwarding refused on the shell's SSH server (port {})", server.getPort());
    }

    void unbindServer(SshServer server) {
        // the server is going away; nothing to undo
    }
}
