package dev.rivet.dev;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;

/**
 * NS16550A UART as QEMU's hw/char/serial.c models it (register shift 0, 8 registers repeated over
 * the window): RBR/THR, IER, IIR/FCR, LCR, MCR, LSR, MSR, SCR, and DLL/DLM while LCR.DLAB is set.
 * Transmission is instantaneous: a byte written to THR goes to the output stream at once (or back
 * to the receiver in loopback) and THR is empty again. Host input queues in this device and moves
 * into the receiver (16-byte FIFO, or RBR alone with FIFOs off) as the guest makes room.
 * <p>
 * Interrupts, by priority (datasheet table "Interrupt Control Functions"): receiver line status
 * (IER bit 2; OE/BI), character timeout and received data available (IER bit 0), THR empty
 * (IER bit 1), modem status (IER bit 3). The character timeout fires as soon as the host has nothing
 * more to send while bytes below the FIFO trigger level wait: the idle gap that real hardware
 * measures as four character times.
 * <p>
 * The host end honours hardware flow control once the guest uses it: after the guest first raises
 * RTS (MCR bit 1), host input moves into the receiver only while RTS is up, as a terminal wired
 * for RTS/CTS sends only then. Linux raises RTS when a tty open has finished configuring the port
 * (after it enables the FIFOs, which drops whatever the receiver held) and lowers it when the tty
 * closes, so input sent in between is kept for the next open instead of being lost; a guest that
 * never touches RTS receives input at once. Thread-safe.
 */
public final class Uart16550 implements Device {
    /** Size of the register window on the virt board. */
    public static final long SIZE = 0x100;
    /** Bytes of host input held while the receiver is full. */
    public static final int INPUT_LIMIT = 64 * 1024;

    static final int RBR = 0, THR = 0, IER = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7;
    static final int IER_RDI = 0x01, IER_THRI = 0x02, IER_RLSI = 0x04, IER_MSI = 0x08;
    static final int IIR_NO_INT = 0x01, IIR_MSI = 0x00, IIR_THRI = 0x02, IIR_RDI = 0x04, IIR_RLSI = 0x06,
            IIR_CTI = 0x0c, IIR_FIFO = 0xc0, IIR_ID = 0x0e;
    static final int FCR_FE = 0x01, FCR_RFR = 0x02, FCR_XFR = 0x04;
    static final int LCR_DLAB = 0x80;
    static final int MCR_LOOP = 0x10, MCR_OUT2 = 0x08, MCR_RTS = 0x02;
    static final int LSR_DR = 0x01, LSR_OE = 0x02, LSR_BI = 0x10, LSR_THRE = 0x20, LSR_TEMT = 0x40,
            LSR_INT_ANY = 0x1e;
    static final int MSR_DCD = 0x80, MSR_DSR = 0x20, MSR_CTS = 0x10, MSR_ANY_DELTA = 0x0f;
    private static final int FIFO_SIZE = 16;

    private final InterruptLine irq;
    private final OutputStream out;
    private final ArrayDeque<Byte> input = new ArrayDeque<>();
    private final ArrayDeque<Byte> rxFifo = new ArrayDeque<>();

    private boolean receiverInterruptsUsed, flowControlUsed;
    private int rbr, ier, iir = IIR_NO_INT, fcr, lcr, mcr = MCR_OUT2;
    private int lsr = LSR_TEMT | LSR_THRE, msr = MSR_DCD | MSR_DSR | MSR_CTS, scr;
    private int divisor = 0x0c; // 9600 baud with the 1.8432 MHz reference, QEMU's reset value
    private int triggerLevel = 1;
    private boolean thrPending, irqLevel;

    /**
     * @param irq wire to the interrupt controller (PLIC source 10 on the virt board)
     * @param out where transmitted bytes go; flushed after every byte so prompts appear at once
     */
    public Uart16550(InterruptLine irq, OutputStream out) {
        this.irq = irq;
        this.out = out;
    }

    @Override
    public long size() {
        return SIZE;
    }

    @Override
    public String name() {
        return "uart";
    }

    /**
     * Queues bytes typed on the host for the guest to receive; returns how many were accepted
     * (fewer than {@code len} only when {@link #INPUT_LIMIT} bytes already wait).
     */
    public synchronized int input(byte[] data, int off, int len) {
        int n = Math.min(len, INPUT_LIMIT - input.size());
        for (int i = 0; i < n; i++) {
            input.add(data[off + i]);
        }
        pump();
        updateIrq();
        return n;
    }

