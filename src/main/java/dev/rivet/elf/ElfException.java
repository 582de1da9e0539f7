package dev.rivet.elf;

/** A file that is not a loadable riscv64 ELF image; the message names the problem in one line. */
public final class ElfException extends Exception {
    public ElfException(String message) {
        super(message);
    }
}
