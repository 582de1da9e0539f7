package dev.rivet.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rivet.StaticCalls;
import org.junit.jupiter.api.Test;

/**
 * The interpreter's loop calls static methods only of classes it initializes with itself, so that
 * HotSpot's compiled loop never meets a class it must initialize first (which would discard it).
 */
class InterpreterStaticCalleesTest {
    @Test
    void everyClassWhoseStaticMethodsTheLoopCallsIsInitializedWithTheInterpreter() throws Exception {
        assertThat(StaticCalls.names(Interpreter.STATIC_CALLEES))
                .isEqualTo(StaticCalls.owners(Interpreter.class, "loop"));
    }
}
