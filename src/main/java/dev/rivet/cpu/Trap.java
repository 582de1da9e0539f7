package dev.rivet.cpu;

/**
 * Thrown to abandon the current instruction when it raises an exception. The cause and trap value
 * travel in the hart ({@link Hart#trapCause}, {@link Hart#trapValue}); the throwable carries no data
 * and no stack trace, so one shared instance serves every hart at no allocation cost.
 */
public final class Trap extends RuntimeException {
    public static final Trap INSTANCE = new Trap();

    private Trap() {
        super("guest trap", null, false, false);
    }
}
