package dev.rivet.gdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * One debugger connection: a reader thread turns the socket's bytes into events, and the session
 * thread answers packets in order, interleaved with the target's stop and exit events (all-stop
 * mode: while the target runs only Ctrl-C is expected). Any failure of the connection ends the
 * session and detaches, so the guest goes on.
 */
final class GdbSession implements Debugger.Listener {
    /** The target ended; carries the W/X reply. */
    private record Exit(String reply) {}

    /** The connection closed (or failed). */
    private record Closed() {}

    private final Socket socket;
    private final Debugger debugger;
    private final Target target;
    private final PrintStream log;
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final Commands commands;
    private OutputStream out;
    private boolean ackMode = true;
    private byte[] lastFrame;
    /** A resume is outstanding: the next stop event gets a stop reply. */
    boolean running;
    /** The session ends after the current packet (k, D). */
    boolean ending;

    GdbSession(Socket socket, Debugger debugger, Target target, PrintStream log) {
        this.socket = socket;
        this.debugger = debugger;
        this.target = target;
        this.log = log;
        this.commands = new Commands(this, debugger, target);
    }

    /** Serves the connection until it closes, the debugger detaches or kills, or the guest ends. */
    void serve() {
        if (!debugger.attach(this)) {
            log.println("rivet: gdb: refusing a second debugger from " + socket.getRemoteSocketAddress());
            close();
            return;
        }
        try {
            out = socket.getOutputStream();
            startReader(socket.getInputStream());
            debugger.awaitHalted(5000, GdbSignals.TRAP);
            loop();
        } catch (IOException | InterruptedException e) {
            // The connection went away: detach below and let the guest go on.
        } finally {
            debugger.detach(this);
            close();
        }
    }

    private void loop() throws IOException, InterruptedException {
        while (!ending) {
            Object ev = inbox.take();
            switch (ev) {
                case Closed c -> { return; }
                case PacketReader.Ack a -> { }
                case PacketReader.Nak n -> {
                    if (ackMode && lastFrame != null) writeRaw(lastFrame);
                }
                case PacketReader.Corrupt c -> {
                    if (ackMode) writeRaw(new byte[] {'-'});
                }
                case PacketReader.Interrupt i -> {
                    if (running && debugger.interrupt()) {
                        running = false;
                        send(debugger.awaitHalted(2000, GdbSignals.INT).reply());
                    }
                }
                case StopEvent e -> {
                    if (running) {
                        running = false;
                        debugger.awaitHalted(2000, GdbSignals.TRAP);
                        send(e.reply());
                    }
                }
                case Exit x -> {
                    running = false;
                    send(x.reply());
                }
                case PacketReader.Packet p -> {
                    if (ackMode) writeRaw(new byte[] {'+'});
                    String reply = commands.handle(p.data());
                    if (reply != null) send(reply);
                }
                default -> { }
            }
        }
    }

    private void startReader(InputStream in) {
        Thread t = new Thread(() -> {
            PacketReader reader = new PacketReader();
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) > 0) inbox.addAll(reader.feed(buf, n));
            } catch (IOException e) {
                // Closed under us: same as end of stream.
            }
            inbox.add(new Closed());
        }, "gdb-reader");
        t.setDaemon(true);
        t.start();
    }

    void send(String data) throws IOException {
        byte[] frame = Packets.frame(data);
        lastFrame = frame;
        writeRaw(frame);
    }

    private void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends OK to QStartNoAckMode, then stops acknowledging. */
    void startNoAckMode() throws IOException {
        send("OK");
        ackMode = false;
    }

    @Override
    public void stopped(StopEvent e) {
        inbox.add(e);
    }

    @Override
    public void exited(String reply) {
        inbox.add(new Exit(reply));
    }

    private void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing more to say to it.
        }
    }
}
