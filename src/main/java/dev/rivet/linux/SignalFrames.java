package dev.rivet.linux;

import dev.rivet.cpu.Hart;
import dev.rivet.mem.Bytes;

/**
 * Builds and unwinds the riscv64 signal frame (arch/riscv/kernel/signal.c): {@code struct
 * rt_sigframe} = siginfo (128 bytes) + ucontext, whose mcontext holds pc and x1..x31, then the
 * D-extension state (f0..f31, fcsr). Handlers return through the trampoline (li a7,139; ecall).
 */
final class SignalFrames {
    static final int SS_ONSTACK = 1, SS_DISABLE = 2;
    private static final int SIGINFO_SIZE = 128;
    private static final int UC_STACK = 16;
    private static final int UC_SIGMASK = 40;
    private static final int UC_MCONTEXT = 176;
    private static final int FP_STATE = UC_MCONTEXT + 32 * 8;
    private static final int UCONTEXT_SIZE = FP_STATE + 528;
    static final int FRAME_SIZE = SIGINFO_SIZE + UCONTEXT_SIZE;

    private SignalFrames() {}

    static boolean onAltStack(GuestThread t, long sp) {
        return t.altStackFlags != SS_DISABLE && sp > t.altStackBase && sp <= t.altStackBase + t.altStackSize;
    }

    /** Switches the thread to the handler of {@code info}, saving its state on the (alternate) stack. */
    static void enter(GuestThread t, SigInfo info, SignalActions.Action action) {
        Hart h = t.hart;
        long sp = h.x[2];
        if (action.has(SignalActions.SA_ONSTACK) && t.altStackFlags != SS_DISABLE && !onAltStack(t, sp)) {
            sp = t.altStackBase + t.altStackSize;
        }
        long frame = (sp - FRAME_SIZE) & ~15L;
        long savedMask = t.savedMask != null ? t.savedMask : t.blocked;
        t.savedMask = null;

        byte[] f = new byte[FRAME_SIZE];
        System.arraycopy(info.encode(), 0, f, 0, SIGINFO_SIZE);
        int uc = SIGINFO_SIZE;
        Bytes.write(f, uc + UC_STACK, 8, t.altStackBase);
        Bytes.write(f, uc + UC_STACK + 8, 4, t.altStackFlags == SS_DISABLE ? SS_DISABLE : onAltStack(t, h.x[2]) ? SS_ONSTACK : 0);
        Bytes.write(f, uc + UC_STACK + 16, 8, t.altStackSize);
        Bytes.write(f, uc + UC_SIGMASK, 8, savedMask);
        Bytes.write(f, uc + UC_MCONTEXT, 8, h.pc);
        for (int r = 1; r < 32; r++) Bytes.write(f, uc + UC_MCONTEXT + 8 * r, 8, h.x[r]);
        for (int r = 0; r < 32; r++) Bytes.write(f, uc + FP_STATE + 8 * r, 8, h.f[r]);
        Bytes.write(f, uc + FP_STATE + 256, 4, (h.frm << 5) | h.fflags);
        try {
            t.memory().write(frame, f);
        } catch (GuestError unwritableStack) {
            // No room for the frame: Linux kills the process with SIGSEGV.
            t.kernel().killProcess(t.process, SigInfo.fault(Signal.SIGSEGV, SigInfo.SEGV_MAPERR, frame), h.pc);
            throw ThreadExit.INSTANCE;
        }

        long mask = savedMask | action.mask();
        if (!action.has(SignalActions.SA_NODEFER)) mask |= Signal.bit(info.signo());
        t.blocked = mask & ~Signal.UNBLOCKABLE;
        h.x[10] = info.signo();
        h.x[11] = frame;
        h.x[12] = frame + SIGINFO_SIZE;
        h.x[2] = frame;
        h.x[1] = ProgramLoader.SIGRETURN_TRAMPOLINE;
        h.pc = action.handler();
        h.clearReservation();
    }

    /** rt_sigreturn: restores the state saved by {@link #enter}, found at the stack pointer. */
    static void sigreturn(GuestThread t) {
        Hart h = t.hart;
        byte[] f = t.memory().read(h.x[2], FRAME_SIZE);
        int uc = SIGINFO_SIZE;
        h.pc = Bytes.i64(f, uc + UC_MCONTEXT);
        for (int r = 1; r < 32; r++) h.x[r] = Bytes.i64(f, uc + UC_MCONTEXT + 8 * r);
        for (int r = 0; r < 32; r++) h.f[r] = Bytes.i64(f, uc + FP_STATE + 8 * r);
        int fcsr = Bytes.i32(f, uc + FP_STATE + 256);
        h.fflags = fcsr & 0x1f;
        h.frm = (fcsr >>> 5) & 7;
        t.blocked = Bytes.i64(f, uc + UC_SIGMASK) & ~Signal.UNBLOCKABLE;
        h.clearReservation();
    }
}
