package dev.rivet.gdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rivet.gdb.PacketReader.Ack;
import dev.rivet.gdb.PacketReader.Corrupt;
import dev.rivet.gdb.PacketReader.Event;
import dev.rivet.gdb.PacketReader.Interrupt;
import dev.rivet.gdb.PacketReader.Nak;
import dev.rivet.gdb.PacketReader.Packet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Packet framing, checksums, escaping, hex, and the byte-stream reader, including malformed input. */
class PacketsTest {
    private static List<Event> read(PacketReader r, String bytes) {
        byte[] b = bytes.getBytes(StandardCharsets.ISO_8859_1);
        return r.feed(b, b.length);
    }

    @Test
    void checksumIsTheByteSumModulo256() {
        assertThat(Packets.checksum("")).isZero();
        assertThat(Packets.checksum("OK")).isEqualTo(0x9a);
        assertThat(Packets.checksum("qSupported")).isEqualTo(0x37);
        assertThat(new String(Packets.frame("OK"), StandardCharsets.ISO_8859_1)).isEqualTo("$OK#9a");
    }

    @Test
    void framingEscapesTheReservedCharacters() {
        assertThat(Packets.escape("a#b$c}d*e")).isEqualTo("a}\u0003b}\u0004c}]d}\ne");
        assertThat(Packets.escape("plain")).isSameAs("plain");
        String framed = new String(Packets.frame("x*"), StandardCharsets.ISO_8859_1);
        assertThat(framed).isEqualTo("$x}\n#" + String.format("%02x", Packets.checksum("x}\n")));
        assertThat(Packets.unescape("a}\u0003b}\u0004c}]d}\ne")).isEqualTo("a#b$c}d*e".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> Packets.unescape("abc}")).isInstanceOf(Packets.Malformed.class);
    }

    @Test
    void hexNumbersBytesAndRegisterValues() {
        assertThat(Packets.parseHex("80000000")).isEqualTo(0x80000000L);
        assertThat(Packets.parseHex("ffffffffffffffff")).isEqualTo(-1L);
        assertThat(Packets.parseHex("DeadBeef")).isEqualTo(0xdeadbeefL);
        assertThatThrownBy(() -> Packets.parseHex("")).isInstanceOf(Packets.Malformed.class);
        assertThatThrownBy(() -> Packets.parseHex("12g4")).isInstanceOf(Packets.Malformed.class);
        assertThatThrownBy(() -> Packets.parseHex("1ffffffffffffffff")).isInstanceOf(Packets.Malformed.class);
        assertThatThrownBy(() -> Packets.parseHexInt("100000000")).isInstanceOf(Packets.Malformed.class);
        assertThat(Packets.toHex(new byte[] {0, 15, (byte) 0xab})).isEqualTo("000fab");
        assertThat(Packets.fromHex("000fAB")).containsExactly(0, 15, 0xab);
        assertThatThrownBy(() -> Packets.fromHex("abc")).isInstanceOf(Packets.Malformed.class);
        assertThat(Packets.littleEndianHex(0x80000016L, 8)).isEqualTo("1600008000000000");
        assertThat(Packets.littleEndianHex(0x1f, 4)).isEqualTo("1f000000");
        assertThat(Packets.parseLittleEndian("1600008000000000")).isEqualTo(0x80000016L);
        assertThatThrownBy(() -> Packets.parseLittleEndian("")).isInstanceOf(Packets.Malformed.class);
        assertThatThrownBy(() -> Packets.parseLittleEndian("001122334455667788")).isInstanceOf(Packets.Malformed.class);
    }

    @Test
    void readerSplitsPacketsAcksAndInterrupts() {
        PacketReader r = new PacketReader();
        assertThat(read(r, "+$qSupported#37-\u0003$OK#9a")).containsExactly(
                new Ack(), new Packet("qSupported"), new Nak(), new Interrupt(), new Packet("OK"));
    }

