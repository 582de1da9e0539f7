package dev.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rivet.RivetRunner;
import dev.rivet.RivetRunner.Result;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's start-up training program: it runs to its end, prints the same checksum
 * interpreted and translated, and its loops are translated, as the cache it trains is meant to
 * hold the translator's classes.
 */
class TrainingProgramTest {
    @TempDir
    Path dir;

    @Test
    void runsTheSameInterpretedAndTranslatedAndIsMostlyTranslated() throws Exception {
        Path program = dir.resolve("training.elf");
        TrainingProgram.main(new String[] {program.toString()});

        Result interpreted = RivetRunner.run(120, "run", "--jit", "off", program.toString());
        Result translated = RivetRunner.run(120, "run", "--stats", program.toString());

        assertThat(interpreted.exitCode()).isZero();
        assertThat(interpreted.stdout()).matches("[0-9a-f]{16}\n");
        assertThat(translated.exitCode()).isZero();
        assertThat(translated.stdout()).isEqualTo(interpreted.stdout());
        Matcher regions = Pattern.compile("jit: (\\d+) regions translated").matcher(translated.stderr());
        Matcher share = Pattern.compile("([\\d.]+)% of instructions ran in translated code").matcher(translated.stderr());
        assertThat(regions.find()).as(translated.stderr()).isTrue();
        assertThat(share.find()).as(translated.stderr()).isTrue();
        // Its three pages (loops in covering regions, a switch's page, the floating-point loop)
        // each translated: at least a region each. More come when a page's later starts get hot
        // before the program ends (five on an idle host), which a host busy with other tests
        // delays past its end (three in one run of the whole suite).
        assertThat(Integer.parseInt(regions.group(1))).isGreaterThanOrEqualTo(3);
        assertThat(Double.parseDouble(share.group(1))).isGreaterThan(90.0);
    }
}
