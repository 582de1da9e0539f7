package dev.rivet.gdb;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The target description (GDB manual, "Target Descriptions" and "RISC-V Features") served through
 * {@code qXfer:features:read:target.xml}: rv64 with the org.gnu.gdb.riscv.cpu, .fpu and .csr
 * features, plus .virtual (the privilege mode) for the system VM. Remote register numbers follow
 * GDB's RISC-V numbering: x0..x31 are 0..31, pc 32, f0..f31 33..64, CSR n is 65 + n, priv 4161.
 */
public final class TargetDescription {
    public static final int PC = 32;
    public static final int FIRST_FPR = 33;
    public static final int FIRST_CSR = 65;
    public static final int PRIV = FIRST_CSR + 4096;

    static final String[] X_NAMES = {
        "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "fp", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
        "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
    };
    static final String[] F_NAMES = {
        "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1", "fa2", "fa3", "fa4", "fa5",
        "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
    };

    /** CSRs every hart has (the unprivileged counters). */
    private static final Map<String, Integer> USER_CSRS = csrs("cycle", 0xc00, "time", 0xc01, "instret", 0xc02);

    /** Machine and supervisor CSRs of a system-VM hart. */
    private static final Map<String, Integer> SYSTEM_CSRS = csrs(
            "sstatus", 0x100, "sie", 0x104, "stvec", 0x105, "scounteren", 0x106, "senvcfg", 0x10a,
            "sscratch", 0x140, "sepc", 0x141, "scause", 0x142, "stval", 0x143, "sip", 0x144, "stimecmp", 0x14d,
            "satp", 0x180, "mstatus", 0x300, "misa", 0x301, "medeleg", 0x302, "mideleg", 0x303, "mie", 0x304,
            "mtvec", 0x305, "mcounteren", 0x306, "menvcfg", 0x30a, "mcountinhibit", 0x320, "mscratch", 0x340,
            "mepc", 0x341, "mcause", 0x342, "mtval", 0x343, "mip", 0x344, "pmpcfg0", 0x3a0, "pmpcfg2", 0x3a2,
            "pmpaddr0", 0x3b0, "pmpaddr1", 0x3b1, "pmpaddr2", 0x3b2, "pmpaddr3", 0x3b3, "pmpaddr4", 0x3b4,
            "pmpaddr5", 0x3b5, "pmpaddr6", 0x3b6, "pmpaddr7", 0x3b7, "mcycle", 0xb00, "minstret", 0xb02,
            "mvendorid", 0xf11, "marchid", 0xf12, "mimpid", 0xf13, "mhartid", 0xf14);

    private final boolean system;

    private TargetDescription(boolean system) {
        this.system = system;
    }

    /** The description of a process-VM thread: registers user code can see. */
    public static TargetDescription user() {
        return new TargetDescription(false);
    }

    /** The description of a system-VM hart: all privileged CSRs and the privilege mode. */
    public static TargetDescription system() {
        return new TargetDescription(true);
    }

    public boolean isSystem() {
        return system;
    }

    /** The CSR numbers (not register numbers) this description lists, fflags/frm/fcsr included. */
    public List<Integer> csrNumbers() {
        List<Integer> out = new ArrayList<>(List.of(1, 2, 3));
        out.addAll(USER_CSRS.values());
        if (system) out.addAll(SYSTEM_CSRS.values());
        return out;
    }

    /** The whole target.xml. */
    public String xml() {
        StringBuilder b = new StringBuilder(8192);
        b.append("<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target version=\"1.0\">\n");
        b.append("<architecture>riscv:rv64</architecture>\n");
        b.append("<feature name=\"org.gnu.gdb.riscv.cpu\">\n");
        for (int i = 0; i < 32; i++) {
            String type = i == 1 ? "code_ptr" : i == 2 || i == 8 ? "data_ptr" : "int";
            reg(b, X_NAMES[i], 64, type, i);
        }
        reg(b, "pc", 64, "code_ptr", PC);
        b.append("</feature>\n<feature name=\"org.gnu.gdb.riscv.fpu\">\n");
        b.append("<union id=\"riscv_double\"><field name=\"float\" type=\"ieee_single\"/>")
                .append("<field name=\"double\" type=\"ieee_double\"/></union>\n");
        for (int i = 0; i < 32; i++) reg(b, F_NAMES[i], 64, "riscv_double", FIRST_FPR + i);
        reg(b, "fflags", 32, "int", FIRST_CSR + 1);
        reg(b, "frm", 32, "int", FIRST_CSR + 2);
        reg(b, "fcsr", 32, "int", FIRST_CSR + 3);
        b.append("</feature>\n<feature name=\"org.gnu.gdb.riscv.csr\">\n");
        USER_CSRS.forEach((name, csr) -> reg(b, name, 64, "int", FIRST_CSR + csr));
        if (system) SYSTEM_CSRS.forEach((name, csr) -> reg(b, name, 64, "int", FIRST_CSR + csr));
        b.append("</feature>\n");
        if (system) {
            b.append("<feature name=\"org.gnu.gdb.riscv.virtual\">\n");
            reg(b, "priv", 64, "int", PRIV);
            b.append("</feature>\n");
        }
        b.append("</target>\n");
        return b.toString();
    }

    /** The size in bytes of register {@code regnum}, or 0 if the description has no such register. */
    public int registerSize(int regnum) {
        if (regnum >= 0 && regnum <= 64) return 8;
        if (regnum >= FIRST_CSR + 1 && regnum <= FIRST_CSR + 3) return 4;
        if (regnum == PRIV) return system ? 8 : 0;
        return csrNumbers().contains(regnum - FIRST_CSR) ? 8 : 0;
    }

    private static void reg(StringBuilder b, String name, int bits, String type, int regnum) {
        b.append("<reg name=\"").append(name).append("\" bitsize=\"").append(bits).append("\" type=\"").append(type)
                .append("\" regnum=\"").append(regnum).append("\"/>\n");
    }

    private static Map<String, Integer> csrs(Object... pairs) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) m.put((String) pairs[i], (Integer) pairs[i + 1]);
        return m;
    }
}
