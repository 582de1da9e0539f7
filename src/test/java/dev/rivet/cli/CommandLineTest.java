package dev.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rivet.RivetRunner;
import org.junit.jupiter.api.Test;

/**
 * The command line builds only the subcommand it names; without one (or with a wrong one) it
 * knows them all, so help and errors read as they would with every command built.
 */
class CommandLineTest {
    @Test
    void withoutACommandItListsThemAll() throws Exception {
        RivetRunner.Result r = RivetRunner.run(60);
        assertThat(r.exitCode()).isZero();
        assertThat(r.stderr()).contains("Usage: rivet [-hV] [COMMAND]")
                .containsPattern("(?m)^  run ").containsPattern("(?m)^  boot ")
                .containsPattern("(?m)^  demo ").containsPattern("(?m)^  image ");
    }

    @Test
    void aNamedCommandKeepsItsFullName() throws Exception {
        assertThat(RivetRunner.run(60, "run", "--help").stdout()).startsWith("Usage: rivet run ");
        assertThat(RivetRunner.run(60, "image").stderr()).startsWith("Usage: rivet image ");
        assertThat(RivetRunner.run(60, "boot", "--help").stdout()).startsWith("Usage: rivet boot ");
    }

    @Test
    void anUnknownCommandIsAUsageError() throws Exception {
        RivetRunner.Result r = RivetRunner.run(60, "runx");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("Unmatched argument at index 0: 'runx'").contains("Try 'rivet --help'.");
    }

    @Test
    void wordsAfterTheProgramBelongToIt() throws Exception {
        // "--stats" after the program name is the guest's argument, not Rivet's option: the
        // missing program is reported, not an unknown option.
        RivetRunner.Result r = RivetRunner.run(60, "run", "/nonexistent-program", "--stats");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.stderr()).contains("nonexistent-program").doesNotContain("Unknown option");
    }
}
