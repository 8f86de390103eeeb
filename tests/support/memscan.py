"""Read another process's memory as an attacker with ptrace rights would: every readable mapping
listed in /proc/PID/maps, read through /proc/PID/mem, searched for byte patterns."""

from __future__ import annotations

import re
from dataclasses import dataclass

CHUNK = 64 << 20
MAPS_LINE = re.compile(r"^([0-9a-f]+)-([0-9a-f]+) (\S{4}) \S+ \S+ \S+\s*(.*)$")


@dataclass(frozen=True)
class Hit:
    needle: str
    address: int
    mapping: str  # the mapped file or [heap], [stack], "" for anonymous memory

    def __str__(self) -> str:
        return f"{self.needle} at {self.address:#x} in {self.mapping or 'anonymous'}"


def readable_mappings(pid: int) -> list[tuple[int, int, str]]:
    mappings = []
    with open(f"/proc/{pid}/maps") as maps:
        for line in maps:
            match = MAPS_LINE.match(line.rstrip("\n"))
            if match is None or match.group(3)[0] != "r":
                continue
            name = match.group(4)
            if name in ("[vvar]", "[vsyscall]", "[vvar_vclock]"):
                continue  # kernel pages: not the process's data, and not readable this way
            mappings.append((int(match.group(1), 16), int(match.group(2), 16), name))
    return mappings


def scan(pid: int, needles: dict[str, bytes]) -> tuple[list[Hit], int]:
    """Every place a needle occurs; also returns how many bytes were read."""
    longest = max(len(n) for n in needles.values())
    hits: list[Hit] = []
    total = 0
    with open(f"/proc/{pid}/mem", "rb", buffering=0) as mem:
        for start, end, name in readable_mappings(pid):
            address = start
            tail = b""
            while address < end:
                size = min(CHUNK, end - address)
                try:
                    mem.seek(address)
                    data = mem.read(size)
                except OSError:
                    break  # a guard page or a mapping gone meanwhile
                if not data:
                    break
                total += len(data)
                window = tail + data
                base = address - len(tail)
                for label, needle in needles.items():
                    at = window.find(needle)
                    while at != -1:
                        if at + len(needle) > len(tail):  # not already reported last chunk
                            hits.append(Hit(label, base + at, name))
                        at = window.find(needle, at + 1)
                tail = window[-(longest - 1):] if longest > 1 else b""
                address += len(data)
    return hits, total
