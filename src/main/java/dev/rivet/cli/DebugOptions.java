package dev.rivet.cli;

import dev.rivet.gdb.Debugger;
import dev.rivet.gdb.GdbServer;
import dev.rivet.gdb.Target;
import dev.rivet.trace.Tracer;
import java.io.IOException;
import java.net.InetSocketAddress;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The debugging options both front ends share: {@code --gdb}, {@code --gdb-wait}, {@code --trace},
 * {@code --trace-range}. {@code boot} declares them by annotations (a mixin), {@code run} by calls
 * ({@link #addTo}, see {@link RunCommand}); both from the same names and texts.
 */
final class DebugOptions implements AutoCloseable {
    private static final String GDB = "--gdb", GDB_LABEL = "[HOST:]PORT",
            GDB_HELP = "Serve the GDB remote protocol on PORT (127.0.0.1 unless HOST is given).";
    private static final String GDB_WAIT = "--gdb-wait",
            GDB_WAIT_HELP = "Start halted until a debugger attaches and continues (needs --gdb).";
    private static final String TRACE = "--trace", TRACE_LABEL = "KIND[,KIND...][=FILE]",
            TRACE_HELP = "Trace insn, syscall, trap, mmio (or all) to stderr or FILE.";
    private static final String TRACE_RANGE = "--trace-range", TRACE_RANGE_LABEL = "LO-HI",
            TRACE_RANGE_HELP = "Trace only events whose pc lies in [LO, HI) (hex addresses).";

    @Option(names = GDB, paramLabel = GDB_LABEL, description = GDB_HELP)
    String gdb;

    @Option(names = GDB_WAIT, description = GDB_WAIT_HELP)
    boolean gdbWait;

    @Option(names = TRACE, paramLabel = TRACE_LABEL, description = TRACE_HELP)
    String trace;

    @Option(names = TRACE_RANGE, paramLabel = TRACE_RANGE_LABEL, description = TRACE_RANGE_HELP)
    String traceRange;

    /** Adds the options to a command built by calls. */
    static void addTo(CommandSpec spec) {
        spec.addOption(OptionSpec.builder(GDB).paramLabel(GDB_LABEL).type(String.class).description(GDB_HELP).build());
        spec.addOption(OptionSpec.builder(GDB_WAIT).type(boolean.class).description(GDB_WAIT_HELP).build());
        spec.addOption(OptionSpec.builder(TRACE).paramLabel(TRACE_LABEL).type(String.class).description(TRACE_HELP).build());
        spec.addOption(OptionSpec.builder(TRACE_RANGE).paramLabel(TRACE_RANGE_LABEL).type(String.class)
                .description(TRACE_RANGE_HELP).build());
    }

    /** The options as parsed for a command built by calls ({@link #addTo}). */
    static DebugOptions of(CommandSpec spec) {
        DebugOptions d = new DebugOptions();
        d.gdb = spec.findOption(GDB).getValue();
        d.gdbWait = Boolean.TRUE.equals(spec.findOption(GDB_WAIT).getValue());
        d.trace = spec.findOption(TRACE).getValue();
        d.traceRange = spec.findOption(TRACE_RANGE).getValue();
        return d;
    }

    Debugger debugger;
    Tracer tracer;
    private InetSocketAddress address;
    private GdbServer server;

    /** Checks the options and creates the debugger and tracer; returns an error message or null. */
    String prepare() {
        if (gdbWait && gdb == null) return "--gdb-wait needs --gdb PORT";
        if (traceRange != null && trace == null) return "--trace-range needs --trace";
        try {
            if (gdb != null) {
                address = GdbServer.parseAddress(gdb);
                debugger = new Debugger(gdbWait);
            }
            if (trace != null) tracer = Tracer.open(trace, traceRange, System.err);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        } catch (IOException e) {
            return "--trace: cannot write " + e.getMessage();
        }
        return null;
    }

    boolean active() {
        return debugger != null || tracer != null;
    }

    /** Starts listening for debuggers of {@code target}; returns an error message or null. */
    String listen(Target target) {
        if (debugger == null) return null;
        try {
            server = new GdbServer(debugger, target, address, System.err);
        } catch (IOException e) {
            return "--gdb: cannot listen on " + address + ": " + e.getMessage();
        }
        server.start();
        return null;
    }

    /** The guest ended with an exit code or (non-zero) signal: tell an attached debugger. */
    void finish(int exitCode, int signal) {
        if (server != null) server.finish(exitCode, signal);
    }

    @Override
    public void close() {
        if (server != null) server.close();
        if (tracer != null) tracer.close();
    }
}