    @Test
    void readerAssemblesPacketsArrivingByteByByte() {
        PacketReader r = new PacketReader();
        List<Event> events = new ArrayList<>();
        for (char c : "$m80000000,4#".toCharArray()) events.addAll(read(r, String.valueOf(c)));
        assertThat(events).isEmpty();
        String sum = String.format("%02x", Packets.checksum("m80000000,4"));
        events.addAll(read(r, sum.substring(0, 1)));
        assertThat(events).isEmpty();
        events.addAll(read(r, sum.substring(1)));
        assertThat(events).containsExactly(new Packet("m80000000,4"));
    }

    @Test
    void readerKeepsEscapesAndInterruptBytesInsidePacketsAsData() {
        PacketReader r = new PacketReader();
        String data = "X1000,1:}\u0003";
        assertThat(read(r, "$" + data + "#" + String.format("%02x", Packets.checksum(data))))
                .containsExactly(new Packet(data));
        String withCtrlC = "X1000,1:\u0003";
        assertThat(read(r, "$" + withCtrlC + "#" + String.format("%02x", Packets.checksum(withCtrlC))))
                .containsExactly(new Packet(withCtrlC));
    }

    @Test
    void readerReportsCorruptPacketsAndRecovers() {
        PacketReader r = new PacketReader();
        assertThat(read(r, "$g#00")).singleElement().isInstanceOf(Corrupt.class);
        assertThat(read(r, "$g#zz")).singleElement().isInstanceOf(Corrupt.class);
        assertThat(read(r, "$g#6")).isEmpty();
        assertThat(read(r, "q")).singleElement().isInstanceOf(Corrupt.class);
        // A packet cut short by the start of another: the first is lost, the second arrives.
        assertThat(read(r, "$mfoo$g#67")).containsExactly(new Corrupt("packet interrupted by a new one"), new Packet("g"));
        // Noise between packets means nothing.
        assertThat(read(r, "hello world#$?#3f")).containsExactly(new Packet("?"));
    }

    @Test
    void readerRejectsOversizedPacketsWithoutGrowingWithoutBound() {
        PacketReader r = new PacketReader();
        StringBuilder big = new StringBuilder("$");
        big.append("a".repeat(PacketReader.MAX_PACKET + 10)).append("#00");
        List<Event> events = read(r, big.toString());
        assertThat(events).singleElement().isInstanceOf(Corrupt.class);
        assertThat(read(r, "$?#3f")).containsExactly(new Packet("?"));
    }

    @Test
    void signalNumbersFollowGdbsNumberingNotLinuxs() {
        assertThat(GdbSignals.fromLinux(11)).isEqualTo(11); // SIGSEGV
        assertThat(GdbSignals.fromLinux(10)).isEqualTo(30); // SIGUSR1
        assertThat(GdbSignals.fromLinux(7)).isEqualTo(10); // SIGBUS
        assertThat(GdbSignals.fromLinux(17)).isEqualTo(20); // SIGCHLD
        assertThat(GdbSignals.fromLinux(34)).isEqualTo(46); // SIGRTMIN+2 = GDB_SIGNAL_REALTIME_34
        for (int sig = 1; sig <= 64; sig++) {
            if (sig != 16) assertThat(GdbSignals.toLinux(GdbSignals.fromLinux(sig))).as("signal %d", sig).isEqualTo(sig);
        }
        assertThat(GdbSignals.toLinux(0)).isZero();
        assertThat(GdbSignals.toLinux(7)).isZero(); // GDB_SIGNAL_EMT: Linux has none
    }

    @Test
    void stopRepliesNameTheThreadPcAndWatchAddress() {
        dev.rivet.cpu.Hart hart = new dev.rivet.cpu.Hart(0, new dev.rivet.linux.AddressSpace(
                new dev.rivet.linux.MemoryBudget(1 << 20)), dev.rivet.cpu.Clock.host(), true);
        hart.pc = 0x10554;
        Debugger d = new Debugger(false);
        DebugThread t = d.register(0x2a, hart, () -> { }, () -> false);
        assertThat(StopEvent.signal(t, 11).reply()).isEqualTo("T0bthread:2a;20:5405010000000000;");
        assertThat(StopEvent.trap(t, "watch", 0x12345).reply()).endsWith(";watch:12345;");
        assertThat(StopEvent.trap(t, "swbreak", 0).reply()).endsWith(";swbreak:;");
    }
}
