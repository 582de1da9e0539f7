package dev.rivet.cli;

import dev.rivet.dev.Uart16550;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * Connects the guest's serial port to the user. On a terminal: raw mode (through JLine), with
 * QEMU's escape keys: Ctrl-A X quits, Ctrl-A H shows help, Ctrl-A Ctrl-A sends Ctrl-A. Otherwise
 * bytes pass straight through stdin and stdout, so scripts can drive a guest.
 */
final class SerialConsole implements AutoCloseable {
    private static final int CTRL_A = 1;
    /** How long scripted input waits for the guest to raise RTS after it enables receive interrupts. */
    private static final int RTS_WAIT_MS = 2000;

    private final Uart16550 uart;
    private final Runnable quit;
    private final PrintStream out;
    private Terminal terminal;
    private Terminal.SignalHandler previousInt;
    private org.jline.terminal.Attributes saved;

    private final InputStream scripted;

    SerialConsole(Uart16550 uart, Runnable quit, PrintStream out) {
        this(uart, quit, out, null);
    }

    /** With {@code scripted} non-null, the guest reads that instead of the user's input. */
    SerialConsole(Uart16550 uart, Runnable quit, PrintStream out, InputStream scripted) {
        this.uart = uart;
        this.quit = quit;
        this.out = out;
        this.scripted = scripted;
    }

    /** Starts forwarding input on a daemon thread. */
    void start() {
        InputStream in;
        boolean interactive = scripted == null && System.console() != null && System.console().isTerminal();
        if (scripted != null) {
            in = scripted;
        } else if (interactive) {
            try {
                terminal = TerminalBuilder.builder().system(true).build();
                saved = terminal.enterRawMode();
                in = terminal.input();
            } catch (IOException | RuntimeException e) {
                terminal = null;
                in = System.in;
            }
        } else {
            in = System.in;
        }
        InputStream source = in;
        boolean escapes = terminal != null;
        Thread t = new Thread(() -> pump(source, escapes), "rivet-console");
        t.setDaemon(true);
        t.start();
    }

    private void pump(InputStream in, boolean escapes) {
        boolean afterCtrlA = false;
        try {
            if (!escapes) awaitReceiver();
            int b;
            while ((b = in.read()) >= 0) {
                if (escapes && afterCtrlA) {
                    afterCtrlA = false;
                    switch (b) {
                        case 'x', 'X' -> {
                            out.print("\r\nrivet: terminated by Ctrl-A X\r\n");
                            out.flush();
                            quit.run();
                            return;
                        }
                        case 'h', 'H', '?' -> {
                            out.print("\r\nC-a h    print this help\r\nC-a x    exit rivet\r\nC-a C-a  send C-a\r\n");
                            out.flush();
                            continue;
                        }
                        case CTRL_A -> { }
                        default -> {
                            continue;
                        }
                    }
                } else if (escapes && b == CTRL_A) {
                    afterCtrlA = true;
                    continue;
                }
                while (!uart.input(b)) Thread.sleep(1);
            }
        } catch (IOException | InterruptedException e) {
            // Input closed: the guest keeps running without it.
        }
    }

    /**
     * Holds scripted input until the guest's serial driver is ready for it: until the driver takes
     * receive interrupts, and then until it raises RTS (Linux does when a tty open has finished
     * configuring the port; the UART then holds input whenever RTS is down). Bytes sent earlier
     * would be thrown away when the driver resets or enables the FIFOs, as on real hardware. A
     * guest that has not raised RTS within {@link #RTS_WAIT_MS} does not use it.
     */
    private void awaitReceiver() throws InterruptedException {
        while (!uart.receiverInterruptsUsed()) Thread.sleep(10);
        for (int waited = 0; waited < RTS_WAIT_MS && !uart.flowControlUsed(); waited += 10) Thread.sleep(10);
    }

    @Override
    public void close() {
        if (terminal != null) {
            try {
                terminal.setAttributes(saved);
                terminal.close();
            } catch (IOException ignored) {
                // Nothing more can be done for a terminal that is gone.
            }
        }
    }
}
