package dev.rivet.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Helpers for the commands whose picocli model is built by calls instead of from annotations
 * ({@code run}, {@code boot}; see {@link RunCommand} why): declaring an option, and reading its
 * parsed value back.
 */
final class Specs {
    private Specs() {}

    /** An option with a value of {@code type}, shown as {@code label} in the help. */
    static void option(CommandSpec spec, String name, Class<?> type, String label, String description) {
        spec.addOption(OptionSpec.builder(name).paramLabel(label).type(type).description(description).build());
    }

    /**
     * An option naming a host file or directory. Converted by {@code Path.of} directly: picocli's
     * own conversion to a {@code Path} finds {@code Paths.get} by reflection, whose first call in
     * a cold JVM builds its invoker.
     */
    static void path(CommandSpec spec, String name, String label, String description) {
        spec.addOption(OptionSpec.builder(name).paramLabel(label).type(Path.class).converters(Path::of)
                .description(description).build());
    }

    /** A repeatable option, each occurrence a string added to a list. */
    static void repeatable(CommandSpec spec, String name, String label, String description) {
        spec.addOption(OptionSpec.builder(name).paramLabel(label).type(List.class).auxiliaryTypes(String.class)
                .description(description).build());
    }

    /** An option whose value is a size in bytes ("256M"; see {@link SizeConverter}), shown as SIZE. */
    static void size(CommandSpec spec, String description, String... names) {
        spec.addOption(OptionSpec.builder(names).paramLabel("SIZE").type(long.class).converters(new SizeConverter())
                .description(description).build());
    }

    /** An option without a value. */
    static void flag(CommandSpec spec, String name, String description) {
        spec.addOption(OptionSpec.builder(name).type(boolean.class).description(description).build());
    }

    /** {@code --jit on|off}, the same in both front ends. */
    static void jit(CommandSpec spec) {
        spec.addOption(OptionSpec.builder("--jit").paramLabel("on|off").type(OnOff.class).defaultValue("on")
                .description("Translate hot guest code to JVM bytecode (default: ${DEFAULT-VALUE}).").build());
    }

    /** The parsed value of option {@code name}, or {@code otherwise} if the command line had none. */
    static <T> T value(CommandSpec spec, String name, T otherwise) {
        T value = spec.findOption(name).getValue();
        return value == null ? otherwise : value;
    }
}
