package dev.rivet.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Builds minimal static riscv64 ELF executables from machine code: for tests that need no
 * compiler, and for the launcher's start-up training program (see {@code cli.TrainingProgram}).
 */
public final class TinyElf {
    public static final long BASE = 0x10000;
    /** The bytes before the code: the ELF header and one program header. */
    public static final int HEADERS = 64 + 56;

    private TinyElf() {}

    /** One read+execute (+write) segment at {@link #BASE} holding the headers then the code; entry at the code. */
    public static byte[] of(int... words) {
        return build(0, words);
    }

    /** As {@link #of(int...)}, from code as bytes (compressed instructions are two bytes long). */
    public static byte[] of(byte[] code) {
        return build(0, code);
    }


    /** Like {@link #of} with a second PT_LOAD that overlaps the first one in memory (a malformed file). */
    public static byte[] withOverlappingSegments(int... words) {
        return build(1, words);
    }

    private static byte[] build(int extraSegments, int[] words) {
        ByteBuffer code = ByteBuffer.allocate(4 * words.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : words) code.putInt(w);
        return build(extraSegments, code.array());
    }

    private static byte[] build(int extraSegments, byte[] code) {
        int phnum = 1 + extraSegments;
        int codeOff = 64 + 56 * phnum;
        int size = codeOff + code.length;
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        b.position(16);
        b.putShort((short) 2).putShort((short) 243).putInt(1);
        b.putLong(BASE + codeOff).putLong(64).putLong(0);
        b.putInt(0).putShort((short) 64).putShort((short) 56).putShort((short) phnum).putShort((short) 64)
                .putShort((short) 0).putShort((short) 0);
        for (int i = 0; i < phnum; i++) {
            b.putInt(1).putInt(7).putLong(0).putLong(BASE + i * 0x40L).putLong(BASE + i * 0x40L)
                    .putLong(size).putLong(size).putLong(0x1000);
        }
        b.put(code);
        return b.array();
    }
}
