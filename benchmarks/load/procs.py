"""RSS and CPU per process of a server's process tree, read from /proc.

psutil is not in the pinned set, and adding it for a benchmark would change
every developer's environment; Linux's /proc gives the same two figures.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
MODULE_NAMES = {
    "rasa_sdk": "actions", "frontdoor.rasa.serve": "rasa", "frontdoor.launcher": "launcher", "frontdoor.web": "web",
    "frontdoor.queue": "queue", "frontdoor.handoff.worker": "handoff-worker",
}
"""``python -m`` modules of a ``make run`` tree, named as the issue's memory figures name them."""


def _read(pid: int, name: str) -> Optional[str]:
    try:
        return Path(f"/proc/{pid}/{name}").read_text()
    except OSError:  # the process has gone
        return None


def _stat_fields(pid: int) -> Optional[List[str]]:
    """Fields of /proc/PID/stat after the command name (which may contain spaces)."""
    stat = _read(pid, "stat")
    return stat.rsplit(")", 1)[1].split() if stat else None


def descendants(root: int) -> List[int]:
    """``root`` and every process below it."""
    children: Dict[int, List[int]] = {}
    for entry in Path("/proc").iterdir():
        fields = _stat_fields(int(entry.name)) if entry.name.isdigit() else None
        if fields:
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, queue = [], [root]
    while queue:
        pid = queue.pop()
        found.append(pid)
        queue.extend(children.get(pid, []))
    return found


def label(pid: int) -> str:
    """A readable name: the ``-m`` module's role, else the program's file name."""
    argv = (_read(pid, "cmdline") or "").split("\0")
    for index, arg in enumerate(argv[1:-1], start=1):  # interpreter options only: a script's own -m is not one
        if not arg.startswith("-"):
            break
        if arg == "-m":
            module = argv[index + 1]
            return MODULE_NAMES.get(module, module)
    program = next((a for a in argv[1:2] if not a.startswith("-")), argv[0])
    return Path(program).name or str(pid)


def cpu_seconds(pid: int) -> float:
    fields = _stat_fields(pid)
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS if fields else 0.0


def rss_mb(pid: int) -> float:
    statm = _read(pid, "statm")
    return int(statm.split()[1]) * PAGE_BYTES / 2**20 if statm else 0.0


def tree_rss(root: int) -> Dict[str, float]:
    """RSS in MB of each process of the tree, by label."""
    return {label(pid): round(rss_mb(pid), 1) for pid in descendants(root)}


@dataclass
class Usage:
    """Peak RSS and CPU (percent of one core) of each process of a tree while a cell runs."""

    root: int
    interval: float = 0.5
    names: Dict[int, str] = field(default_factory=dict)
    peak_mb: Dict[int, float] = field(default_factory=dict)
    cpu_start: Dict[int, float] = field(default_factory=dict)
    cpu_percent: Dict[int, float] = field(default_factory=dict)
    started: float = 0.0
    _task: Optional[asyncio.Task] = None

    async def __aenter__(self) -> Usage:
        for pid in descendants(self.root):
            name = label(pid)
            self.names[pid] = f"{name}-{pid}" if name in self.names.values() else name
        self.cpu_start = {pid: cpu_seconds(pid) for pid in self.names}
        self.started = asyncio.get_running_loop().time()
        self._task = asyncio.create_task(self._sample())
        return self

    async def _sample(self) -> None:
        while True:
            for pid in self.names:
                self.peak_mb[pid] = max(self.peak_mb.get(pid, 0.0), rss_mb(pid))
            await asyncio.sleep(self.interval)

    async def __aexit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()
        elapsed = max(asyncio.get_running_loop().time() - self.started, 1e-9)
        self.cpu_percent = {pid: max(0.0, 100 * (cpu_seconds(pid) - start) / elapsed)
                            for pid, start in self.cpu_start.items()}

    def report(self) -> Dict[str, Dict[str, float]]:
        return {self.names[pid]: {"rss_mb_peak": round(self.peak_mb.get(pid, 0.0), 1),
                                  "cpu_percent": round(self.cpu_percent.get(pid, 0.0), 1)} for pid in self.names}
