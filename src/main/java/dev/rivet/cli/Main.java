package dev.rivet.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rivet} command line: one subcommand per front end. */
@Command(name = "rivet", mixinStandardHelpOptions = true, version = "rivet 0.1.0",
        description = "A RISC-V virtual machine monitor in pure Java.",
        subcommands = {RunCommand.class, BootCommand.class, DemoCommand.class, ImageCommand.class})
public final class Main implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.err);
    }

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new Main());
        // Everything after the program name belongs to the guest, even words that look like options.
        cli.getSubcommands().get("run").setStopAtPositional(true);
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