    /** Queues one host byte; false if the input queue is full. */
    public boolean input(int b) {
        return input(new byte[] {(byte) b}, 0, 1) == 1;
    }

    /**
     * Whether the guest's driver has ever enabled the received-data interrupt: until then a driver
     * may still reset the FIFOs and drop input, so scripted input waits for this.
     */
    public synchronized boolean receiverInterruptsUsed() {
        return receiverInterruptsUsed;
    }

    /** Whether the guest has ever raised RTS: from then on, host input flows only while RTS is up. */
    public synchronized boolean flowControlUsed() {
        return flowControlUsed;
    }

    /** Bytes received from the host that the guest has not read yet (queue plus receiver). */
    public synchronized int pendingInput() {
        return input.size() + rxFifo.size() + ((fcr & FCR_FE) == 0 && (lsr & LSR_DR) != 0 ? 1 : 0);
    }

    @Override
    public synchronized long read(long offset, int size) {
        int ret;
        switch ((int) (offset & 7)) {
            case RBR -> {
                if ((lcr & LCR_DLAB) != 0) {
                    ret = divisor & 0xff;
                } else {
                    if ((fcr & FCR_FE) != 0) {
                        ret = rxFifo.isEmpty() ? 0 : rxFifo.poll() & 0xff;
                        if (rxFifo.isEmpty()) {
                            lsr &= ~(LSR_DR | LSR_BI);
                        }
                    } else {
                        ret = rbr;
                        lsr &= ~(LSR_DR | LSR_BI);
                    }
                    pump(); // room was made: accept more host input
                    updateIrq();
                }
            }
            case IER -> ret = (lcr & LCR_DLAB) != 0 ? divisor >>> 8 : ier;
            case IIR -> {
                ret = iir;
                // Reading IIR while it reports THR empty clears that interrupt (datasheet).
                if ((ret & IIR_ID) == IIR_THRI) {
                    thrPending = false;
                    updateIrq();
                }
            }
            case LCR -> ret = lcr;
            case MCR -> ret = mcr;
            case LSR -> {
                ret = lsr;
                // Reading LSR clears the error bits (overrun, break).
                if ((lsr & (LSR_BI | LSR_OE)) != 0) {
                    lsr &= ~(LSR_BI | LSR_OE);
                    updateIrq();
                }
            }
            case MSR -> {
                if ((mcr & MCR_LOOP) != 0) {
                    // Loopback: RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD.
                    ret = (mcr & 0x0c) << 4 | (mcr & 0x02) << 3 | (mcr & 0x01) << 5;
                } else {
                    ret = msr;
                    if ((msr & MSR_ANY_DELTA) != 0) {
                        msr &= 0xf0;
                        updateIrq();
                    }
                }
            }
            default -> ret = scr;
        }
        return ret & 0xff;
    }

    @Override
    public synchronized void write(long offset, int size, long value) {
        int val = (int) (value & 0xff);
        switch ((int) (offset & 7)) {
            case THR -> {
                if ((lcr & LCR_DLAB) != 0) {
                    divisor = divisor & 0xff00 | val;
                } else {
                    thrPending = false;
                    lsr &= ~(LSR_THRE | LSR_TEMT);
                    updateIrq();
                    transmit(val);
                    lsr |= LSR_THRE | LSR_TEMT;
                    thrPending = true;
                    updateIrq();
                }
            }
            case IER -> {
                if ((lcr & LCR_DLAB) != 0) {
                    divisor = divisor & 0x00ff | val << 8;
                } else {
                    int changed = (ier ^ val) & 0x0f;
                    ier = val & 0x0f;
                    if ((ier & IER_RDI) != 0) receiverInterruptsUsed = true;
                    // Enabling THRI while THR is empty raises the interrupt again (QEMU, as Bochs;
                    // real 16550s do it and drivers rely on it).
                    if ((changed & IER_THRI) != 0) {
                        thrPending = (ier & IER_THRI) != 0 && (lsr & LSR_THRE) != 0;
                    }
                    if (changed != 0) {
                        updateIrq();
                    }
                }
            }
            case FCR -> writeFcr(val);
            case LCR -> lcr = val;
            case MCR -> {
                mcr = val & 0x1f;
                if ((mcr & MCR_RTS) != 0) flowControlUsed = true;
                pump(); // leaving loopback reconnects the host input, raising RTS lets it flow
                updateIrq();
            }
            case SCR -> scr = val;
            default -> { } // LSR and MSR are read-only
        }
    }

