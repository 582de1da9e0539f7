package dev.rivet.gdb;

import java.util.List;

/** The general query packets ({@code q...}) a session answers. */
final class Queries {
    private Queries() {}

    static String query(Commands c, String p) {
        Debugger debugger = c.debugger();
        Target target = c.target();
        if (p.startsWith("qSupported")) {
            return "PacketSize=" + "4000" + ";qXfer:features:read+;QStartNoAckMode+;swbreak+;hwbreak+;vContSupported+"
                    + (target.hasSignals() ? ";QPassSignals+" : "");
        }
        if (p.startsWith("qXfer:features:read:")) return features(c.xml(), p.substring("qXfer:features:read:".length()));
        if (p.equals("qAttached") || p.startsWith("qAttached:")) return target.attachedToExisting() ? "1" : "0";
        if (p.equals("qC")) return "QC" + Integer.toHexString(c.thread().id);
        if (p.equals("qfThreadInfo")) {
            List<DebugThread> all = debugger.threads();
            if (all.isEmpty()) return "l";
            StringBuilder b = new StringBuilder("m");
            for (DebugThread t : all) b.append(Integer.toHexString(t.id)).append(',');
            b.setLength(b.length() - 1);
            return b.toString();
        }
        if (p.equals("qsThreadInfo")) return "l";
        if (p.startsWith("qThreadExtraInfo,")) {
            DebugThread t = debugger.thread(Packets.parseHexInt(p.substring(p.indexOf(',') + 1)));
            if (t == null) return "E01";
            String info = target.threadInfo(t);
            return Packets.toHex(info == null ? "" : info);
        }
        if (p.startsWith("qRcmd,")) {
            String command = Commands.text(p.substring(6)).trim();
            String out = target.monitor(c.thread(), command);
            if (out == null) out = "unknown monitor command '" + command + "'; try 'monitor help'\n";
            return Packets.toHex(out);
        }
        if (p.equals("qSymbol::")) return "OK";
        return "";
    }

    /** {@code qXfer:features:read:ANNEX:OFFSET,LENGTH}: a chunk of target.xml. */
    private static String features(String xml, String args) {
        int colon = args.indexOf(':');
        if (colon < 0) throw new Packets.Malformed("qXfer without offset");
        if (!args.substring(0, colon).equals("target.xml")) return "E00";
        String range = args.substring(colon + 1);
        int comma = range.indexOf(',');
        long offset = Packets.parseHex(range.substring(0, comma));
        long length = Packets.parseHex(range.substring(comma + 1));
        if (offset > xml.length()) return "E01";
        int start = (int) offset;
        int end = (int) Math.min(xml.length(), offset + Math.min(length, 0x3000));
        return (end >= xml.length() ? "l" : "m") + xml.substring(start, end);
    }
}
