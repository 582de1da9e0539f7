package dev.rivet.dev.virtio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** virtio-console with its host side on a Unix socket and in a file. */
class VirtioConsoleTest {
    @TempDir
    Path dir;

    @Test
    void bytesFlowBothWaysThroughAUnixSocket() throws Exception {
        VirtioConsole console = new VirtioConsole();
        TestDriver d = new TestDriver(console, false).start(-1L, 16);
        Path sock = dir.resolve("console.sock");
        console.connect(ConsoleEndpoint.parse("unix:" + sock));
        try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
            // Input waits until the guest posts a receive buffer.
            client.write(ByteBuffer.wrap("from host".getBytes(StandardCharsets.US_ASCII)));
            Thread.sleep(200);
            TestDriver.Buf rx = d.buffer(64);
            d.submit(VirtioConsole.RX, List.of(), List.of(rx));
            TestDriver.Used u = null;
            for (int i = 0; i < 100 && u == null; i++) {
                u = d.poll(VirtioConsole.RX);
                if (u == null) Thread.sleep(20);
            }
            assertThat(u).isNotNull();
            assertThat(new String(d.contents(rx), 0, u.len(), StandardCharsets.US_ASCII)).isEqualTo("from host");
            d.submit(VirtioConsole.TX, List.of(d.buffer("from guest\n".getBytes(StandardCharsets.US_ASCII))), List.of());
            assertThat(d.poll(VirtioConsole.TX)).isNotNull();
            InputStream in = Channels.newInputStream(client);
            assertThat(new String(in.readNBytes(11), StandardCharsets.US_ASCII)).isEqualTo("from guest\n");
        } finally {
            console.close();
        }
    }

    @Test
    void outputCanGoToAFile() throws Exception {
        VirtioConsole console = new VirtioConsole();
        TestDriver d = new TestDriver(console, false).start(-1L, 16);
        Path log = dir.resolve("hvc.log");
        console.connect(ConsoleEndpoint.parse("file:" + log));
        d.submit(VirtioConsole.TX, List.of(d.buffer("logged".getBytes(StandardCharsets.US_ASCII))), List.of());
        console.close();
        assertThat(Files.readString(log)).isEqualTo("logged");
    }
}
