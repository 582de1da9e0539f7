package dev.rivet.cpu;

import dev.rivet.jit.Jit;
import dev.rivet.jit.JitConfig;

/**
 * The execution mode of the CPU tests: {@code -Drivet.jit=on} runs every test hart with the
 * translator in eager mode (every block translated on first entry, synchronously), so the whole
 * CPU suite checks translated code against the same expectations as the interpreter.
 */
public final class JitMode {
    private JitMode() {}

    private static final Jit EAGER = new Jit(JitConfig.eager());

    public static boolean on() {
        return "on".equals(System.getProperty("rivet.jit"));
    }

    /** Attaches the eager translator to {@code h} when the tests run in translated mode. */
    public static void apply(Hart h) {
        if (on()) EAGER.attach(h);
    }
}
