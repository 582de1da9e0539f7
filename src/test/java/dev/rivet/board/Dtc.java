package dev.rivet.board;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the Device Tree Compiler (Debian device-tree-compiler) and reads its source output. */
final class Dtc {
    private Dtc() { }

    /** Output of a dtc run. */
    record Result(int exit, String out, String err) { }

    static boolean available(String tool) {
        try {
            Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static void assumeDtc() {
        assumeThat(available("dtc")).as("dtc (apt-get install device-tree-compiler)").isTrue();
    }

    static Result run(String... args) throws IOException, InterruptedException {
        Path err = Files.createTempFile("dtc", ".err");
        try {
            Process p = new ProcessBuilder(args).redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            return new Result(p.exitValue(), out, Files.readString(err));
        } finally {
            Files.deleteIfExists(err);
        }
    }

    /** Decompiles a blob to device tree source. */
    static Result decompile(byte[] dtb) throws IOException, InterruptedException {
        Path f = Files.createTempFile("rivet", ".dtb");
        try {
            Files.write(f, dtb);
            return run("dtc", "-I", "dtb", "-O", "dts", "-o", "-", f.toString());
        } finally {
            Files.deleteIfExists(f);
        }
    }

    private static final Pattern NODE = Pattern.compile("^\\s*(\\S+) \\{$");
    private static final Pattern PROP = Pattern.compile("^\\s*([^\\s=;]+)(?: = (.*))?;$");

    /** Node path ("/", "/soc/serial@10000000") to its properties (name to dtc's value text, "" if empty). */
    static Map<String, Map<String, String>> parse(String dts) {
        Map<String, Map<String, String>> nodes = new LinkedHashMap<>();
        Deque<String> path = new ArrayDeque<>();
        for (String line : dts.split("\n")) {
            Matcher n = NODE.matcher(line);
            Matcher p = PROP.matcher(line);
            if (n.matches()) {
                String name = n.group(1);
                String full = name.equals("/") ? "/" : (path.peek().equals("/") ? "" : path.peek()) + "/" + name;
                path.push(full);
                nodes.put(full, new LinkedHashMap<>());
            } else if (line.trim().equals("};")) {
                path.pop();
            } else if (p.matches() && !path.isEmpty()) {
                nodes.get(path.peek()).put(p.group(1), p.group(2) == null ? "" : p.group(2));
            }
        }
        return nodes;
    }
}
