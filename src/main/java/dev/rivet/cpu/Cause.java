package dev.rivet.cpu;

/** Exception cause codes (RISC-V privileged spec, section "Machine Cause Register (mcause)", table of causes). */
public final class Cause {
    private Cause() {}

    public static final int MISALIGNED_FETCH = 0;
    public static final int FETCH_ACCESS = 1;
    public static final int ILLEGAL_INSTRUCTION = 2;
    public static final int BREAKPOINT = 3;
    public static final int MISALIGNED_LOAD = 4;
    public static final int LOAD_ACCESS = 5;
    public static final int MISALIGNED_STORE = 6;
    public static final int STORE_ACCESS = 7;
    public static final int ECALL_U = 8;
    public static final int ECALL_S = 9;
    public static final int ECALL_M = 11;
    public static final int FETCH_PAGE_FAULT = 12;
    public static final int LOAD_PAGE_FAULT = 13;
    public static final int STORE_PAGE_FAULT = 15;

    public static String name(int cause) {
        return switch (cause) {
            case MISALIGNED_FETCH -> "instruction address misaligned";
            case FETCH_ACCESS -> "instruction access fault";
            case ILLEGAL_INSTRUCTION -> "illegal instruction";
            case BREAKPOINT -> "breakpoint";
            case MISALIGNED_LOAD -> "load address misaligned";
            case LOAD_ACCESS -> "load access fault";
            case MISALIGNED_STORE -> "store/AMO address misaligned";
            case STORE_ACCESS -> "store/AMO access fault";
            case ECALL_U -> "environment call from U-mode";
            case ECALL_S -> "environment call from S-mode";
            case ECALL_M -> "environment call from M-mode";
            case FETCH_PAGE_FAULT -> "instruction page fault";
            case LOAD_PAGE_FAULT -> "load page fault";
            case STORE_PAGE_FAULT -> "store/AMO page fault";
            default -> "cause " + cause;
        };
    }
}
