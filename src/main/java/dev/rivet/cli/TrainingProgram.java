package dev.rivet.cli;

import static dev.rivet.cpu.Asm.*;

import dev.rivet.elf.TinyElf;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * The riscv64 program of the launcher's training run for the start-up cache of {@code rivet run}
 * (JDK 25's ahead-of-time cache, recorded with {@code -XX:AOTMode=record} while {@code rivet run
 * --stats} runs this program): loops of the kinds real programs spend their time in, so that the
 * cache holds what a run of any program loads and links (the ELF loader, the system calls of a C
 * runtime, the interpreter, and the translator with each kind of code it emits), whatever program
 * a user runs first. Before, the first run after a build was recorded instead, and a first
 * program that translated nothing (a hello world) left every later run to load the translator's
 * classes and link its lambdas itself: sieve, interp and nbody ran 0.06-0.08 s slower.
 *
 * <p>The program first makes the system calls a static C runtime makes before {@code main} and
 * reads a file of /proc; then it runs, in rounds, a loop dense in loads and stores, one that
 * computes more than it loads (32-bit rotates, as hashes have), calls and returns, a switch's
 * computed jump (on a page of its own, as the translator treats such a page as a whole),
 * double-precision arithmetic and conversions (on a third page), an atomic, and compressed
 * instructions. It writes a checksum of its work to standard output (16 hex digits) and exits
 * with 0. {@code main} writes it to the file it is given.
 */
public final class TrainingProgram {
    /** Rounds of the loops of the launcher's training run: enough for each to be translated and run so. */
    static final int ROUNDS = 1500;

    private static final int ZERO = 0, RA = 1, T0 = 5, T1 = 6, T2 = 7, S0 = 8, S1 = 9;
    private static final int A0 = 10, A1 = 11, A2 = 12, A3 = 13, A4 = 14, A5 = 15, A7 = 17;
    private static final int S2 = 18, S3 = 19, T3 = 28, T4 = 29, T5 = 30;
    private static final int SYS_OPENAT = 56, SYS_CLOSE = 57, SYS_READ = 63, SYS_WRITE = 64, SYS_READLINKAT = 78;
    private static final int SYS_NEWFSTATAT = 79, SYS_EXIT_GROUP = 94, SYS_SET_TID_ADDRESS = 96, SYS_SET_ROBUST_LIST = 99;
    private static final int SYS_CLOCK_GETTIME = 113, SYS_UNAME = 160, SYS_BRK = 214, SYS_MUNMAP = 215, SYS_MMAP = 222;
    private static final int SYS_MPROTECT = 226, SYS_PRLIMIT64 = 261, SYS_GETRANDOM = 278;
    private static final int AT_FDCWD = -100, AT_EMPTY_PATH = 0x1000;

    private final ByteArrayOutputStream code = new ByteArrayOutputStream();
    private final Map<String, Integer> labels = new HashMap<>();
    private final List<Fixup> fixups = new ArrayList<>();

    /** An instruction whose encoding needs a label's offset from it, encoded once every label is known. */
    private record Fixup(int at, String label, IntUnaryOperator encode) {}

    private TrainingProgram() {}

    /** Writes the program, with {@link #ROUNDS} rounds, to the file {@code args[0]}. */
    public static void main(String[] args) throws java.io.IOException {
        if (args.length != 1) {
            System.err.println("usage: TrainingProgram FILE");
            System.exit(2);
        }
        java.nio.file.Files.write(java.nio.file.Path.of(args[0]), elf(ROUNDS));
    }

    /** The ELF file of the program, repeating its loops {@code rounds} times (1 to 2047). */
    static byte[] elf(int rounds) {
        if (rounds < 1 || rounds > 2047) throw new IllegalArgumentException("rounds " + rounds);
        TrainingProgram p = new TrainingProgram();
        p.program(rounds);
        return TinyElf.of(p.link());
    }

