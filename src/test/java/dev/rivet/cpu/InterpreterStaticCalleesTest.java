package dev.rivet.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rivet.StaticCalls;
import org.junit.jupiter.api.Test;

/**
 * The interpreter's loop, and the method it calls for the less common instructions, call static
 * methods only of classes they initialize with themselves, so that HotSpot's compiled code never
 * meets a class it must initialize first (which would discard it).
 */
class InterpreterStaticCalleesTest {
    @Test
    void everyClassWhoseStaticMethodsTheLoopCallsIsInitializedWithTheInterpreter() throws Exception {
        assertThat(StaticCalls.names(Interpreter.STATIC_CALLEES))
                .isEqualTo(StaticCalls.owners(Interpreter.class, "loop"));
    }

    @Test
    void everyClassWhoseStaticMethodsTheUncommonInstructionsCallIsInitializedWithThem() throws Exception {
        assertThat(StaticCalls.names(UncommonOps.STATIC_CALLEES))
                .isEqualTo(StaticCalls.owners(UncommonOps.class, "execute"));
    }
}
