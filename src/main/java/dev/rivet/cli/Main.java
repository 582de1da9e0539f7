package dev.rivet.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The {@code rivet} command line: one subcommand per front end. The root, {@code run} and
 * {@code boot} are built by calls, the other commands from their annotations (see {@link RunCommand} why).
 */
public final class Main implements Runnable {
    static final String VERSION = "rivet 0.1.0";
    /**
     * The subcommands, in the order help lists them. picocli builds the model of each (its
     * options, by reflection) when it is added, which took a tenth of a second for all of them at
     * start-up; a command line that names one gets only that one.
     */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = new LinkedHashMap<>();
    static {
        SUBCOMMANDS.put("run", () -> new RunCommand().spec());
        SUBCOMMANDS.put("boot", () -> new BootCommand().spec());
        SUBCOMMANDS.put("demo", DemoCommand::new);
        SUBCOMMANDS.put("image", ImageCommand::new);
    }

    private final CommandSpec spec = CommandSpec.wrapWithoutInspection(this);

    private Main() {
        spec.name("rivet").version(VERSION);
        spec.usageMessage().description("A RISC-V virtual machine monitor in pure Java.");
        addStandardHelpOptions(spec);
    }

    /** -h/--help and -V/--version, as picocli's mixinStandardHelpOptions gives annotated commands. */
    static void addStandardHelpOptions(CommandSpec spec) {
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("Show this help message and exit.").build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
                .description("Print version information and exit.").build());
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new Main().spec);
        Supplier<Object> named = args.length > 0 ? SUBCOMMANDS.get(args[0]) : null;
        if (named != null) cli.addSubcommand(args[0], named.get());
        else SUBCOMMANDS.forEach((name, command) -> cli.addSubcommand(name, command.get()));
        // Everything after the program name belongs to the guest, even words that look like options.
        if (cli.getSubcommands().containsKey("run")) cli.getSubcommands().get("run").setStopAtPositional(true);
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            System.err.println("rivet: " + ex.getMessage());
            if (System.getenv("RIVET_DEBUG") != null) ex.printStackTrace();
            return 70;
        });
        cli.setParameterExceptionHandler((ex, args2) -> {
            System.err.println("rivet: " + ex.getMessage());
            System.err.println("Try 'rivet " + (ex.getCommandLine().getCommandName().equals("rivet") ? "" : ex.getCommandLine().getCommandName() + " ") + "--help'.");
            return 2;
        });
        System.exit(cli.execute(args));
    }
}