    private void program(int rounds) {
        // A 64 KiB buffer from mmap(0, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0).
        op(addi(A0, ZERO, 0)); op(lui(A1, 16)); op(addi(A2, ZERO, 3)); op(addi(A3, ZERO, 0x22));
        op(addi(A4, ZERO, -1)); op(addi(A5, ZERO, 0)); op(addi(A7, ZERO, SYS_MMAP)); op(ecall()); op(addi(S1, A0, 0));
        op(addi(A0, ZERO, 0)); op(addi(A7, ZERO, SYS_BRK)); op(ecall());
        startOfCRuntime();
        op(addi(S0, ZERO, rounds)); op(addi(S2, ZERO, 0));
        label("round");

        // Dense in loads and stores: buf[i] = i * i ^ i << 3 for 1024 doublewords.
        op(addi(T0, ZERO, 0)); op(addi(T2, ZERO, 1024)); op(addi(T3, S1, 0));
        label("fill");
        op(mul(T1, T0, T0)); op(slli(T4, T0, 3)); op(xor(T1, T1, T4)); op(sd(T1, T3, 0));
        op(addi(T3, T3, 8)); op(addi(T0, T0, 1)); branch("fill", off -> blt(T0, T2, off));

        // The same buffer summed with compressed loads and adds into a checksum.
        op(addi(T0, ZERO, 0)); op(addi(A0, S1, 0));
        label("sum");
        half(cLd(A1, A0, 0)); half(cAdd(S2, A1)); op(srli(A2, S2, 7)); op(xor(S2, S2, A2)); half(cAddi(A0, 8));
        op(addi(T0, T0, 1)); branch("sum", off -> blt(T0, T2, off));

        // More computing than loading: 32-bit rotates and adds, one load a trip.
        op(addi(T0, ZERO, 0)); op(lui(T5, 1)); op(addi(A3, S2, 0)); op(lui(A4, 0x6a09e));
        label("rotate");
        op(andi(T1, T0, 1023)); op(slli(T1, T1, 3)); op(add(T1, S1, T1)); op(lw(T1, T1, 0));
        op(srliw(T2, A3, 6)); op(slliw(T3, A3, 26)); op(or(T2, T2, T3)); op(addw(A4, A4, T2)); op(xor(A4, A4, T1));
        op(roriw(T2, A4, 13)); op(addw(A3, A3, T2));
        op(addi(T0, T0, 1)); branch("rotate", off -> blt(T0, T5, off));
        op(add(S2, S2, A3)); op(xor(S2, S2, A4)); op(addi(T2, ZERO, 1024));

        // Calls and returns, with division.
        op(addi(T0, ZERO, 0)); op(addi(T5, ZERO, 512));
        label("calls");
        op(addi(A0, T0, 7)); branch("function", off -> jal(RA, off)); op(add(S2, S2, A0));
        op(addi(T0, T0, 1)); branch("calls", off -> blt(T0, T5, off));
        branch("switch-start", off -> jal(ZERO, off));
        label("function");
        op(addi(A1, ZERO, 13)); op(divu(A2, A0, A1)); op(remu(A3, A0, A1)); op(mul(A0, A2, A3)); op(jalr(ZERO, RA, 0));

        // A switch: a computed jump into one of four cases of 16 bytes each, on a page of its own
        // (the translator treats a page with a switch as a whole, and the other loops' pages not).
        pageBreak();
        label("switch-start");
        op(addi(T0, ZERO, 0)); op(addi(T5, ZERO, 1024));
        label("switch");
        op(andi(T1, T0, 3)); op(slli(T1, T1, 4)); address(T3, "cases");
        op(add(T3, T3, T1)); op(jalr(ZERO, T3, 0));
        label("cases");
        op(addi(S2, S2, 1)); branch("join", off -> jal(ZERO, off)); op(nop()); op(nop());
        op(xori(S2, S2, 0x55)); branch("join", off -> jal(ZERO, off)); op(nop()); op(nop());
        op(slli(T4, S2, 1)); op(add(S2, S2, T4)); branch("join", off -> jal(ZERO, off)); op(nop());
        op(srli(T4, S2, 3)); op(sub(S2, S2, T4)); branch("join", off -> jal(ZERO, off)); op(nop());
        label("join");
        op(addi(T0, T0, 1)); branch("switch", off -> blt(T0, T5, off));
        branch("float-start", off -> jal(ZERO, off));
        pageBreak();
        label("float-start");

        // Double precision: products, sums, a quotient, a square root, a fused multiply-add,
        // a compare and conversions, through memory too.
        op(addi(T0, ZERO, 1)); op(addi(T5, ZERO, 513)); op(fcvtDL(2, ZERO));
        label("float");
        op(fcvtDL(0, T0)); op(fmulD(1, 0, 0)); op(faddD(2, 2, 1)); op(fdivD(3, 2, 1)); op(fsqrtD(4, 3));
        op(fmaddD(5, 4, 0, 3)); op(fsd(5, S1, 0)); op(fld(6, S1, 0)); op(fltD(T1, 6, 0)); op(add(S2, S2, T1));
        op(fcvtLD(T1, 4)); op(add(S2, S2, T1));
        op(addi(T0, T0, 1)); branch("float", off -> blt(T0, T5, off));

        op(amo(AMOADD, D, ZERO, S2, S1));
        op(addi(S0, S0, -1)); op(beq(S0, ZERO, 8)); branch("round", off -> jal(ZERO, off));

        // The checksum as 16 hex digits and a newline, written to standard output; exit_group(0).
        op(addi(T0, ZERO, 0)); op(addi(T5, ZERO, 16)); op(addi(T3, ZERO, 10));
        label("digit");
        op(srli(T1, S2, 60)); op(slli(S2, S2, 4)); op(addi(T2, T1, '0'));
        op(blt(T1, T3, 8)); op(addi(T2, T1, 'a' - 10));
        op(add(T4, S1, T0)); op(sb(T2, T4, 0)); op(addi(T0, T0, 1)); branch("digit", off -> blt(T0, T5, off));
        op(addi(T2, ZERO, '\n')); op(sb(T2, S1, 16));
        op(addi(A0, ZERO, 1)); op(addi(A1, S1, 0)); op(addi(A2, ZERO, 17)); op(addi(A7, ZERO, SYS_WRITE)); op(ecall());
        op(addi(A0, ZERO, 0)); op(addi(A7, ZERO, SYS_EXIT_GROUP)); op(ecall());
    }

