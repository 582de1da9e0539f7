package dev.rivet.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Helpers for the command-line models built by picocli's calls rather than from annotations
 * ({@code run} and {@code boot}, whose start they shorten: see {@link RunCommand}): declaring
 * options, and reading what the parse left in them.
 */
final class CommandSpecs {
    private CommandSpecs() {}

    /** An option with a value of {@code type}, shown as {@code label}. */
    static void option(CommandSpec spec, String name, Class<?> type, String label, String description) {
        spec.addOption(OptionSpec.builder(name).paramLabel(label).type(type).description(description).build());
    }

    /** A repeatable option, its values collected in a list of strings. */
    static void listOption(CommandSpec spec, String[] names, String label, String description) {
        spec.addOption(OptionSpec.builder(names).paramLabel(label).type(java.util.List.class).auxiliaryTypes(String.class)
                .description(description).build());
    }

    /** An option without a value: true when given. */
    static void flag(CommandSpec spec, String name, String description) {
        spec.addOption(OptionSpec.builder(name).type(boolean.class).description(description).build());
    }

    /** -h/--help and -V/--version, as picocli's mixinStandardHelpOptions gives annotated commands. */
    static void standardHelpOptions(CommandSpec spec) {
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("Show this help message and exit.").build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
                .description("Print version information and exit.").build());
    }

    /** The value the parse left in {@code option} (by its longest name), or {@code otherwise}. */
    static <T> T value(CommandSpec spec, String option, T otherwise) {
        return orElse(spec.findOption(option).getValue(), otherwise);
    }

    static <T> T orElse(T value, T otherwise) {
        return value == null ? otherwise : value;
    }
}
