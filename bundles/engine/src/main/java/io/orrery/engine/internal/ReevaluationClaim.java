package io.orrery.engine.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One deployment's re-evaluation of the stored instances, as nodes claim it: the tenant, the workflow, its version
 * and a digest of its rules (name, salience and fingerprint of each), so a definition changed under the same version
 * is another claim, while the same bundle installed on every node is one.
 */
public record ReevaluationClaim(String tenant, String workflow, int version, String rules) {

    private static final String SEPARATOR = "/";

    public static ReevaluationClaim of(DeployedWorkflow wf) {
        StringBuilder text = new StringBuilder();
        wf.definition().rules().forEach(r -> text.append(r.name()).append('\n').append(r.salience()).append('\n')
                .append(r.fingerprint()).append('\n'));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return new ReevaluationClaim(wf.tenant(), wf.name(), wf.version(), HexFormat.of().formatHex(digest, 0, 12));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses {@link #key()}. */
    public static ReevaluationClaim parse(String key) {
        String[] parts = key.split(SEPARATOR, -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not a re-evaluation claim: " + key);
        }
        return new ReevaluationClaim(parts[0], parts[1], Integer.parseInt(parts[2]), parts[3]);
    }

    /** The claim's key in the cluster: the workflow's prefix, then version and rules. */
    public String key() {
        return prefix(tenant, workflow) + version + SEPARATOR + rules;
    }

    /** The prefix of every claim of a workflow. */
    public static String prefix(String tenant, String workflow) {
        return tenant + SEPARATOR + workflow + SEPARATOR;
    }
}
