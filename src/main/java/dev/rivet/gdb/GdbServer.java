package dev.rivet.gdb;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The GDB remote-protocol server ({@code --gdb [HOST:]PORT}): listens on 127.0.0.1 unless told
 * otherwise, serves one debugger at a time (a second connection is refused while one is
 * attached), and accepts a new one after a detach. Errors of a connection never reach the guest.
 */
public final class GdbServer implements AutoCloseable {
    private final Debugger debugger;
    private final Target target;
    private final PrintStream log;
    private final ServerSocket server;
    private final AtomicReference<Thread> session = new AtomicReference<>();

    /** Binds the listening socket now (so a bad address fails before the guest starts). */
    public GdbServer(Debugger debugger, Target target, InetSocketAddress address, PrintStream log) throws IOException {
        this.debugger = debugger;
        this.target = target;
        this.log = log;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(address, 1);
    }

    /**
     * Parses {@code --gdb}'s argument: {@code PORT} (on 127.0.0.1) or {@code HOST:PORT}.
     *
     * @throws IllegalArgumentException with a message for the user
     */
    public static InetSocketAddress parseAddress(String spec) {
        int colon = spec.lastIndexOf(':');
        String host = colon < 0 ? "127.0.0.1" : spec.substring(0, colon);
        String portText = colon < 0 ? spec : spec.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--gdb needs PORT or HOST:PORT, got '" + spec + "'");
        }
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--gdb port out of range: " + port);
        if (host.isEmpty()) throw new IllegalArgumentException("--gdb needs a host before ':' in '" + spec + "'");
        return new InetSocketAddress(host, port);
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return server.getLocalPort();
    }

    public InetAddress address() {
        return server.getInetAddress();
    }

    /** Starts accepting debuggers on a daemon thread. */
    public void start() {
        log.println("rivet: gdb: listening on " + server.getInetAddress().getHostAddress() + ":" + port());
        log.flush();
        Thread t = new Thread(this::acceptLoop, "gdb-accept");
        t.setDaemon(true);
        t.start();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
                s.setTcpNoDelay(true);
            } catch (IOException e) {
                return;
            }
            Thread active = session.get();
            if (active != null && active.isAlive()) {
                log.println("rivet: gdb: refusing a second debugger from " + s.getRemoteSocketAddress()
                        + " (one is attached)");
                closeQuietly(s);
                continue;
            }
            Thread t = new Thread(() -> new GdbSession(s, debugger, target, log).serve(), "gdb-session");
            t.setDaemon(true);
            session.set(t);
            t.start();
        }
    }

    /**
     * The guest ended: tells an attached debugger (W/X reply) and waits a little for it to take
     * the news and disconnect.
     */
    public void finish(int exitCode, int linuxSignal) {
        debugger.exited(exitCode, linuxSignal);
        Thread t = session.get();
        if (t == null) return;
        try {
            t.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closeQuietly(server);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // Closing is best effort.
        }
    }
}
