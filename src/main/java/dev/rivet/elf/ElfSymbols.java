package dev.rivet.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/** Looks a symbol up in an ELF file's SHT_SYMTAB section (bare-metal tests use it to find {@code tohost}). */
final class ElfSymbols {
    private ElfSymbols() {}

    private static final int SHT_SYMTAB = 2;

    static OptionalLong find(byte[] bytes, String wanted) {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            long shoff = b.getLong(40);
            int shentsize = b.getShort(58) & 0xffff;
            int shnum = b.getShort(60) & 0xffff;
            if (shoff == 0 || shentsize != 64) return OptionalLong.empty();
            for (int i = 0; i < shnum; i++) {
                int sh = (int) (shoff + (long) i * shentsize);
                if (b.getInt(sh + 4) != SHT_SYMTAB) continue;
                long off = b.getLong(sh + 24);
                long size = b.getLong(sh + 32);
                int link = b.getInt(sh + 40);
                int strSh = (int) (shoff + (long) link * shentsize);
                long strOff = b.getLong(strSh + 24);
                for (long s = off; s + 24 <= off + size; s += 24) {
                    int nameOff = b.getInt((int) s);
                    if (matches(bytes, (int) (strOff + nameOff), wanted)) return OptionalLong.of(b.getLong((int) s + 8));
                }
            }
        } catch (IndexOutOfBoundsException malformed) {
            // A damaged section table only means no symbols: loading uses program headers alone.
        }
        return OptionalLong.empty();
    }

    private static boolean matches(byte[] bytes, int at, String wanted) {
        byte[] w = wanted.getBytes(StandardCharsets.US_ASCII);
        if (at < 0 || at + w.length >= bytes.length) return false;
        for (int i = 0; i < w.length; i++) if (bytes[at + i] != w[i]) return false;
        return bytes[at + w.length] == 0;
    }
}
