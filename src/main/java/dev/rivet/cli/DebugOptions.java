package dev.rivet.cli;

import dev.rivet.gdb.Debugger;
import dev.rivet.gdb.GdbServer;
import dev.rivet.gdb.Target;
import dev.rivet.trace.Tracer;
import java.io.IOException;
import java.net.InetSocketAddress;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The debugging options both front ends share: {@code --gdb}, {@code --gdb-wait}, {@code --trace},
 * {@code --trace-range}, added to each command's model by {@link #addTo} and read back by {@link #of}.
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

    private String gdb;
    private boolean gdbWait;
    private String trace;
    private String traceRange;

    private DebugOptions() {}

    /** Adds the options to a command's model. */
    static void addTo(CommandSpec spec) {
        Specs.option(spec, GDB, String.class, GDB_LABEL, GDB_HELP);
        Specs.flag(spec, GDB_WAIT, GDB_WAIT_HELP);
        Specs.option(spec, TRACE, String.class, TRACE_LABEL, TRACE_HELP);
        Specs.option(spec, TRACE_RANGE, String.class, TRACE_RANGE_LABEL, TRACE_RANGE_HELP);
    }

    /** The options as parsed ({@link #addTo}). */
    static DebugOptions of(CommandSpec spec) {
        DebugOptions d = new DebugOptions();
        d.gdb = Specs.value(spec, GDB, null);
        d.gdbWait = Specs.value(spec, GDB_WAIT, false);
        d.trace = Specs.value(spec, TRACE, null);
        d.traceRange = Specs.value(spec, TRACE_RANGE, null);
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
