package io.orrery.api.tenant;

/** A tenant with this name exists already. */
public class TenantExistsException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public TenantExistsException(String name) {
        super("tenant: '" + name + "' exists already");
    }
}
