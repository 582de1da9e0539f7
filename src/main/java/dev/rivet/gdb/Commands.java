package dev.rivet.gdb;

import dev.rivet.gdb.DebugThread.Action;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers the packets of one session (GDB manual, "Packets", "General Query Packets", "Stop Reply
 * Packets"). A packet that does not parse gets {@code E01}; an unknown one gets the empty reply,
 * which tells gdb it is not supported. Replies to resume packets come later, as stop replies.
 */
final class Commands {
    /** Largest memory transfer per packet; gdb asks again for the rest. */
    static final int MAX_MEMORY = 4096;
    private static final String PACKET_SIZE = "4000";

    private final GdbSession session;
    private final Debugger debugger;
    private final Target target;
    private final Registers registers;
    private final String xml;
    /** Thread for g/p/m (Hg): 0 means any. */
    private int generalThread;
    /** Thread for the legacy c/s packets (Hc): 0 or -1 means all. */
    private int continueThread = -1;

    Commands(GdbSession session, Debugger debugger, Target target) {
        this.session = session;
        this.debugger = debugger;
        this.target = target;
        this.registers = new Registers(target.description());
        this.xml = target.description().xml();
    }

    /** The reply to {@code packet}, or null when there is none now. */
    String handle(String packet) throws IOException {
        try {
            return dispatch(packet);
        } catch (Packets.Malformed | IndexOutOfBoundsException | NumberFormatException e) {
            return "E01";
        } catch (RuntimeException e) {
            // A packet that trips over something unexpected (a thread that just ended) is refused,
            // never allowed to end the session or reach the guest.
            if (System.getenv("RIVET_DEBUG") != null) e.printStackTrace();
            return "E02";
        }
    }

    private String dispatch(String p) throws IOException {
        if (p.isEmpty()) return "";
        String exit = debugger.exitReply();
        char c = p.charAt(0);
        String rest = p.substring(1);
        if (exit != null && "?gGpPmMXcCsSvZzT".indexOf(c) >= 0 && !p.startsWith("vMustReplyEmpty") && !p.startsWith("vCont?")) {
            return c == '?' ? exit : "E01";
        }
        return switch (c) {
            case '?' -> stopStatus();
            case 'q' -> Queries.query(this, p);
            case 'Q' -> set(p);
            case 'H' -> selectThread(rest);
            case 'T' -> debugger.thread(Packets.parseHexInt(rest)) != null ? "OK" : "E01";
            case 'g' -> registers.readGeneral(thread().hart);
            case 'G' -> { registers.writeGeneral(thread().hart, rest); yield "OK"; }
            case 'p' -> {
                String v = registers.read(thread().hart, Packets.parseHexInt(rest));
                yield v == null ? "E01" : v;
            }
            case 'P' -> {
                int eq = rest.indexOf('=');
                boolean ok = registers.write(thread().hart, Packets.parseHexInt(rest.substring(0, eq)),
                        Packets.parseLittleEndian(rest.substring(eq + 1)));
                yield ok ? "OK" : "E01";
            }
            case 'm' -> readMemory(rest);
            case 'M' -> {
                int colon = rest.indexOf(':');
                yield writeMemory(rest.substring(0, colon), Packets.fromHex(rest.substring(colon + 1)));
            }
            case 'X' -> {
                int colon = rest.indexOf(':');
                yield writeMemory(rest.substring(0, colon), Packets.unescape(rest.substring(colon + 1)));
            }
            case 'Z', 'z' -> point(c == 'Z', rest);
            case 'c', 's' -> legacyResume(c == 's', 0, rest);
            case 'C', 'S' -> {
                int semi = rest.indexOf(';');
                int sig = Packets.parseHexInt(semi < 0 ? rest : rest.substring(0, semi));
                yield legacyResume(c == 'S', sig, semi < 0 ? "" : rest.substring(semi + 1));
            }
            case 'v' -> v(p);
            case 'k' -> { kill(); yield null; }
            case 'D' -> { session.send("OK"); session.ending = true; yield null; }
            default -> "";
        };
    }

    String stopStatus() {
        StopEvent e = debugger.lastStop();
        if (e != null) return e.reply();
        List<DebugThread> all = debugger.threads();
        return all.isEmpty() ? "S05" : StopEvent.signal(all.get(0), GdbSignals.TRAP).reply();
    }

    /** The thread g/p/m work on: the one selected with Hg, else the one that stopped, else the first. */
    DebugThread thread() {
        DebugThread t = generalThread > 0 ? debugger.thread(generalThread) : null;
        if (t == null) {
            StopEvent e = debugger.lastStop();
            t = e != null && debugger.thread(e.thread().id) != null ? e.thread() : null;
        }
        if (t == null) {
            List<DebugThread> all = debugger.threads();
            if (all.isEmpty()) throw new Packets.Malformed("no threads");
            t = all.get(0);
        }
        return t;
    }

    private String set(String p) throws IOException {
        if (p.equals("QStartNoAckMode")) {
            session.startNoAckMode();
            return null;
        }
        if (p.startsWith("QPassSignals:")) {
            long mask = 0;
            String list = p.substring("QPassSignals:".length());
            if (!list.isEmpty()) {
                for (String s : list.split(";")) {
                    int sig = GdbSignals.toLinux(Packets.parseHexInt(s));
                    if (sig > 0 && sig < 64) mask |= 1L << sig;
                }
            }
            debugger.passSignals(mask);
            return "OK";
        }
        if (p.startsWith("QProgramSignals:")) return "OK";
        return "";
    }

    private String selectThread(String rest) {
        char which = rest.charAt(0);
        String id = rest.substring(1);
        int tid = id.equals("-1") ? -1 : Packets.parseHexInt(id);
        if (tid > 0 && debugger.thread(tid) == null) return "E01";
        if (which == 'g') generalThread = tid;
        else if (which == 'c') continueThread = tid;
        else return "E01";
        return "OK";
    }

    /** Parses {@code ADDR,LEN}. */
    private static long[] range(String s) {
        int comma = s.indexOf(',');
        long addr = Packets.parseHex(s.substring(0, comma));
        long len = Packets.parseHex(s.substring(comma + 1));
        return new long[] {addr, len};
    }

    private String readMemory(String args) {
        long[] r = range(args);
        int len = (int) Math.min(r[1], MAX_MEMORY);
        if (len == 0) return "";
        byte[] data = target.read(thread(), r[0], len);
        return data.length == 0 ? "E14" : Packets.toHex(data);
    }

    private String writeMemory(String args, byte[] data) {
        long[] r = range(args);
        if (r[1] != data.length) return "E01";
        if (data.length == 0) return "OK";
        return target.write(thread(), r[0], data) ? "OK" : "E14";
    }

    private String point(boolean insert, String args) {
        String[] f = args.split("[,;]");
        int type = Packets.parseHexInt(f[0]);
        long addr = Packets.parseHex(f[1]);
        long kind = Packets.parseHex(f[2]);
        if (type > 4) return "";
        if (type >= 2 && (kind == 0 || kind > 1 << 20)) return "E01";
        return debugger.setPoint(type, addr, type >= 2 ? kind : 0, insert) ? "OK" : "E01";
    }

    private String legacyResume(boolean step, int gdbSignal, String addr) {
        if (!addr.isEmpty()) thread().hart.pc = Packets.parseHex(addr);
        Map<Integer, Action> actions = new HashMap<>();
        Map<Integer, Integer> signals = new HashMap<>();
        Action others = Action.CONTINUE;
        DebugThread t = continueThread > 0 ? debugger.thread(continueThread) : thread();
        if (step || continueThread > 0) {
            actions.put(t.id, step ? Action.STEP : Action.CONTINUE);
            if (step) others = null;
        }
        signals.put(t.id, GdbSignals.toLinux(gdbSignal));
        resume(actions, others, signals);
        return null;
    }

    private String v(String p) throws IOException {
        if (p.equals("vCont?")) return "vCont;c;C;s;S";
        if (p.startsWith("vCont;")) return vCont(p.substring(6));
        if (p.startsWith("vKill")) {
            session.send("OK");
            kill();
            return null;
        }
        return "";
    }

    private String vCont(String spec) {
        Map<Integer, Action> actions = new HashMap<>();
        Map<Integer, Integer> signals = new HashMap<>();
        Action others = null;
        int othersSignal = 0;
        for (String part : spec.split(";")) {
            int colon = part.indexOf(':');
            String act = colon < 0 ? part : part.substring(0, colon);
            Action a = switch (act.charAt(0)) {
                case 'c', 'C' -> Action.CONTINUE;
                case 's', 'S' -> Action.STEP;
                default -> throw new Packets.Malformed("vCont action " + act);
            };
            int sig = act.length() > 1 ? GdbSignals.toLinux(Packets.parseHexInt(act.substring(1))) : 0;
            String id = colon < 0 ? "-1" : part.substring(colon + 1);
            if (id.equals("-1") || id.equals("0")) {
                if (others == null) {
                    others = a;
                    othersSignal = sig;
                }
            } else {
                int tid = Packets.parseHexInt(id.startsWith("p") ? id.substring(id.indexOf('.') + 1) : id);
                actions.putIfAbsent(tid, a);
                signals.putIfAbsent(tid, sig);
            }
        }
        if (others != null && othersSignal != 0) {
            for (DebugThread t : debugger.threads()) signals.putIfAbsent(t.id, othersSignal);
        }
        resume(actions, others, signals);
        return null;
    }

    private void resume(Map<Integer, Action> actions, Action others, Map<Integer, Integer> signals) {
        session.running = true;
        debugger.resume(actions, others, signals);
    }

    private void kill() {
        session.ending = true;
        target.kill();
    }

    /** The target.xml text, for qXfer. */
    String xml() {
        return xml;
    }

    Target target() {
        return target;
    }

    Debugger debugger() {
        return debugger;
    }

    static String text(String hex) {
        return new String(Packets.fromHex(hex), StandardCharsets.UTF_8);
    }
}
