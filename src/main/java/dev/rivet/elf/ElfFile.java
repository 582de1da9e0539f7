package dev.rivet.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;

/**
 * A parsed and validated 64-bit little-endian RISC-V ELF file (System V ABI, ELF-64 object file
 * format). Parsing checks everything a loader relies on, so later stages can trust the offsets:
 * identification, machine, program header bounds, segment bounds within the file, and that no two
 * loadable segments overlap in memory.
 */
public final class ElfFile {
    public static final int ET_EXEC = 2;
    public static final int ET_DYN = 3;
    public static final int EM_RISCV = 243;
    public static final int PT_LOAD = 1;
    public static final int PT_INTERP = 3;
    public static final int PT_PHDR = 6;
    public static final int PT_TLS = 7;
    public static final int PF_X = 1;
    public static final int PF_W = 2;
    public static final int PF_R = 4;
    private static final int EHDR_SIZE = 64;
    private static final int PHDR_SIZE = 56;

    /** One program header. */
    public record Segment(int type, int flags, long offset, long vaddr, long fileSize, long memSize, long align) {
        public long end() {
            return vaddr + memSize;
        }
    }

    private final byte[] bytes;
    public final int type;
    public final long entry;
    public final long phoff;
    public final int phnum;
    public final List<Segment> segments;

    private ElfFile(byte[] bytes, int type, long entry, long phoff, int phnum, List<Segment> segments) {
        this.bytes = bytes;
        this.type = type;
        this.entry = entry;
        this.phoff = phoff;
        this.phnum = phnum;
        this.segments = segments;
    }

    /** Parses and validates; {@code name} is used only in error messages. */
    public static ElfFile parse(byte[] bytes, String name) throws ElfException {
        if (bytes.length < 4 || bytes[0] != 0x7f || bytes[1] != 'E' || bytes[2] != 'L' || bytes[3] != 'F') {
            throw new ElfException(name + ": not an ELF file");
        }
        if (bytes.length < EHDR_SIZE) throw new ElfException(name + ": truncated ELF header");
        if (bytes[4] != 2) throw new ElfException(name + ": not a 64-bit ELF file (riscv64 needs ELFCLASS64)");
        if (bytes[5] != 1) throw new ElfException(name + ": not a little-endian ELF file");
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int type = b.getShort(16) & 0xffff;
        int machine = b.getShort(18) & 0xffff;
        if (machine != EM_RISCV) throw new ElfException(name + ": ELF for machine " + machine + ", not RISC-V");
        if (type != ET_EXEC && type != ET_DYN) throw new ElfException(name + ": ELF type " + type + " is not an executable");
        long entry = b.getLong(24);
        long phoff = b.getLong(32);
        int phentsize = b.getShort(54) & 0xffff;
        int phnum = b.getShort(56) & 0xffff;
        if (phnum == 0) throw new ElfException(name + ": ELF has no program headers");
        if (phentsize != PHDR_SIZE) throw new ElfException(name + ": unexpected program header size " + phentsize);
        if (phoff < 0 || phoff + (long) phnum * PHDR_SIZE > bytes.length) {
            throw new ElfException(name + ": truncated (program headers extend past the end of the file)");
        }
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < phnum; i++) {
            int p = (int) phoff + i * PHDR_SIZE;
            Segment s = new Segment(b.getInt(p), b.getInt(p + 4), b.getLong(p + 8), b.getLong(p + 16),
                    b.getLong(p + 32), b.getLong(p + 40), b.getLong(p + 48));
            if (s.type() == PT_LOAD || s.type() == PT_INTERP) {
                if (s.offset() < 0 || s.fileSize() < 0 || s.offset() + s.fileSize() > bytes.length || s.offset() + s.fileSize() < 0) {
                    throw new ElfException(name + ": truncated (segment " + i + " extends past the end of the file)");
                }
                if (Long.compareUnsigned(s.fileSize(), s.memSize()) > 0) {
                    throw new ElfException(name + ": segment " + i + " has a file size larger than its memory size");
                }
                if (s.vaddr() + s.memSize() < s.vaddr()) throw new ElfException(name + ": segment " + i + " wraps around the address space");
            }
            segments.add(s);
        }
        List<Segment> loads = new ArrayList<>(segments.stream().filter(s -> s.type() == PT_LOAD).toList());
        if (loads.isEmpty()) throw new ElfException(name + ": ELF has no loadable segments");
        // Not Comparator.comparingLong: see GuestFileSystem's constructor.
        loads.sort((x, y) -> Long.compare(x.vaddr(), y.vaddr()));
        for (int i = 1; i < loads.size(); i++) {
            if (Long.compareUnsigned(loads.get(i - 1).end(), loads.get(i).vaddr()) > 0) {
                throw new ElfException(name + ": loadable segments overlap at 0x" + Long.toHexString(loads.get(i).vaddr()));
            }
        }
        return new ElfFile(bytes, type, entry, phoff, phnum, Collections.unmodifiableList(segments));
    }

    public List<Segment> loadSegments() {
        return segments.stream().filter(s -> s.type() == PT_LOAD).toList();
    }

    /** The interpreter path named by PT_INTERP, if any. */
    public String interpreter() {
        for (Segment s : segments) {
            if (s.type() == PT_INTERP) {
                int len = (int) s.fileSize();
                while (len > 0 && bytes[(int) s.offset() + len - 1] == 0) len--;
                return new String(bytes, (int) s.offset(), len, java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** The virtual address of the program headers once loaded (from PT_PHDR, or the segment holding them). */
    public OptionalLong phdrAddress() {
        for (Segment s : segments) if (s.type() == PT_PHDR) return OptionalLong.of(s.vaddr());
        for (Segment s : loadSegments()) {
            if (phoff >= s.offset() && phoff + (long) phnum * PHDR_SIZE <= s.offset() + s.fileSize()) {
                return OptionalLong.of(s.vaddr() + (phoff - s.offset()));
            }
        }
        return OptionalLong.empty();
    }

    public static long pageDown(long a) {
        return a & ~0xfffL;
    }

    /** Lowest and highest (exclusive) virtual address of the loadable segments. */
    public long lowAddress() {
        return loadSegments().stream().mapToLong(Segment::vaddr).min().orElse(0);
    }

    public long highAddress() {
        return loadSegments().stream().mapToLong(Segment::end).max().orElse(0);
    }

    /** Copies {@code length} bytes of the file starting at {@code offset}. */
    public byte[] slice(long offset, int length) {
        byte[] out = new byte[length];
        System.arraycopy(bytes, (int) offset, out, 0, length);
        return out;
    }

    public byte[] bytes() {
        return bytes;
    }

    /** The value of a symbol from the symbol table, if the file has one and defines it. */
    public OptionalLong symbol(String wanted) {
        return ElfSymbols.find(bytes, wanted);
    }
}
