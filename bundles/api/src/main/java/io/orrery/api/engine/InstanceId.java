package io.orrery.api.engine;

import java.util.Objects;

/** An instance's identity: the tenant, the workflow's name, and the business key (a video id). */
public record InstanceId(String tenant, String workflow, String key) {

    public InstanceId {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(workflow, "workflow");
        Objects.requireNonNull(key, "key");
    }

    /** {@code tenant/workflow/key}, the form logs and the shell print. */
    @Override
    public String toString() {
        return tenant + "/" + workflow + "/" + key;
    }
}
