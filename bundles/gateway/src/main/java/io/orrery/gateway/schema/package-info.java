/**
 * The JSON shapes of the REST API's bodies and answers. The gateway serialises these records, and the OpenAPI
 * document at {@code /api/v1/openapi.json} describes them; exported so that the Camel runtime can load them when
 * it generates that document.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.orrery.gateway.schema;
