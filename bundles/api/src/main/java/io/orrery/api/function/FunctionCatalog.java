package io.orrery.api.function;

import java.util.List;

/** The functions this node knows, with their pools and their counts on this node. */
public interface FunctionCatalog {

    /** Every function, by tenant (platform functions first) then name. */
    List<FunctionInfo> functions();

    /** The functions a tenant may call: its own and the platform's, by name. */
    List<FunctionInfo> functions(String tenant);
}
