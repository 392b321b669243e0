package io.orrery.emirax.maven;

import io.orrery.emirax.CompileProblem;
import io.orrery.emirax.EmiraxCompileException;
import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;

/**
 * Compiles a tenant project's Emirax sources ({@code src/main/emirax/**}{@code /*.groovy}) ahead of time into the
 * project's classes and gives maven-bundle-plugin, which packages them later in the same build, the headers of a
 * tenant bundle: {@code Orrery-Tenant}, {@code Orrery-Workflows} (name;version=N), {@code Orrery-Emirax-Scripts}
 * and {@code Orrery-Emirax-Functions}; and it moves the project's Java functions (DS components) from
 * {@code Service-Component} to {@code Orrery-Function-Components}, which only the tenant's function host runs. A
 * source that does not compile, or whose workflows cannot be built, fails
 * the build with file, line and message.
 *
 * <p>The headers reach maven-bundle-plugin as {@code BNDExtension-<header>} project properties, so the tenant's
 * bundle configuration needs nothing for them; the same headers are written to
 * {@code target/emirax/emirax.bnd} for builds that package with bnd directly ({@code -include}).
 */
@Mojo(name = "compile", defaultPhase = LifecyclePhase.PROCESS_CLASSES,
        requiresDependencyResolution = ResolutionScope.COMPILE, threadSafe = true)
public class CompileMojo extends AbstractMojo {

    /** maven-bundle-plugin appends a project property named so to the instruction after the prefix. */
    static final String BND_EXTENSION = "BNDExtension-";

    /** The tenant this bundle deploys into; the server refuses it for any other tenant. */
    @Parameter(property = "emirax.tenant", required = true)
    private String tenant;

    /** Where the Emirax sources are. */
    @Parameter(defaultValue = "${project.basedir}/src/main/emirax")
    private File sourceDirectory;

    /** Where the compiled classes go: the project's classes, which maven-bundle-plugin packages. */
    @Parameter(defaultValue = "${project.build.outputDirectory}")
    private File outputDirectory;

    /** The plugin's own files: the bnd file with the headers and the list of classes it generated. */
    @Parameter(defaultValue = "${project.build.directory}/emirax")
    private File workDirectory;

    /**
     * The package of the compiled scripts whose source declares none; by default {@code emirax.<tenant>.internal},
     * which maven-bundle-plugin keeps private.
     */
    @Parameter
    private String scriptPackage;

    /** Skips compiling (the headers are not set either). */
    @Parameter(property = "emirax.skip", defaultValue = "false")
    private boolean skip;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Emirax: skipped");
            return;
        }
        try (URLClassLoader loader = projectLoader()) {
            var build = new EmiraxBuild(project.getBasedir().toPath(), sourceDirectory.toPath(),
                    outputDirectory.toPath(), workDirectory.toPath(), loader);
            EmiraxBuild.Result result = build.run(tenant, scriptPackage == null
                    ? ScriptPackage.forTenant(tenant) : new ScriptPackage(scriptPackage));
            publish(result.headers().asMap());
            String workflows = result.headers().asMap().getOrDefault(TenantHeaders.WORKFLOWS, "none");
            getLog().info("Emirax: " + result.sources() + " source(s), " + result.classes() + " class(es) for tenant "
                    + tenant + "; workflows " + workflows);
        } catch (EmiraxCompileException e) {
            for (CompileProblem p : e.problems()) {
                getLog().error(located(p));
            }
            throw new MojoFailureException(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException("Emirax: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new MojoExecutionException("Emirax: " + e, e);
        }
    }

    private void publish(Map<String, String> headers) {
        headers.forEach((name, value) -> project.getProperties().setProperty(BND_EXTENSION + name, value));
        TenantHeaders.FUNCTION_COMPONENTS.forEach((name, value) ->
                project.getProperties().setProperty(BND_EXTENSION + name, value));
    }

    // Absolute paths, like the Java compiler's, so IDEs and terminals link them.
    private String located(CompileProblem p) {
        Path file = project.getBasedir().toPath().resolve(p.file());
        return file + ":" + p.line() + ":" + p.column() + ": " + p.message();
    }

    /** The project's compile class path in front of the plugin's own (DSL, Groovy, API come from the plugin). */
    private URLClassLoader projectLoader() throws MojoExecutionException {
        try {
            List<URL> urls = new ArrayList<>();
            for (String element : project.getCompileClasspathElements()) {
                urls.add(new File(element).toURI().toURL());
            }
            return new URLClassLoader("emirax-project", urls.toArray(URL[]::new), getClass().getClassLoader());
        } catch (DependencyResolutionRequiredException | MalformedURLException e) {
            throw new MojoExecutionException("Emirax: cannot build the project's class path: " + e.getMessage(), e);
        }
    }
}