    private void writeFcr(int val) {
        // Changing the FIFO enable flushes both FIFOs.
        if (((val ^ fcr) & FCR_FE) != 0) {
            val |= FCR_XFR | FCR_RFR;
        }
        if ((val & FCR_RFR) != 0) {
            lsr &= ~(LSR_DR | LSR_BI);
            rxFifo.clear();
        }
        if ((val & FCR_XFR) != 0) {
            lsr |= LSR_THRE;
            thrPending = true;
        }
        fcr = val & 0xc9;
        if ((fcr & FCR_FE) != 0) {
            iir |= IIR_FIFO;
            triggerLevel = switch (fcr & 0xc0) {
                case 0x00 -> 1;
                case 0x40 -> 4;
                case 0x80 -> 8;
                default -> 14;
            };
        } else {
            iir &= ~IIR_FIFO;
        }
        pump();
        updateIrq();
    }

    private void transmit(int b) {
        if ((mcr & MCR_LOOP) != 0) {
            receive(b); // loopback: the transmitter output is wired to the receiver input
            return;
        }
        try {
            out.write(b);
            out.flush();
        } catch (IOException e) {
            // A closed console loses output, as a disconnected serial line would.
        }
    }

    /** One byte arriving at the receiver. */
    private void receive(int b) {
        if ((fcr & FCR_FE) != 0) {
            if (rxFifo.size() < FIFO_SIZE) {
                rxFifo.add((byte) b);
            } else {
                lsr |= LSR_OE; // an overrun does not overwrite the FIFO
            }
            lsr |= LSR_DR;
        } else {
            if ((lsr & LSR_DR) != 0) {
                lsr |= LSR_OE;
            }
            rbr = b;
            lsr |= LSR_DR;
        }
    }

    /**
     * Moves queued host input into the receiver while it has room (no overruns) and, once the guest
     * uses flow control, while RTS is up.
     */
    private void pump() {
        if (!hostSending()) {
            return;
        }
        if ((fcr & FCR_FE) != 0) {
            while (!input.isEmpty() && rxFifo.size() < FIFO_SIZE) {
                rxFifo.add(input.poll());
            }
            if (!rxFifo.isEmpty()) {
                lsr |= LSR_DR;
            }
        } else if ((lsr & LSR_DR) == 0 && !input.isEmpty()) {
            rbr = input.poll() & 0xff;
            lsr |= LSR_DR;
        }
    }

    /**
     * Character timeout condition: bytes wait in the FIFO and no more arrive (the host queue is empty,
     * or loopback or a lowered RTS holds it back). Real hardware waits four character times of
     * silence; here the host has nothing more to send now, so the wait is over at once.
     */
    private boolean receiverIdle() {
        return (fcr & FCR_FE) != 0 && !rxFifo.isEmpty() && (input.isEmpty() || !hostSending());
    }

    /** The host's input reaches the receiver: not in loopback, and RTS up if the guest uses it. */
    private boolean hostSending() {
        return (mcr & MCR_LOOP) == 0 && !(flowControlUsed && (mcr & MCR_RTS) == 0);
    }

    /** Recomputes IIR and the interrupt line (QEMU serial_update_irq, datasheet priorities). */
    private void updateIrq() {
        int id = IIR_NO_INT;
        if ((ier & IER_RLSI) != 0 && (lsr & LSR_INT_ANY) != 0) {
            id = IIR_RLSI;
        } else if ((ier & IER_RDI) != 0 && receiverIdle()) {
            id = IIR_CTI;
        } else if ((ier & IER_RDI) != 0 && (lsr & LSR_DR) != 0
                && ((fcr & FCR_FE) == 0 || rxFifo.size() >= triggerLevel)) {
            id = IIR_RDI;
        } else if ((ier & IER_THRI) != 0 && thrPending) {
            id = IIR_THRI;
        } else if ((ier & IER_MSI) != 0 && (msr & MSR_ANY_DELTA) != 0) {
            id = IIR_MSI;
        }
        iir = id | iir & 0xf0;
        boolean on = id != IIR_NO_INT;
        if (on != irqLevel) {
            irqLevel = on;
            irq.set(on);
        }
    }
}
