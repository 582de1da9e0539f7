package dev.rivet.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * The stub against a hand-written client: malformed and unsupported packets get the protocol's
 * error or empty replies, a second debugger is refused, and a debugger that disappears mid-step
 * leaves a guest that goes on, ready for the next debugger.
 */
class RawProtocolTest {
    @TempDir
    static Path dir;
    static Path bare;
    static Map<String, Long> symbols;

    @BeforeAll
    static void build() throws Exception {
        GdbTools.assumeTools();
        bare = GdbTools.compileBare(dir);
        Process nm = new ProcessBuilder("riscv64-linux-gnu-nm", bare.toString()).start();
        symbols = new String(nm.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .map(l -> l.split(" ")).filter(f -> f.length == 3)
                .collect(Collectors.toMap(f -> f[2], f -> Long.parseUnsignedLong(f[0], 16), (a, b) -> a));
        nm.waitFor(30, TimeUnit.SECONDS);
    }

    /** A minimal remote-protocol client in ack mode. */
    static final class Client implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        Client(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(20_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        void sendRaw(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        void send(String data) throws IOException {
            out.write(Packets.frame(data));
            out.flush();
        }

        /** The next byte that is not an ack. */
        int next() throws IOException {
            int b;
            do {
                b = in.read();
            } while (b == '+');
            return b;
        }

        /** Reads a reply packet (checking its checksum) and acknowledges it. */
        String reply() throws IOException {
            int b = next();
            if (b != '$') throw new AssertionError("expected a packet, got " + b);
            StringBuilder data = new StringBuilder();
            while ((b = in.read()) != '#') data.append((char) b);
            int sum = Integer.parseInt("" + (char) in.read() + (char) in.read(), 16);
            assertThat(sum).isEqualTo(Packets.checksum(data.toString()));
            sendRaw("+");
            return data.toString();
        }

        String request(String data) throws IOException {
            send(data);
            return reply();
        }

        /** Sends {@code data} framed as it is, without escaping (for binary payloads escaped by hand). */
        String rawRequest(String data) throws IOException {
            sendRaw("$" + data + "#" + String.format("%02x", Packets.checksum(data)));
            return reply();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void answersMalformedAndUnsupportedPacketsWithErrorsAndKeepsServing() throws Exception {
        try (GdbTools.Rivet r = GdbTools.start(dir, "boot", "--bios", "none", "--kernel", bare.toString(),
                "--gdb", "0", "--gdb-wait");
             Client c = new Client(r.port())) {
            assertThat(c.request("qSupported:multiprocess+;swbreak+")).contains("PacketSize=4000", "qXfer:features:read+",
                    "QStartNoAckMode+", "vContSupported+");
            assertThat(c.request("?")).startsWith("T05thread:1;");
            // A damaged packet is asked for again.
            c.sendRaw("$g#00");
            assertThat(c.next()).isEqualTo('-');
            c.sendRaw("$m80000000,4#zz");
            assertThat(c.next()).isEqualTo('-');
            // Noise outside packets is skipped.
            c.sendRaw("garbage without a dollar ");
            assertThat(c.request("m80000000,4")).matches("[0-9a-f]{8}");
            assertThat(c.request("mzz,4")).isEqualTo("E01");
            assertThat(c.request("m80000000")).isEqualTo("E01");
            assertThat(c.request("m80000000,1ffffffffffffffff")).isEqualTo("E01");
            assertThat(c.request("m10000000,4")).isEqualTo("E14"); // a device: never read by the debugger
            assertThat(c.request("p2000")).isEqualTo("E01");
            assertThat(c.request("p")).isEqualTo("E01");
            assertThat(c.request("P20=zz")).isEqualTo("E01");
            assertThat(c.request("G1234")).isEqualTo("E01");
            assertThat(c.request("X80000000,2:a")).isEqualTo("E01");
            assertThat(c.request("M80000000,1:")).isEqualTo("E01");
            assertThat(c.request("Z9,80000000,4")).isEmpty();
            assertThat(c.request("Z2,80000000,0")).isEqualTo("E01");
            assertThat(c.request("Z0,zz,4")).isEqualTo("E01");
            assertThat(c.request("Hg99")).isEqualTo("E01");
            assertThat(c.request("T99")).isEqualTo("E01");
            assertThat(c.request("vCont;x")).isEqualTo("E01");
            assertThat(c.request("qXfer:features:read:other.xml:0,100")).isEqualTo("E00");
            assertThat(c.request("qRcmd,zz")).isEqualTo("E01");
            assertThat(c.request("qNoSuchQuery")).isEmpty();
            assertThat(c.request("")).isEmpty();
            // Registers and memory still work: write x5, read it back; write memory, read it back.
            assertThat(c.request("P5=efbeadde00000000")).isEqualTo("OK");
            assertThat(c.request("p5")).isEqualTo("efbeadde00000000");
            long word = symbols.get("data_word");
            assertThat(c.rawRequest("X" + Long.toHexString(word) + ",4:}\u0003")).isEqualTo("E01");
            assertThat(c.rawRequest("X" + Long.toHexString(word) + ",1:}")).isEqualTo("E01");
            assertThat(c.rawRequest("X" + Long.toHexString(word) + ",4:}\u0003}\u0004}\u0003}\n")).isEqualTo("OK");
            assertThat(c.request("m" + Long.toHexString(word) + ",4")).isEqualTo("2324232a");
            // The target description is well-formed XML with the three RISC-V features.
            String xml = readXml(c);
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
            assertThat(doc.getElementsByTagName("feature").getLength()).isEqualTo(4);
            assertThat(xml).contains("org.gnu.gdb.riscv.cpu", "org.gnu.gdb.riscv.fpu", "org.gnu.gdb.riscv.csr",
                    "name=\"mstatus\"", "regnum=\"833\"");
            // No-ack mode: no more '+' from the stub.
            assertThat(c.request("QStartNoAckMode")).isEqualTo("OK");
            c.send("qAttached");
            assertThat(c.in.read()).isEqualTo('$');
        }
    }

    private static String readXml(Client c) throws IOException {
        StringBuilder xml = new StringBuilder();
        while (true) {
            String part = c.request("qXfer:features:read:target.xml:" + Integer.toHexString(xml.length()) + ",200");
            xml.append(part.substring(1));
            if (part.startsWith("l")) return xml.toString();
            assertThat(part).startsWith("m");
        }
    }

    @Test
    void refusesASecondDebuggerAndSurvivesOneThatVanishesMidStep() throws Exception {
        try (GdbTools.Rivet r = GdbTools.start(dir, "boot", "--bios", "none", "--kernel", bare.toString(),
                "--gdb", "0", "--gdb-wait")) {
            long spin = symbols.get("spin");
            try (Client first = new Client(r.port())) {
                assertThat(first.request("?")).startsWith("T05");
                try (Client second = new Client(r.port())) {
                    second.send("?");
                    int b;
                    try {
                        b = second.in.read();
                    } catch (SocketTimeoutException | java.net.SocketException e) {
                        b = -1;
                    }
                    assertThat(b).isEqualTo(-1);
                }
                assertThat(r.process().awaitStderr(java.util.regex.Pattern.compile("refusing a second debugger"), 10)).isNotNull();
                // The first is unaffected; it sets a breakpoint where the program will spin, runs
                // to it, starts a single step and disappears without waiting for the answer.
                assertThat(first.request("Z0," + Long.toHexString(spin) + ",4")).isEqualTo("OK");
                assertThat(first.request("c")).startsWith("T05");
                // The program's own count (100 million rounds) is over in a fraction of a second
                // in translated code: make the spin outlast the test (s2 is x18).
                assertThat(first.request(String.format("P12=%016x", Long.reverseBytes(1L << 40)))).isEqualTo("OK");
                first.send("vCont;s:1");
            }
            // The guest goes on without the breakpoint: a new debugger finds it spinning, lets it finish.
            Thread.sleep(300);
            try (Client next = new Client(r.port())) {
                String stop = next.request("?");
                assertThat(stop).startsWith("T05thread:1;");
                long pc = Long.reverseBytes(Long.parseUnsignedLong(stop.substring(stop.indexOf("20:") + 3, stop.indexOf("20:") + 19), 16));
                assertThat(pc).isBetween(spin, symbols.get("pass"));
                assertThat(next.request("M" + Long.toHexString(symbols.get("data_word")) + ",8:0700000000000000")).isEqualTo("OK");
                next.send("c");
                assertThat(next.reply()).isEqualTo("W00");
            }
            assertThat(r.process().waitFor(30)).isEqualTo(0);
        }
    }
}
