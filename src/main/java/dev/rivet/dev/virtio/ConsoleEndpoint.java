package dev.rivet.dev.virtio;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The host side of a {@link VirtioConsole}, from a {@code --console2} specification:
 * <ul>
 *   <li>{@code tcp:[HOST:]PORT}: a server on HOST (default 127.0.0.1); one client at a time talks
 *       to the guest's /dev/hvc0 (e.g. {@code nc 127.0.0.1 PORT}); output without a client is dropped.
 *   <li>{@code unix:PATH}: the same on a Unix domain socket (e.g. {@code socat - UNIX-CONNECT:PATH}).
 *   <li>{@code file:PATH}: guest output appended to PATH; no input.
 * </ul>
 */
public abstract class ConsoleEndpoint implements AutoCloseable {
    /** Starts feeding {@code console}; called once. */
    abstract void start(VirtioConsole console);

    @Override
    public abstract void close();

    /** Parses a {@code --console2} value. */
    public static ConsoleEndpoint parse(String spec) throws IOException {
        if (spec.startsWith("file:")) return new ToFile(Path.of(spec.substring(5)));
        if (spec.startsWith("unix:")) {
            Path p = Path.of(spec.substring(5));
            Files.deleteIfExists(p);
            ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            s.bind(UnixDomainSocketAddress.of(p));
            return new Server(s, spec);
        }
        if (spec.startsWith("tcp:")) {
            String a = spec.substring(4);
            int colon = a.lastIndexOf(':');
            String host = colon < 0 ? "127.0.0.1" : a.substring(0, colon);
            int port;
            try {
                port = Integer.parseInt(a.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IOException("--console2: bad port in '" + spec + "'");
            }
            ServerSocketChannel s = ServerSocketChannel.open();
            s.bind(new InetSocketAddress(host, port));
            return new Server(s, spec);
        }
        throw new IOException("--console2 must be tcp:[HOST:]PORT, unix:PATH or file:PATH, not '" + spec + "'");
    }

    /** Output appended to a file. */
    static final class ToFile extends ConsoleEndpoint {
        private final OutputStream out;

        ToFile(Path p) throws IOException {
            out = Files.newOutputStream(p, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }

        @Override
        void start(VirtioConsole console) {
            console.output(out);
        }

        @Override
        public void close() {
            try {
                out.close();
            } catch (IOException ignored) {
                // nothing left to do
            }
        }
    }

    /** A listening socket: clients one after another, each bridged both ways. */
    static final class Server extends ConsoleEndpoint {
        private final ServerSocketChannel server;
        private final String name;

        Server(ServerSocketChannel server, String name) {
            this.server = server;
            this.name = name;
        }

        @Override
        void start(VirtioConsole console) {
            Thread t = new Thread(() -> serve(console), "console2 " + name);
            t.setDaemon(true);
            t.start();
        }

        private void serve(VirtioConsole console) {
            while (server.isOpen()) {
                try (SocketChannel client = server.accept()) {
                    console.output(Channels.newOutputStream(client));
                    InputStream in = Channels.newInputStream(client);
                    byte[] buf = new byte[4096];
                    int n;
                    while ((n = in.read(buf)) > 0) console.receive(buf, 0, n);
                } catch (IOException e) {
                    // client gone, or the server closed: accept the next one, or stop
                } catch (InterruptedException e) {
                    return;
                } finally {
                    console.output(null);
                }
            }
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException ignored) {
                // nothing left to do
            }
        }
    }
}
