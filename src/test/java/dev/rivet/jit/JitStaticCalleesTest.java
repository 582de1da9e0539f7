package dev.rivet.jit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rivet.StaticCalls;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The dispatcher calls static methods only of classes it initializes with itself (as the interpreter). */
class JitStaticCalleesTest {
    @Test
    void everyClassWhoseStaticMethodsTheDispatcherCallsIsInitializedWithIt() throws Exception {
        Set<String> owners = new TreeSet<>();
        for (String method : new String[] {"execute", "runRegions", "callNested"}) {
            owners.addAll(StaticCalls.owners(Jit.class, method));
        }
        assertThat(new TreeSet<>(StaticCalls.names(Jit.STATIC_CALLEES))).isEqualTo(owners);
    }
}
