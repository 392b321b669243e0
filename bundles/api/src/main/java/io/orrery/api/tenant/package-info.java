/**
 * Tenants and their credentials: the directory of tenants with their hashed API tokens and quotas, the
 * principal a bearer token authenticates as, and the port through which an uploaded tenant bundle is deployed.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.orrery.api.tenant;
