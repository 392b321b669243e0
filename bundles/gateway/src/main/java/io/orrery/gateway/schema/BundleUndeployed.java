package io.orrery.gateway.schema;

/** The 200 answer of a bundle undeploy: the bundle is being removed from every node of the cluster. */
public record BundleUndeployed(String tenant, String symbolicName, boolean undeployed) { }
