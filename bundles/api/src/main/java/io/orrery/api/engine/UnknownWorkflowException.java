package io.orrery.api.engine;

/** A request named a workflow that the tenant has not deployed. */
public class UnknownWorkflowException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public UnknownWorkflowException(String tenant, String workflow) {
        super("workflow: '" + workflow + "' is not deployed for tenant " + tenant);
    }
}
