/**
 * Starting Hazelcast members the way an Orrery node does: {@link io.orrery.cluster.MemberSettings} and
 * {@link io.orrery.cluster.ClusterMembers}, for tests and tools that need members of their own.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.orrery.cluster;
