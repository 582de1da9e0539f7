package dev.rivet.gdb;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits the byte stream from a debugger into protocol events: packets whose checksum holds,
 * corrupt packets (bad checksum, bad checksum digits, oversized), acknowledgements, and the
 * out-of-band interrupt byte 0x03. Bytes outside a packet that mean nothing are skipped, so a
 * noisy connection cannot desynchronise the reader for longer than one packet.
 */
public final class PacketReader {
    /** One thing the debugger sent. */
    public sealed interface Event permits Packet, Corrupt, Ack, Nak, Interrupt {}

    /** A well-formed packet's data (still escaped, as ISO-8859-1 text). */
    public record Packet(String data) implements Event {}

    /** A packet that failed to frame; the reader asks for retransmission in ack mode. */
    public record Corrupt(String reason) implements Event {}

    /** {@code +}: the last reply arrived. */
    public record Ack() implements Event {}

    /** {@code -}: the last reply arrived damaged and must be sent again. */
    public record Nak() implements Event {}

    /** Ctrl-C: stop the running target. */
    public record Interrupt() implements Event {}

    /** Longest packet data accepted; gdb never sends more than the PacketSize we announce. */
    static final int MAX_PACKET = 1 << 20;

    private enum State { IDLE, DATA, CHECK1, CHECK2 }

    private State state = State.IDLE;
    private final StringBuilder data = new StringBuilder();
    private boolean overflow;
    private int sum;
    private int check;

    /** Consumes {@code n} bytes and returns the events they complete, in order. */
    public List<Event> feed(byte[] bytes, int n) {
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Event e = feed(bytes[i] & 0xff);
            if (e != null) out.add(e);
        }
        return out;
    }

    /** Consumes one byte; returns the event it completes, or null. */
    public Event feed(int b) {
        switch (state) {
            case IDLE -> {
                switch (b) {
                    case '$' -> start();
                    case '+' -> { return new Ack(); }
                    case '-' -> { return new Nak(); }
                    case Packets.INTERRUPT -> { return new Interrupt(); }
                    default -> { }
                }
                return null;
            }
            case DATA -> {
                if (b == '#') {
                    state = State.CHECK1;
                } else if (b == '$') {
                    // A new packet began before this one ended: the old one is lost.
                    start();
                    return new Corrupt("packet interrupted by a new one");
                } else if (data.length() >= MAX_PACKET) {
                    overflow = true;
                } else {
                    data.append((char) b);
                    sum += b;
                }
                return null;
            }
            case CHECK1 -> {
                check = Character.digit(b, 16);
                state = check < 0 ? State.IDLE : State.CHECK2;
                return check < 0 ? new Corrupt("bad checksum digit") : null;
            }
            default -> {
                state = State.IDLE;
                int low = Character.digit(b, 16);
                if (low < 0) return new Corrupt("bad checksum digit");
                if (overflow) return new Corrupt("packet longer than " + MAX_PACKET + " bytes");
                int expected = (check << 4) | low;
                if (expected != (sum & 0xff)) {
                    return new Corrupt(String.format("checksum 0x%02x, packet sums to 0x%02x", expected, sum & 0xff));
                }
                return new Packet(data.toString());
            }
        }
    }

    private void start() {
        state = State.DATA;
        data.setLength(0);
        overflow = false;
        sum = 0;
    }
}
