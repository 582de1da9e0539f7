package dev.rivet;

import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.Opcode;
import java.lang.classfile.instruction.InvokeInstruction;
import java.util.Set;
import java.util.TreeSet;

/** Reads a method's bytecode to list the classes whose static methods it calls. */
public final class StaticCalls {
    private StaticCalls() {}

    /**
     * The binary names of the classes, other than {@code type} itself and the JDK's, whose static
     * methods {@code type}'s method(s) named {@code method} call.
     */
    public static Set<String> owners(Class<?> type, String method) throws IOException {
        ClassModel model;
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
            model = ClassFile.of().parse(in.readAllBytes());
        }
        Set<String> owners = new TreeSet<>();
        boolean found = false;
        for (MethodModel m : model.methods()) {
            if (!m.methodName().equalsString(method)) continue;
            found = true;
            m.code().ifPresent(code -> code.forEach(e -> {
                if (e instanceof InvokeInstruction i && i.opcode() == Opcode.INVOKESTATIC) {
                    String owner = i.owner().asInternalName().replace('/', '.');
                    if (!owner.equals(type.getName()) && !owner.startsWith("java.")) owners.add(owner);
                }
            }));
        }
        if (!found) throw new IllegalArgumentException(type.getName() + " has no method " + method);
        return owners;
    }

    /** The binary names of {@code classes}. */
    public static Set<String> names(Iterable<Class<?>> classes) {
        Set<String> names = new TreeSet<>();
        for (Class<?> c : classes) names.add(c.getName());
        return names;
    }
}
