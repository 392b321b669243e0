package io.orrery.engine.internal.verify;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Jars built by hand, as a tenant who skips the Emirax build would: any header, any entry, class files written
 * with ASM whose code, if it ever ran, would leave a marker file behind.
 */
public final class HostileJars {

    public static final String SCRIPT_BASE = "io/orrery/emirax/EmiraxScript";

    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Map<String, byte[]> entries = new LinkedHashMap<>();

    private HostileJars(String tenant, String symbolicName) {
        headers.put("Manifest-Version", "1.0");
        headers.put("Bundle-ManifestVersion", "2");
        headers.put("Bundle-SymbolicName", symbolicName);
        headers.put("Bundle-Version", "1.0.0");
        headers.put("Orrery-Tenant", tenant);
        headers.put("Import-Package", "groovy.lang,io.orrery.emirax");
    }

    public static HostileJars jar(String tenant, String symbolicName) {
        return new HostileJars(tenant, symbolicName);
    }

    /** A header set, or removed with null. */
    public HostileJars header(String name, String value) {
        if (value == null) {
            headers.remove(name);
        } else {
            headers.put(name, value);
        }
        return this;
    }

    public HostileJars entry(String name, byte[] content) {
        entries.put(name, content);
        return this;
    }

    /** A class file under its binary name, and named in Orrery-Emirax-Scripts when it is a script. */
    public HostileJars script(String binaryName, byte[] classFile) {
        String scripts = headers.get("Orrery-Emirax-Scripts");
        headers.put("Orrery-Emirax-Scripts", scripts == null ? binaryName : scripts + "," + binaryName);
        return entry(binaryName.replace('.', '/') + ".class", classFile);
    }

    public byte[] bytes() {
        var out = new ByteArrayOutputStream();
        try (var zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(SpooledJar.MANIFEST));
            zip.write(manifest(headers));
            for (var e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] manifest(Map<String, String> headers) {
        var m = new Manifest();
        headers.forEach((k, v) -> m.getMainAttributes().put(new Attributes.Name(k), v));
        var out = new ByteArrayOutputStream();
        try {
            m.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The jar with a second META-INF/MANIFEST.MF holding other headers, as a hand-edited zip would. */
    public static byte[] twoManifests(Map<String, String> first, Map<String, String> second) {
        var out = new ByteArrayOutputStream();
        try (var zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(SpooledJar.MANIFEST));
            zip.write(manifest(first));
            zip.putNextEntry(new ZipEntry("META-INF/MANIFEST.XX"));
            zip.write(manifest(second));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Renamed in place, in the local header and the central directory alike: the same length, the same zip.
        String text = new String(out.toByteArray(), StandardCharsets.ISO_8859_1);
        return text.replace("META-INF/MANIFEST.XX", SpooledJar.MANIFEST).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A BundleActivator whose start() creates the marker. */
    public static byte[] activator(String internalName, Path marker) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, internalName, null, "java/lang/Object",
                new String[] {"org/osgi/framework/BundleActivator"});
        constructor(cw, "java/lang/Object");
        MethodVisitor start = cw.visitMethod(Opcodes.ACC_PUBLIC, "start", "(Lorg/osgi/framework/BundleContext;)V",
                null, null);
        createMarker(start, marker);
        start.visitInsn(Opcodes.RETURN);
        start.visitMaxs(0, 0);
        MethodVisitor stop = cw.visitMethod(Opcodes.ACC_PUBLIC, "stop", "(Lorg/osgi/framework/BundleContext;)V",
                null, null);
        stop.visitInsn(Opcodes.RETURN);
        stop.visitMaxs(0, 0);
        return cw.toByteArray();
    }

    /** An Emirax script class whose static initializer creates the marker; its run() does nothing. */
    public static byte[] scriptWithStaticInitializer(String internalName, Path marker) {
        ClassWriter cw = script(internalName);
        MethodVisitor clinit = cw.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
        createMarker(clinit, marker);
        clinit.visitInsn(Opcodes.RETURN);
        clinit.visitMaxs(0, 0);
        run(cw, null);
        return cw.toByteArray();
    }

    /** An Emirax script class whose run() creates the marker: a script that does I/O when it is loaded. */
    public static byte[] scriptDoingIo(String internalName, Path marker) {
        ClassWriter cw = script(internalName);
        run(cw, marker);
        return cw.toByteArray();
    }

    /** An Emirax script class whose run() instantiates another class. */
    public static byte[] scriptInstantiating(String internalName, String other) {
        ClassWriter cw = script(internalName);
        MethodVisitor run = cw.visitMethod(Opcodes.ACC_PUBLIC, "run", "()Ljava/lang/Object;", null, null);
        run.visitTypeInsn(Opcodes.NEW, other);
        run.visitInsn(Opcodes.DUP);
        run.visitMethodInsn(Opcodes.INVOKESPECIAL, other, "<init>", "()V", false);
        run.visitInsn(Opcodes.ARETURN);
        run.visitMaxs(0, 0);
        return cw.toByteArray();
    }

    /** A script class of no harm at all, as far as its bytes go. */
    public static byte[] harmlessScript(String internalName) {
        ClassWriter cw = script(internalName);
        run(cw, null);
        return cw.toByteArray();
    }

    private static ClassWriter script(String internalName) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, internalName, null, SCRIPT_BASE, null);
        constructor(cw, SCRIPT_BASE);
        return cw;
    }

    private static void run(ClassWriter cw, Path marker) {
        MethodVisitor run = cw.visitMethod(Opcodes.ACC_PUBLIC, "run", "()Ljava/lang/Object;", null, null);
        // as the compiler opens every method: a script's run() that does not is refused as unstoppable
        run.visitMethodInsn(Opcodes.INVOKESTATIC, "io/orrery/emirax/sandbox/Checked", "checkpoint", "()V", false);
        if (marker != null) {
            createMarker(run, marker);
        }
        run.visitInsn(Opcodes.ACONST_NULL);
        run.visitInsn(Opcodes.ARETURN);
        run.visitMaxs(0, 0);
    }

    private static void constructor(ClassWriter cw, String superName) {
        MethodVisitor init = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, superName, "<init>", "()V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
    }

    // new java.io.File(marker).createNewFile()
    private static void createMarker(MethodVisitor mv, Path marker) {
        mv.visitTypeInsn(Opcodes.NEW, "java/io/File");
        mv.visitInsn(Opcodes.DUP);
        mv.visitLdcInsn(marker.toString());
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/io/File", "<init>", "(Ljava/lang/String;)V", false);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/io/File", "createNewFile", "()Z", false);
        mv.visitInsn(Opcodes.POP);
    }
}
