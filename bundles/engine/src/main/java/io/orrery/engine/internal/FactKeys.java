package io.orrery.engine.internal;

import java.util.Collection;

/** Intersection of dependency keys ({@code s:chunks}, {@code i:source}, {@code o:*}) with changed keys. */
final class FactKeys {

    private FactKeys() {
    }

    static boolean intersects(Collection<String> reads, Collection<String> changed) {
        for (String r : reads) {
            for (String c : changed) {
                if (r.equals(c) || wildcardCovers(r, c) || wildcardCovers(c, r)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean wildcardCovers(String wildcard, String key) {
        return wildcard.length() == 3 && wildcard.endsWith(":*") && key.charAt(0) == wildcard.charAt(0);
    }
}
