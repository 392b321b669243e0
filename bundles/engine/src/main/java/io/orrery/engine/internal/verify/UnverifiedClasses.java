package io.orrery.engine.internal.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;

/**
 * Rule classes may use each other, and classes from outside the bundle, but no other class of the bundle: those are
 * never verified (Java function classes and the classes of Emirax function blocks run in the function host), and
 * the bundle's class loader would load and initialise one the moment a rule touched it.
 */
final class UnverifiedClasses {

    private static final int CONSTANT_CLASS = 7;

    private UnverifiedClasses() {
    }

    /**
     * @param rules       binary name to class file of the rule classes (scripts and their closures)
     * @param bundleClass internal names of every class file in the bundle
     * @return one violation per rule class and unverified class it names
     */
    static List<String> referencedBy(Map<String, byte[]> rules, Set<String> bundleClass) {
        List<String> violations = new ArrayList<>();
        rules.forEach((name, bytes) -> {
            for (String ref : classConstants(bytes)) {
                String binary = ref.replace('/', '.');
                if (bundleClass.contains(ref) && !rules.containsKey(binary)) {
                    violations.add(name + ": refers to " + binary + ", a class of the bundle the server does not "
                            + "verify");
                }
            }
        });
        return violations;
    }

    // Every class a class can load goes through a CONSTANT_Class entry of its constant pool.
    private static List<String> classConstants(byte[] bytes) {
        List<String> names = new ArrayList<>();
        try {
            ClassReader reader = new ClassReader(bytes);
            char[] buffer = new char[reader.getMaxStringLength()];
            for (int i = 1; i < reader.getItemCount(); i++) {
                int offset = reader.getItem(i);
                if (offset > 0 && reader.readByte(offset - 1) == CONSTANT_CLASS) {
                    names.add(elementType(reader.readUTF8(offset, buffer)));
                }
            }
        } catch (RuntimeException e) {
            // An unreadable class file is the class check's to report.
        }
        return names;
    }

    private static String elementType(String name) {
        String n = name;
        while (n.startsWith("[")) {
            n = n.substring(1);
        }
        return n.startsWith("L") && n.endsWith(";") ? n.substring(1, n.length() - 1) : n;
    }
}
