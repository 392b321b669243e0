package io.orrery.api.function;

import java.util.Map;

/**
 * A compute function a workflow calls by name ({@code call 'media.encode', [...]}). Arguments and result are JSON
 * data: maps with string keys, lists, strings, numbers, booleans and nulls. Published as an OSGi service by tenant
 * bundles (with the service property {@code orrery.tenant}), or built from an Emirax {@code function} block.
 *
 * <p>A function may be called more than once for one call (retries after a timeout or a lost worker), so it
 * should be idempotent.
 */
public interface OrreryFunction {

    /** The name workflows call it by, e.g. {@code media.encode}. */
    String name();

    /** Runs the function. Throwing fails this attempt; the call's retry policy decides what happens next. */
    Map<String, Object> apply(Map<String, Object> args) throws Exception;
}