    /**
     * The system calls a static C runtime makes before main, and a file read: the guest's file
     * system (its /proc and path lookups) and the calls' host side are in the cache too. Results
     * are not checked: the program's output depends on its loops alone. The buffer (s1) takes the
     * answers; its first 2 KiB are overwritten by the loops later.
     */
    private void startOfCRuntime() {
        op(addi(A0, S1, 1024)); op(addi(A7, ZERO, SYS_SET_TID_ADDRESS)); op(ecall());
        op(addi(A0, S1, 1024)); op(addi(A1, ZERO, 24)); op(addi(A7, ZERO, SYS_SET_ROBUST_LIST)); op(ecall());
        op(addi(A0, ZERO, 0)); op(addi(A1, ZERO, 3)); op(addi(A2, ZERO, 0)); op(addi(A3, S1, 1024));
        op(addi(A7, ZERO, SYS_PRLIMIT64)); op(ecall());
        op(addi(A0, S1, 0)); op(addi(A7, ZERO, SYS_UNAME)); op(ecall());
        op(addi(A0, ZERO, 1)); op(addi(A1, S1, 1024)); op(addi(A7, ZERO, SYS_CLOCK_GETTIME)); op(ecall());
        op(addi(A0, S1, 1024)); op(addi(A1, ZERO, 8)); op(addi(A2, ZERO, 0)); op(addi(A7, ZERO, SYS_GETRANDOM)); op(ecall());
        op(addi(A0, ZERO, AT_FDCWD)); address(A1, "exe"); op(addi(A2, S1, 0)); op(addi(A3, ZERO, 256));
        op(addi(A7, ZERO, SYS_READLINKAT)); op(ecall());
        op(addi(A0, ZERO, 1)); address(A1, "empty"); op(addi(A2, S1, 0)); op(lui(A3, AT_EMPTY_PATH >>> 12));
        op(addi(A7, ZERO, SYS_NEWFSTATAT)); op(ecall());
        op(addi(A0, ZERO, AT_FDCWD)); address(A1, "maps"); op(addi(A2, ZERO, 0)); op(addi(A7, ZERO, SYS_OPENAT)); op(ecall());
        op(addi(S3, A0, 0)); op(addi(A1, S1, 0)); op(addi(A2, ZERO, 1024)); op(addi(A7, ZERO, SYS_READ)); op(ecall());
        op(addi(A0, S3, 0)); op(addi(A7, ZERO, SYS_CLOSE)); op(ecall());
        // A page mapped, protected and unmapped, as malloc's arenas do.
        op(addi(A0, ZERO, 0)); op(lui(A1, 1)); op(addi(A2, ZERO, 3)); op(addi(A3, ZERO, 0x22)); op(addi(A4, ZERO, -1));
        op(addi(A5, ZERO, 0)); op(addi(A7, ZERO, SYS_MMAP)); op(ecall()); op(addi(S3, A0, 0));
        op(lui(A1, 1)); op(addi(A2, ZERO, 1)); op(addi(A7, ZERO, SYS_MPROTECT)); op(ecall());
        op(addi(A0, S3, 0)); op(lui(A1, 1)); op(addi(A7, ZERO, SYS_MUNMAP)); op(ecall());
        branch("start-end", off -> jal(ZERO, off));
        label("exe");
        text("/proc/self/exe");
        label("empty");
        text("");
        label("maps");
        text("/proc/self/maps");
        label("start-end");
    }

    /** auipc and addi: {@code rd} = the address of {@code label}. */
    private void address(int rd, String label) {
        op(auipc(rd, 0));
        branch(label, off -> addi(rd, rd, off + 4)); // the auipc is one instruction before
    }

    /** A NUL-terminated string, padded to a whole instruction. */
    private void text(String s) {
        for (byte b : (s + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII)) code.write(b);
        while (code.size() % 4 != 0) code.write(0);
    }

    private void op(int word) {
        for (int k = 0; k < 4; k++) code.write(word >>> 8 * k);
    }

    private void half(int compressed) {
        code.write(compressed);
        code.write(compressed >>> 8);
    }

    /** Pads with nops up to the next page of the segment (the code starts after the ELF headers). */
    private void pageBreak() {
        if (code.size() % 4 != 0) half(cNop());
        while ((TinyElf.HEADERS + code.size()) % 4096 != 0) op(nop());
    }

    private void label(String name) {
        labels.put(name, code.size());
    }

    /** An instruction that needs the offset of {@code label} from itself (a branch, a jump). */
    private void branch(String label, IntUnaryOperator encode) {
        fixups.add(new Fixup(code.size(), label, encode));
        op(0);
    }

    private byte[] link() {
        byte[] bytes = code.toByteArray();
        for (Fixup f : fixups) {
            int word = f.encode().applyAsInt(labels.get(f.label()) - f.at());
            for (int k = 0; k < 4; k++) bytes[f.at() + k] = (byte) (word >>> 8 * k);
        }
        return bytes;
    }
}
