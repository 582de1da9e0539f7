package dev.rivet.jit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rivet.StaticCalls;
import org.junit.jupiter.api.Test;

/** The dispatcher calls static methods only of classes it initializes with itself (as the interpreter). */
class JitStaticCalleesTest {
    @Test
    void everyClassWhoseStaticMethodsExecuteCallsIsInitializedWithTheDispatcher() throws Exception {
        assertThat(StaticCalls.names(Jit.STATIC_CALLEES)).isEqualTo(StaticCalls.owners(Jit.class, "execute"));
    }
}
