package dev.rivet.gdb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Encoding rules of the GDB remote serial protocol ("Overview" and "Packets" in the GDB manual's
 * remote-protocol appendix): {@code $data#cs} framing with a modulo-256 checksum, binary escapes
 * ({@code '}'} then the byte XOR 0x20 for {@code # $ } *}), and hex numbers and byte strings.
 * Packet text is handled as ISO-8859-1 strings so that every byte is one char.
 */
public final class Packets {
    private Packets() {}

    /** Thrown for packet contents that do not parse; the session answers with an error reply. */
    public static final class Malformed extends RuntimeException {
        public Malformed(String message) {
            super(message, null, false, false);
        }
    }

    public static final char INTERRUPT = 0x03;

    /** The modulo-256 sum of the bytes of {@code data}. */
    public static int checksum(String data) {
        int sum = 0;
        for (int i = 0; i < data.length(); i++) sum += data.charAt(i) & 0xff;
        return sum & 0xff;
    }

    /** The framed packet {@code $data#cs}, escaping the characters the framing reserves. */
    public static byte[] frame(String data) {
        String escaped = escape(data);
        String text = "$" + escaped + "#" + String.format("%02x", checksum(escaped));
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Escapes {@code # $ } *} for sending (binary data and replies alike). */
    public static String escape(String data) {
        StringBuilder b = null;
        for (int i = 0; i < data.length(); i++) {
            char c = data.charAt(i);
            boolean special = c == '#' || c == '$' || c == '}' || c == '*';
            if (special && b == null) b = new StringBuilder(data.substring(0, i));
            if (b == null) continue;
            if (special) b.append('}').append((char) (c ^ 0x20));
            else b.append(c);
        }
        return b == null ? data : b.toString();
    }

    /** Undoes {@link #escape} on the binary payload of an {@code X} packet. */
    public static byte[] unescape(String data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length());
        for (int i = 0; i < data.length(); i++) {
            char c = data.charAt(i);
            if (c == '}') {
                if (++i >= data.length()) throw new Malformed("escape at end of data");
                out.write((data.charAt(i) ^ 0x20) & 0xff);
            } else {
                out.write(c & 0xff);
            }
        }
        return out.toByteArray();
    }

    /** Parses an unsigned hex number (at most 16 digits). */
    public static long parseHex(String s) {
        if (s.isEmpty() || s.length() > 16) throw new Malformed("bad hex number '" + s + "'");
        long v = 0;
        for (int i = 0; i < s.length(); i++) v = (v << 4) | digit(s.charAt(i));
        return v;
    }

    /** Parses a hex number that must fit an int (a length, register or thread number). */
    public static int parseHexInt(String s) {
        long v = parseHex(s);
        if (v > Integer.MAX_VALUE) throw new Malformed("number too large: " + s);
        return (int) v;
    }

    private static int digit(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        throw new Malformed("bad hex digit '" + c + "'");
    }

    /** Lower-case hex of every byte. */
    public static String toHex(byte[] bytes) {
        StringBuilder b = new StringBuilder(bytes.length * 2);
        for (byte x : bytes) b.append(Character.forDigit((x >> 4) & 15, 16)).append(Character.forDigit(x & 15, 16));
        return b.toString();
    }

    /** Lower-case hex of the bytes of a text (qRcmd output, thread extra info). */
    public static String toHex(String text) {
        return toHex(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Bytes from a string of hex pairs. */
    public static byte[] fromHex(String hex) {
        if ((hex.length() & 1) != 0) throw new Malformed("odd number of hex digits");
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) out[i] = (byte) (digit(hex.charAt(2 * i)) << 4 | digit(hex.charAt(2 * i + 1)));
        return out;
    }

    /** A register value as the target byte order (little-endian) in hex: {@code size} bytes. */
    public static String littleEndianHex(long value, int size) {
        StringBuilder b = new StringBuilder(size * 2);
        for (int i = 0; i < size; i++) {
            int x = (int) (value >>> (8 * i)) & 0xff;
            b.append(Character.forDigit(x >> 4, 16)).append(Character.forDigit(x & 15, 16));
        }
        return b.toString();
    }

    /** Parses a little-endian hex register value of up to 8 bytes. */
    public static long parseLittleEndian(String hex) {
        byte[] bytes = fromHex(hex);
        if (bytes.length == 0 || bytes.length > 8) throw new Malformed("bad register value size " + bytes.length);
        long v = 0;
        for (int i = bytes.length - 1; i >= 0; i--) v = (v << 8) | (bytes[i] & 0xff);
        return v;
    }
}
