package dev.rivet.board;

import dev.rivet.elf.ElfException;
import dev.rivet.elf.ElfFile;
import dev.rivet.mem.Bytes;
import dev.rivet.mem.Ram;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Places firmware, kernel, initrd and device tree in RAM the way QEMU's virt board does
 * (hw/riscv/boot.c; architecture notes section 3): firmware at the start of RAM, the kernel at the
 * next 2 MiB boundary (0x80200000 behind OpenSBI), the initrd at kernel + min(RAM/2, 128 MiB), the
 * device tree at the top of RAM (2 MiB aligned, below 3 GiB). Every problem is one clear message.
 */
public final class BootImages {
    /** Where a loaded program starts, and its HTIF words if it has them. */
    public record Loaded(long entry, long end, OptionalLong tohost, OptionalLong fromhost) {}

    /** A boot image that cannot be used; the message is the whole explanation. */
    public static final class BootException extends Exception {
        public BootException(String message) {
            super(message);
        }
    }

    private static final long MIB = 1L << 20;
    /** "RSC\x05" at offset 0x38 of a RISC-V Linux Image (Documentation/riscv/boot-image-header.rst). */
    private static final int RISCV_IMAGE_MAGIC2 = 0x05435352;

    private BootImages() {}

    static byte[] read(Path file, String what) throws BootException {
        try {
            byte[] b = Files.readAllBytes(file);
            if (b.length == 0) throw new BootException(what + " " + file + " is empty");
            return b;
        } catch (NoSuchFileException e) {
            throw new BootException(what + " " + file + " does not exist");
        } catch (IOException e) {
            throw new BootException(what + " " + file + " cannot be read: " + e.getMessage());
        }
    }

    private static boolean isElf(byte[] b) {
        return b.length >= 4 && b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F';
    }

    /** Loads an ELF at its physical addresses, or a raw binary at {@code at}. */
    static Loaded load(Ram ram, byte[] image, String name, long at) throws BootException {
        if (isElf(image)) return loadElf(ram, image, name);
        checkFits(ram, at, image.length, name);
        ram.write(at, image);
        return new Loaded(at, at + image.length, OptionalLong.empty(), OptionalLong.empty());
    }

    /** Loads a Linux kernel: an ELF, or a RISC-V {@code Image} (validated by its header) at {@code at}. */
    static Loaded loadKernel(Ram ram, byte[] image, String name, long at) throws BootException {
        if (isElf(image)) return loadElf(ram, image, name);
        if (image.length < 64 || Bytes.i32(image, 0x38) != RISCV_IMAGE_MAGIC2) {
            throw new BootException(name + " is neither an ELF file nor a RISC-V Linux Image (no RSC\\x05 magic in its header)");
        }
        long imageSize = Bytes.i64(image, 0x10);
        checkFits(ram, at, Math.max(image.length, imageSize), name);
        ram.write(at, image);
        return new Loaded(at, at + Math.max(image.length, imageSize), OptionalLong.empty(), OptionalLong.empty());
    }

    private static Loaded loadElf(Ram ram, byte[] image, String name) throws BootException {
        ElfFile elf;
        try {
            elf = ElfFile.parse(image, name);
        } catch (ElfException e) {
            throw new BootException(e.getMessage());
        }
        long end = 0;
        for (ElfFile.Segment s : elf.loadSegments()) {
            if (s.memSize() == 0) continue;
            long pa = physicalAddress(elf, s);
            checkFits(ram, pa, s.memSize(), name);
            ram.write(pa, elf.slice(s.offset(), (int) s.fileSize()));
            if (s.memSize() > s.fileSize()) ram.write(pa + s.fileSize(), new byte[(int) (s.memSize() - s.fileSize())]);
            end = Math.max(end, pa + s.memSize());
        }
        return new Loaded(elf.entry, end, elf.symbol("tohost"), elf.symbol("fromhost"));
    }

    /** p_paddr when the file gives one, else p_vaddr (bare-metal linkers usually set both). */
    private static long physicalAddress(ElfFile elf, ElfFile.Segment s) {
        byte[] b = elf.bytes();
        long paddr = Bytes.i64(b, (int) (elf.phoff + 56L * elf.segments.indexOf(s) + 24));
        return paddr != 0 ? paddr : s.vaddr();
    }

    static void checkFits(Ram ram, long at, long length, String name) throws BootException {
        if (at < ram.base || at + length > ram.base + ram.size || length < 0) {
            throw new BootException(String.format("%s does not fit in memory: it needs 0x%x..0x%x but RAM is 0x%x..0x%x"
                    + " (try a larger --memory)", name, at, at + length, ram.base, ram.base + ram.size));
        }
    }

    /** Where QEMU puts the initrd: kernel start + min(RAM/2, 128 MiB). */
    static long initrdAddress(Ram ram, long kernelStart) {
        return kernelStart + Math.min(ram.size / 2, 128 * MIB);
    }

    /** Where QEMU puts the device tree: the top of RAM (or of the first 3 GiB), 2 MiB aligned. */
    static long fdtAddress(Ram ram, int fdtSize) {
        long top = ram.base + Math.min(ram.size, 3072 * MIB);
        return (top - fdtSize) & ~(2 * MIB - 1);
    }

    /**
     * The reset vector in the boot ROM (notes section 3): jumps to {@code start} with a0 = hartid,
     * a1 = device tree, a2 = fw_dynamic_info, which follows the code (OpenSBI fw_dynamic, version 2:
     * magic, version, next_addr, next_mode (1 = S), options, boot_hart).
     */
    static byte[] resetVector(long start, long fdt, long nextAddr, boolean nextSupervisor) {
        byte[] rom = new byte[0x28 + 48];
        int[] code = {
            0x00000297, // auipc t0, 0
            0x02828613, // addi  a2, t0, 40
            0xf1402573, // csrr  a0, mhartid
            0x0202b583, // ld    a1, 32(t0)
            0x0182b283, // ld    t0, 24(t0)
            0x00028067, // jr    t0
        };
        for (int i = 0; i < code.length; i++) Bytes.write(rom, 4 * i, 4, code[i]);
        Bytes.write(rom, 0x18, 8, start);
        Bytes.write(rom, 0x20, 8, fdt);
        Bytes.write(rom, 0x28, 8, 0x4942534fL);
        Bytes.write(rom, 0x30, 8, 2);
        Bytes.write(rom, 0x38, 8, nextAddr);
        Bytes.write(rom, 0x40, 8, nextSupervisor ? 1 : 3);
        Bytes.write(rom, 0x48, 8, 0);
        Bytes.write(rom, 0x50, 8, 0);
        return rom;
    }
}
