package dev.rivet.cli;

import dev.rivet.gdb.Debugger;
import dev.rivet.gdb.GdbServer;
import dev.rivet.gdb.Target;
import dev.rivet.trace.Tracer;
import java.io.IOException;
import java.net.InetSocketAddress;
import picocli.CommandLine.Option;

/** The debugging options both front ends share: {@code --gdb}, {@code --gdb-wait}, {@code --trace}, {@code --trace-range}. */
final class DebugOptions implements AutoCloseable {
    @Option(names = "--gdb", paramLabel = "[HOST:]PORT",
            description = "Serve the GDB remote protocol on PORT (127.0.0.1 unless HOST is given).")
    String gdb;

    @Option(names = "--gdb-wait", description = "Start halted until a debugger attaches and continues (needs --gdb).")
    boolean gdbWait;

    @Option(names = "--trace", paramLabel = "KIND[,KIND...][=FILE]",
            description = "Trace insn, syscall, trap, mmio (or all) to stderr or FILE.")
    String trace;

    @Option(names = "--trace-range", paramLabel = "LO-HI",
            description = "Trace only events whose pc lies in [LO, HI) (hex addresses).")
    String traceRange;

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
