package dev.rivet.linux;

import dev.rivet.elf.ElfException;
import dev.rivet.elf.ElfFile;
import dev.rivet.mem.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Puts a program into a fresh address space the way Linux's {@code binfmt_elf} does: the
 * executable's segments (at a fixed base for position-independent ones), its PT_INTERP dynamic
 * linker if it names one, the stack with argc, argv, envp and the auxiliary vector, the program
 * break, and the signal-return trampoline that stands in for the vDSO.
 */
final class ProgramLoader {
    /** Where Linux puts position-independent executables on riscv64 (ELF_ET_DYN_BASE, 2/3 of TASK_SIZE). */
    static final long PIE_BASE = 0x2a_aaaa_a000L;
    static final long STACK_TOP = 0x3f_ffff_f000L;
    static final long STACK_SIZE = 8L << 20;
    /** One page with {@code li a7, 139; ecall}: the return address of every signal handler. */
    static final long SIGRETURN_TRAMPOLINE = 0x3f_f800_0000L;
    /** RISC-V HWCAP letters I, M, A, F, D, C (bit = letter - 'A'), as the kernel reports them. */
    static final long HWCAP = (1L << ('I' - 'A')) | (1L << ('M' - 'A')) | (1L << ('A' - 'A'))
            | (1L << ('F' - 'A')) | (1L << ('D' - 'A')) | (1L << ('C' - 'A'));

    private static final int AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6, AT_BASE = 7,
            AT_FLAGS = 8, AT_ENTRY = 9, AT_UID = 11, AT_EUID = 12, AT_GID = 13, AT_EGID = 14, AT_HWCAP = 16,
            AT_CLKTCK = 17, AT_SECURE = 23, AT_RANDOM = 25, AT_EXECFN = 31;

    /** Where execution starts. */
    record Start(long pc, long sp) {}

    /** Reads a file of the guest's namespace, for PT_INTERP. */
    interface Files {
        byte[] read(String guestPath) throws GuestError;
    }

    private ProgramLoader() {}

    static Start load(AddressSpace space, ElfFile exe, String execPath, List<String> argv, List<String> envp,
                      Files files, Credentials creds, java.util.random.RandomGenerator random) throws ElfException {
        long bias = exe.type == ElfFile.ET_DYN ? PIE_BASE - ElfFile.pageDown(exe.lowAddress()) : 0;
        if (exe.type == ElfFile.ET_EXEC && exe.lowAddress() < AddressSpace.PAGE * 16) {
            throw new ElfException(execPath + ": segments below 64 KiB cannot be mapped");
        }
        if (bias + exe.highAddress() > SIGRETURN_TRAMPOLINE) throw new ElfException(execPath + ": segments lie above user space");
        loadSegments(space, exe, bias);
        space.setBrk(AddressSpace.pageUp(bias + exe.highAddress()));

        long entry = exe.entry + bias;
        long interpBase = 0;
        String interpPath = exe.interpreter();
        if (interpPath != null) {
            byte[] bytes;
            try {
                bytes = files.read(interpPath);
            } catch (GuestError e) {
                throw new ElfException(execPath + ": cannot read its dynamic linker " + interpPath + " in the guest root");
            }
            ElfFile interp = ElfFile.parse(bytes, interpPath);
            long span = AddressSpace.pageUp(interp.highAddress()) - ElfFile.pageDown(interp.lowAddress());
            long at = space.findFree(span);
            if (at < 0) throw new ElfException(interpPath + ": no room for the dynamic linker");
            interpBase = at - ElfFile.pageDown(interp.lowAddress());
            loadSegments(space, interp, interpBase);
            entry = interp.entry + interpBase;
        }

        space.map(SIGRETURN_TRAMPOLINE, AddressSpace.PAGE, Vma.PROT_READ | Vma.PROT_WRITE, false, null, 0, "[vdso]");
        UserMemory mem = new UserMemory(space);
        byte[] tramp = new byte[8];
        Bytes.write(tramp, 0, 4, 0x08b00893); // addi a7, x0, 139 (rt_sigreturn)
        Bytes.write(tramp, 4, 4, 0x00000073); // ecall
        mem.write(SIGRETURN_TRAMPOLINE, tramp);
        space.protect(SIGRETURN_TRAMPOLINE, AddressSpace.PAGE, Vma.PROT_READ | Vma.PROT_EXEC);

        space.map(STACK_TOP - STACK_SIZE, STACK_SIZE, Vma.PROT_READ | Vma.PROT_WRITE, false, null, 0, "[stack]");
        long phdr = exe.phdrAddress().orElse(exe.lowAddress() + exe.phoff) + bias;
        long[] aux = {
            AT_PHDR, phdr, AT_PHENT, 56, AT_PHNUM, exe.phnum, AT_PAGESZ, AddressSpace.PAGE, AT_BASE, interpBase,
            AT_FLAGS, 0, AT_ENTRY, exe.entry + bias, AT_UID, creds.uid(), AT_EUID, creds.uid(), AT_GID, creds.gid(),
            AT_EGID, creds.gid(), AT_HWCAP, HWCAP, AT_CLKTCK, 100, AT_SECURE, 0,
        };
        long sp = buildStack(mem, argv, envp, aux, execPath, random);
        return new Start(entry, sp);
    }

