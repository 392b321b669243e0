package io.orrery.api.tenant;

/**
 * An uploaded tenant bundle that cannot be deployed: not a bundle, no {@code Orrery-Tenant} header, another
 * tenant's bundle, or workflows that fail to load. The message is the reason, meant for the uploader.
 */
public class BundleRejectedException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final String field;

    /** @param field what is wrong, e.g. {@code Orrery-Tenant} or {@code workflow encode-video}; may be null */
    public BundleRejectedException(String field, String reason) {
        super(reason);
        this.field = field;
    }

    public BundleRejectedException(String field, String reason, Throwable cause) {
        super(reason, cause);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
