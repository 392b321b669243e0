package io.orrery.api.tenant;

/** No tenant has this name. */
public class UnknownTenantException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public UnknownTenantException(String name) {
        super("tenant: no tenant named '" + name + "'");
    }
}
