#!/usr/bin/env python3
"""Annotates HotSpot's machine code of translated regions with perf samples.

annotate.py LOG IPS OUT [TOP]
  LOG: the JVM's log with -XX:+PrintAssembly output (raw bytes, as printed without hsdis);
  IPS: sampled instruction addresses, one hex number per line (perf script -F ip);
  OUT: written with the disassembly (objdump) of the TOP (default 3) most sampled compiled
       methods, each instruction with its samples and share, and HotSpot's comments;
prints the compiled methods with the most samples.
"""
import collections
import html
import re
import subprocess
import sys
import tempfile

HEX_LINE = re.compile(r'^\s*0x([0-9a-f]+): ((?:[0-9a-f]{4} ?\|? ?)+)\s*$')
COMMENT = re.compile(r'^\s*0x([0-9a-f]+): ;(.*)$')


def methods(log):
    """Each compiled method printed in the log: header, start address, code bytes, comments."""
    found, current = [], None
    with open(log, errors='replace') as f:
        for line in f:
            if line.startswith('Compiled method'):
                current = {'header': line.strip(), 'start': None, 'code': bytearray(),
                           'comments': collections.defaultdict(list)}
                found.append(current)
                continue
            if current is None:
                continue
            m = HEX_LINE.match(line)
            if m:
                address = int(m.group(1), 16)
                if current['start'] is None:
                    current['start'] = address
                offset = address - current['start']
                if 0 <= offset < 1 << 22:
                    code = current['code']
                    if len(code) < offset:
                        code += b'\x90' * (offset - len(code))
                    data = bytes.fromhex(re.sub(r'[ |]', '', m.group(2)))
                    code[offset:offset + len(data)] = data
                continue
            m = COMMENT.match(line)
            if m:
                current['comments'][int(m.group(1), 16)].append(html.unescape(m.group(2).strip())[:160])
    return [m for m in found if m['start'] is not None]


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    log, ips_file, out_file = sys.argv[1:4]
    top = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    with open(ips_file) as f:
        ips = collections.Counter(int(l, 16) for l in (l.strip() for l in f) if l)
    total = sum(ips.values()) or 1
    ranked = []
    for m in methods(log):
        low, high = m['start'], m['start'] + len(m['code'])
        ranked.append((sum(c for a, c in ips.items() if low <= a < high), m))
    ranked.sort(key=lambda r: -r[0])
    print(f'{total} samples; compiled methods by share:')
    for n, m in ranked[:10]:
        if n:
            print(f'{100.0 * n / total:5.1f} %  {m["header"]}')
    with open(out_file, 'w') as out:
        for n, m in ranked[:top]:
            if not n:
                break
            with tempfile.NamedTemporaryFile(suffix='.bin') as code:
                code.write(m['code'])
                code.flush()
                dis = subprocess.run(['objdump', '-D', '-b', 'binary', '-m', 'i386:x86-64',
                                      f'--adjust-vma={m["start"]:#x}', code.name],
                                     capture_output=True, text=True, check=True).stdout
            out.write(f'==== {n} samples ({100.0 * n / total:.1f} %): {m["header"]}\n')
            for line in dis.splitlines():
                a = re.match(r'^\s*([0-9a-f]+):\t', line)
                if not a:
                    continue
                address = int(a.group(1), 16)
                for c in m['comments'].get(address, []):
                    out.write(f'{"":22}; {c}\n')
                c = ips.get(address, 0)
                share = f'{100.0 * c / total:.1f}' if c else ''
                out.write(f'{c or "":>6} {share:>5} {line.strip()}\n')


if __name__ == '__main__':
    main()
