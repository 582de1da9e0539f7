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

    @Test
    void aBalloonWithoutASizeIsAnEmptyBalloon() throws Exception {
        // --balloon takes an optional size: alone, the command line is fine and the boot goes on
        // to its next problem (here the missing kernel), where "0 is not a size" stopped it before.
        RivetRunner.Result r = RivetRunner.run(60, "boot", "--balloon", "--bios", "none", "--kernel", "/nonexistent-kernel");
        assertThat(r.stderr()).doesNotContain("not a size").contains("nonexistent-kernel");
        RivetRunner.Result sized = RivetRunner.run(60, "boot", "--balloon=16M", "--bios", "none", "--kernel", "/nonexistent-kernel");
        assertThat(sized.stderr()).doesNotContain("not a size").contains("nonexistent-kernel");
        RivetRunner.Result bad = RivetRunner.run(60, "boot", "--balloon=12Q", "--bios", "none");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stderr()).contains("'12Q' is not a size");
    }
}
