"""Reading printed PDFs back the way a person's tools do: poppler's pdftotext, pdffonts,
pdfinfo and pdftoppm on the real bytes, written to a real file."""

from __future__ import annotations

import html
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path


def _file(data: bytes, folder: Path, name: str = "doc.pdf") -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def text(data: bytes, folder: Path, *, layout: bool = True) -> str:
    args = ["pdftotext", *(["-layout"] if layout else []), str(_file(data, folder)), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def pages_text(data: bytes, folder: Path) -> list[str]:
    """One string per page (pdftotext ends each page with a form feed)."""
    return text(data, folder).split("\f")[:-1]


@dataclass(frozen=True)
class Word:
    page: int
    text: str
    x_min: float
    x_max: float
    y_min: float


def words(data: bytes, folder: Path) -> list[Word]:
    """Every word with its box (pdftotext -bbox), to see where on the page it is."""
    out = subprocess.run(["pdftotext", "-bbox", str(_file(data, folder)), "-"], check=True,
                         capture_output=True, text=True).stdout
    found, page = [], 0
    for line in out.splitlines():
        if "<page " in line:
            page += 1
        match = _WORD.search(line)
        if match:
            x_min, y_min, x_max, _y_max, word = match.groups()
            found.append(Word(page, html.unescape(word), float(x_min), float(x_max),
                              float(y_min)))
    return found


_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                   r"(.*)</word>")


def watermarked_pages(data: bytes, folder: Path, word: str = "ENTWURF") -> list[bool]:
    """Per page: does it carry the diagonal ``word``? Rotated text comes out of pdftotext one
    letter a line; in raw (content stream) order the letters still follow each other."""
    raw = subprocess.run(["pdftotext", "-raw", str(_file(data, folder)), "-"], check=True,
                         capture_output=True, text=True).stdout
    return [word in "".join(page.split()) for page in raw.split("\f")[:-1]]


def info(data: bytes, folder: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(_file(data, folder))], check=True, capture_output=True,
                         text=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


@dataclass(frozen=True)
class FontRow:
    name: str
    type: str
    embedded: bool
    subset: bool
    unicode: bool


def fonts(data: bytes, folder: Path) -> list[FontRow]:
    out = subprocess.run(["pdffonts", str(_file(data, folder))], check=True, capture_output=True,
                         text=True).stdout.splitlines()
    rows = []
    for line in out[2:]:  # two header lines
        # name, type (may contain a space), encoding, emb, sub, uni, object id, generation
        parts = line.split()
        emb, sub, uni = parts[-5:-2]
        rows.append(FontRow(parts[0], " ".join(parts[1:-6]), emb == "yes", sub == "yes",
                            uni == "yes"))
    return rows


def png_pages(data: bytes, folder: Path, *, dpi: int = 60) -> list[Path]:
    prefix = folder / "page"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(_file(data, folder)), str(prefix)],
                   check=True, capture_output=True)
    return sorted(folder.glob("page*.png"))
