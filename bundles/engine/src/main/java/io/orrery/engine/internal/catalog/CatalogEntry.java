package io.orrery.engine.internal.catalog;

/**
 * One tenant bundle as the catalog holds it (without its bytes).
 *
 * @param revision grows with every deploy and undeploy of the name: a node that applied it has nothing to do
 * @param deployed false once undeployed (the entry stays, so nodes that were down remove the bundle too)
 */
public record CatalogEntry(String tenant, String symbolicName, String version, String digest, long revision,
                           boolean deployed) {

    /** The entry's key among the node's applied revisions. */
    public String key() {
        return tenant + "/" + symbolicName;
    }
}
