package io.orrery.engine.internal.extender;

import io.orrery.api.tenant.BundleRejectedException;
import io.orrery.engine.internal.verify.InstalledContent;
import io.orrery.engine.internal.verify.TenantBundleVerifier;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.hooks.resolver.ResolverHook;
import org.osgi.framework.hooks.resolver.ResolverHookFactory;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Keeps every tenant bundle (one with {@code Orrery-Tenant}) unresolvable until the revision the framework holds
 * has passed the {@link TenantBundleVerifier}, however it was installed: an unresolved bundle has no class loader,
 * so nothing in it can be loaded, initialised or started. Each revision is verified on the thread that installed
 * or updated it, as the framework reports it, from the headers the framework parsed and the entries it will read.
 * A bundle uploaded over REST (its location names the tenant) must name the uploader's tenant.
 */
final class TenantBundleGate implements ResolverHookFactory, SynchronousBundleListener {

    private static final Logger LOG = LoggerFactory.getLogger(TenantBundleGate.class);

    private final BundleContext context;
    private final TenantBundleVerifier verifier;
    private final Outcomes outcomes;
    // Revisions, not bundles: an update makes a new revision that must be verified again.
    private final Map<BundleRevision, Optional<BundleRejectedException>> verdicts = new WeakHashMap<>();
    private ServiceRegistration<ResolverHookFactory> registration;

    /** What the gate tells of each revision it verified, on the thread that installed or updated it. */
    interface Outcomes {

        void verified(Bundle bundle);

        /** @param updated the bundle had an earlier revision, which may still be serving */
        void refused(Bundle bundle, BundleRejectedException reason, boolean updated);
    }

    TenantBundleGate(BundleContext context, TenantBundleVerifier verifier, Outcomes outcomes) {
        this.context = context;
        this.verifier = verifier;
        this.outcomes = outcomes;
    }

    /** Starts guarding, and verifies the tenant bundles installed before. */
    TenantBundleGate open() {
        registration = context.registerService(ResolverHookFactory.class, this, null);
        context.addBundleListener(this);
        for (Bundle b : context.getBundles()) {
            if (isTenantBundle(b) && b.getState() != Bundle.UNINSTALLED && verdict(b).isEmpty()) {
                verify(b, false);
            }
        }
        return this;
    }

    void close() {
        try {
            context.removeBundleListener(this);
            registration.unregister();
        } catch (IllegalStateException e) {
            LOG.debug("framework already stopping");
        }
    }

    /**
     * The verdict on the bundle's current revision: empty before it was verified, else empty-or-the-refusal.
     */
    synchronized Optional<Optional<BundleRejectedException>> verdict(Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        return revision == null ? Optional.empty() : Optional.ofNullable(verdicts.get(revision));
    }

    /** True when the bundle's current revision passed verification. */
    boolean verified(Bundle bundle) {
        return verdict(bundle).map(Optional::isEmpty).orElse(false);
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if ((event.getType() == BundleEvent.INSTALLED || event.getType() == BundleEvent.UPDATED)
                && isTenantBundle(event.getBundle())) {
            verify(event.getBundle(), event.getType() == BundleEvent.UPDATED);
        }
    }

    private void verify(Bundle bundle, boolean updated) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        String tenant = TenantBundleTracking.tenantOf(bundle);
        String previousMdc = MDC.get("tenant");
        MDC.put("tenant", tenant);
        Optional<BundleRejectedException> outcome;
        try {
            verifier.verify(new InstalledContent(bundle), uploader(bundle.getLocation()));
            outcome = Optional.empty();
            LOG.info("tenant bundle {} {} [{}] verified", bundle.getSymbolicName(), bundle.getVersion(),
                    bundle.getBundleId());
        } catch (BundleRejectedException e) {
            outcome = Optional.of(e);
            LOG.warn("tenant bundle {} {} [{}] refused: {}", bundle.getSymbolicName(), bundle.getVersion(),
                    bundle.getBundleId(), e.getMessage());
        } catch (RuntimeException e) {
            outcome = Optional.of(new BundleRejectedException("bundle", "cannot verify the bundle: " + e, e));
            LOG.error("tenant bundle {} [{}] could not be verified", bundle.getSymbolicName(), bundle.getBundleId(), e);
        } finally {
            restoreMdc(previousMdc);
        }
        synchronized (this) {
            verdicts.put(revision, outcome);
        }
        if (outcome.isPresent()) {
            outcomes.refused(bundle, outcome.get(), updated);
        } else {
            outcomes.verified(bundle);
        }
    }

    /** The tenant a REST upload was made for, from its location; null for bundles an administrator installed. */
    static String uploader(String location) {
        if (location == null || !location.startsWith(UploadedBundleDeployer.LOCATION_PREFIX)) {
            return null;
        }
        String rest = location.substring(UploadedBundleDeployer.LOCATION_PREFIX.length());
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    /** A bundle naming a tenant, or uploaded by one: an upload that drops the header is still the tenant's. */
    static boolean isTenantBundle(Bundle bundle) {
        return bundle.getHeaders("").get(TenantBundleVerifier.TENANT) != null || uploader(bundle.getLocation()) != null;
    }

    @Override
    public ResolverHook begin(Collection<BundleRevision> triggers) {
        return new ResolverHook() {
            @Override
            public void filterResolvable(Collection<BundleRevision> candidates) {
                candidates.removeIf(TenantBundleGate.this::heldBack);
            }

            @Override
            public void filterSingletonCollisions(BundleCapability singleton,
                                                  Collection<BundleCapability> collisionCandidates) {
                // Singletons are not the gate's concern.
            }

            @Override
            public void filterMatches(BundleRequirement requirement, Collection<BundleCapability> candidates) {
                // Only resolvability is: a verified tenant bundle imports from the allowed packages only.
            }

            @Override
            public void end() {
                // Nothing held between resolutions.
            }
        };
    }

    private synchronized boolean heldBack(BundleRevision revision) {
        if (!isTenantBundle(revision.getBundle())) {
            return false;
        }
        Optional<BundleRejectedException> v = verdicts.get(revision);
        return v == null || v.isPresent();
    }

    private static void restoreMdc(String previous) {
        if (previous == null) {
            MDC.remove("tenant");
        } else {
            MDC.put("tenant", previous);
        }
    }
}
