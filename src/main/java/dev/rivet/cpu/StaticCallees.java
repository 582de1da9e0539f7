package dev.rivet.cpu;

import java.lang.invoke.MethodHandles;
import java.util.List;

/**
 * Initializes the classes whose static methods a hot loop calls, before HotSpot compiles the loop:
 * C2 compiles a call to a static method of a class not yet initialized as a trap, which throws the
 * compiled loop away the first time it is taken (see {@link Interpreter#STATIC_CALLEES}).
 */
public final class StaticCallees {
    private StaticCallees() {}

    /** Runs the static initializers of {@code classes} (each at most once, as the JVM does); they must be public or in this package. */
    public static void initialize(List<Class<?>> classes) {
        try {
            for (Class<?> c : classes) MethodHandles.lookup().ensureInitialized(c);
        } catch (IllegalAccessException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