    private static void loadSegments(AddressSpace space, ElfFile elf, long bias) {
        List<ElfFile.Segment> loads = elf.loadSegments();
        UserMemory mem = new UserMemory(space);
        for (ElfFile.Segment s : loads) {
            long start = ElfFile.pageDown(s.vaddr() + bias);
            long end = AddressSpace.pageUp(s.end() + bias);
            // Map the segment's pages writable, each once (a page two segments share must not be
            // mapped twice): one call per run of pages not mapped yet, as a program's start runs
            // this while the JVM is still cold.
            for (long a = start; a < end; ) {
                if (space.vmaAt(a) != null) {
                    a += AddressSpace.PAGE;
                    continue;
                }
                long b = a + AddressSpace.PAGE;
                while (b < end && space.vmaAt(b) == null) b += AddressSpace.PAGE;
                space.map(a, b - a, Vma.PROT_READ | Vma.PROT_WRITE, false, null, 0, "");
                a = b;
            }
            mem.write(s.vaddr() + bias, elf.slice(s.offset(), (int) s.fileSize()));
        }
        // Final protections; a page shared by two segments gets both segments' rights. One call
        // per run of adjacent pages with the same rights.
        TreeMap<Long, Integer> rights = new TreeMap<>();
        for (ElfFile.Segment s : loads) {
            long end = AddressSpace.pageUp(s.end() + bias);
            for (long a = ElfFile.pageDown(s.vaddr() + bias); a < end; a += AddressSpace.PAGE) {
                rights.put(a, rights.getOrDefault(a, 0) | protOf(s));
            }
        }
        long runStart = -1, runEnd = -1;
        int runProt = 0;
        for (Map.Entry<Long, Integer> page : rights.entrySet()) {
            long a = page.getKey();
            if (a != runEnd || page.getValue() != runProt) {
                if (runStart >= 0) space.protect(runStart, runEnd - runStart, runProt);
                runStart = a;
                runProt = page.getValue();
            }
            runEnd = a + AddressSpace.PAGE;
        }
        if (runStart >= 0) space.protect(runStart, runEnd - runStart, runProt);
    }

    private static int protOf(ElfFile.Segment s) {
        int p = 0;
        if ((s.flags() & ElfFile.PF_R) != 0) p |= Vma.PROT_READ;
        if ((s.flags() & ElfFile.PF_W) != 0) p |= Vma.PROT_WRITE;
        if ((s.flags() & ElfFile.PF_X) != 0) p |= Vma.PROT_EXEC;
        return p;
    }

    /** Lays out the initial stack (System V ABI, RISC-V psABI "Process Initialization"). */
    private static long buildStack(UserMemory mem, List<String> argv, List<String> envp, long[] aux, String execPath,
                                   java.util.random.RandomGenerator random) {
        long p = STACK_TOP;
        p = pushString(mem, p, execPath);
        long execFn = p;
        byte[] rnd = new byte[16];
        random.nextBytes(rnd);
        p -= 16;
        mem.write(p, rnd);
        long randomAddr = p;
        long[] envPtrs = new long[envp.size()];
        for (int i = envp.size() - 1; i >= 0; i--) envPtrs[i] = p = pushString(mem, p, envp.get(i));
        long[] argPtrs = new long[argv.size()];
        for (int i = argv.size() - 1; i >= 0; i--) argPtrs[i] = p = pushString(mem, p, argv.get(i));
        int words = 1 + argv.size() + 1 + envp.size() + 1 + aux.length + 6;
        p = (p - 8L * words) & ~15L;
        long sp = p;
        mem.writeLong(p, argv.size());
        p += 8;
        for (long a : argPtrs) { mem.writeLong(p, a); p += 8; }
        mem.writeLong(p, 0); p += 8;
        for (long e : envPtrs) { mem.writeLong(p, e); p += 8; }
        mem.writeLong(p, 0); p += 8;
        for (long v : aux) { mem.writeLong(p, v); p += 8; }
        long[] tail = {AT_RANDOM, randomAddr, AT_EXECFN, execFn, AT_NULL, 0};
        for (long v : tail) { mem.writeLong(p, v); p += 8; }
        return sp;
    }

    private static long pushString(UserMemory mem, long p, String s) {
        byte[] b = (s + "\0").getBytes(StandardCharsets.UTF_8);
        p -= b.length;
        mem.write(p, b);
        return p;
    }
}
