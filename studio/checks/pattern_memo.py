"""The prefilter's reading of each pack pattern (required_atoms, lead_strings), remembered across processes.

Reading the syntax trees of ~2,000 patterns is ~2 s of every process that builds a checker (each CLI call, batch
worker and test subprocess). The result depends only on the pattern, its flags and the code of prefilter.py, so it
is kept in a JSON file under the cache root (studio/cache.py) named by a hash of prefilter.py and the Python
version: a pattern not in it is read as before, and the file is rewritten (whole, through a temporary file) when
something was added. An unreadable file is ignored.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from pathlib import Path

from studio.checks import prefilter


def memo_path() -> Path:
    from studio.cache import cache_root

    code = Path(prefilter.__file__).read_bytes() + sys.version.encode()
    return cache_root() / f"pattern-analysis-{hashlib.sha256(code).hexdigest()[:16]}.json"


class PatternMemo:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.atoms: dict[str, tuple] = {}
        self.leads: dict[str, frozenset | None] = {}
        self.added = False
        if path is not None:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                self.atoms = {k: tuple(frozenset(c) for c in v) for k, v in data["atoms"].items()}
                self.leads = {k: None if v is None else frozenset(v) for k, v in data["leads"].items()}
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                self.atoms, self.leads = {}, {}

    @staticmethod
    def _key(regex: re.Pattern | str) -> str:
        """A source string stands for re.compile(source); a compiled pattern brings its flags."""
        return f"s:{regex}" if isinstance(regex, str) else f"{int(regex.flags)}:{regex.pattern}"

    def required_atoms(self, regex: re.Pattern | str) -> tuple:
        key = self._key(regex)
        if key not in self.atoms:
            self.atoms[key] = prefilter.required_atoms(regex)
            self.added = True
        return self.atoms[key]

    def lead_strings(self, regex: re.Pattern | str) -> frozenset | None:
        key = self._key(regex)
        if key not in self.leads:
            self.leads[key] = prefilter.lead_strings(regex)
            self.added = True
        return self.leads[key]

    def save(self) -> None:
        """Write the file if something was added (a read-only cache is left as it is)."""
        if self.path is None or not self.added:
            return
        data = {"atoms": {k: [sorted(c) for c in v] for k, v in self.atoms.items()},
                "leads": {k: None if v is None else sorted(v) for k, v in self.leads.items()}}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f".{self.path.name}.tmp-{os.getpid()}")
            tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError:
            pass
        self.added = False
