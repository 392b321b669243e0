package io.orrery.api.function;

import java.util.List;
import java.util.Optional;

/**
 * The function host processes of this node's tenants as they are now, for operators: read without holding up any
 * call, so a listing may be a moment behind a host that is starting or ending.
 */
public interface FunctionHostDirectory {

    /** Every tenant with function hosts on this node, by name. */
    List<TenantHostsView> tenants();

    /** One tenant's hosts; empty when it has none on this node. */
    Optional<TenantHostsView> tenant(String tenant);
}
