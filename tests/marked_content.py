"""A PDF's pages read as assistive technology reads them: the content stream's operators (pikepdf's parser), the
text of each marked-content sequence decoded through the fonts' ToUnicode maps, and how the sequences nest."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pikepdf

SHOW = ("Tj", "TJ", "'", '"')
LINE = ("T*", "Td", "TD", "Tm", "'", '"')
_HEX = re.compile(rb"<([0-9A-Fa-f]+)>")


def unicode_map(font: pikepdf.Dictionary) -> dict[int, str]:
    """What each one-byte code of a simple font stands for, read from its ToUnicode CMap (bfchar and bfrange)."""
    if "/ToUnicode" not in font:
        return {}
    data = font.ToUnicode.read_bytes()
    out: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        values = _HEX.findall(block)
        for code, value in zip(values[::2], values[1::2]):
            out[int(code, 16)] = bytes.fromhex(value.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        values = _HEX.findall(block)
        for low, high, start in zip(values[::3], values[1::3], values[2::3]):
            first = ord(bytes.fromhex(start.decode()).decode("utf-16-be"))
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                out[code] = chr(first + offset)
    return out


@dataclass
class Page:
    """One page's marked content: the text of each MCID, the artifacts' text, and every place where marked content
    and text objects do not nest, or text is drawn outside any marked content."""

    texts: dict[int, str] = field(default_factory=dict)
    artifacts: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def read_page(page: pikepdf.Page) -> Page:
    """Walk ``page``'s content stream: each BDC/BMC ... EMC must nest with each BT ... ET (ISO 32000-1 14.6)."""
    fonts = page.obj.Resources.get("/Font", {})
    maps: dict[str, dict[int, str]] = {}
    out = Page()
    stack: list[str | int | None] = []  # "BT", "artifact", an MCID, or None (marked content without an MCID)
    current: dict[int, str] = {}
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op in ("BDC", "BMC"):
            props = operands[1] if op == "BDC" else None
            if operands[0] == "/Artifact":
                stack.append("artifact")
            else:
                stack.append(int(props.MCID) if isinstance(props, pikepdf.Dictionary) and "/MCID" in props else None)
        elif op == "EMC":
            if not stack or stack[-1] == "BT":
                out.problems.append(f"EMC {'inside a text object begun outside its sequence' if stack else 'unpaired'}")
            else:
                stack.pop()
        elif op == "BT":
            stack.append("BT")
        elif op == "ET":
            if stack and stack[-1] == "BT":
                stack.pop()
            else:
                out.problems.append(f"ET with marked content still open inside the text object: {stack[-1:]}")
                while stack and stack.pop() != "BT":
                    pass
        elif op == "Tf":
            name = str(operands[0])
            current = maps.setdefault(name, unicode_map(fonts[name]))
        elif op in SHOW:
            strings = operands[-1] if op == "TJ" else [operands[-1]]
            text = "".join(current.get(b, "\ufffd") for s in strings if isinstance(s, pikepdf.String) for b in bytes(s))
            if op in LINE:
                text = "\n" + text
            marks = [entry for entry in stack if entry != "BT"]
            if not marks:
                if text.strip():
                    out.problems.append(f"text outside any marked content: {text!r}")
            elif marks[-1] == "artifact":
                out.artifacts.append(text)
            elif isinstance(marks[-1], int):
                out.texts[marks[-1]] = out.texts.get(marks[-1], "") + text
        elif op in LINE:
            marks = [entry for entry in stack if entry != "BT"]
            if marks and isinstance(marks[-1], int) and marks[-1] in out.texts:
                out.texts[marks[-1]] += "\n"
    if stack:
        out.problems.append(f"left open at the end of the page: {stack}")
    return out
