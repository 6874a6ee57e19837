"""Source bytes -> text: the one place that decides encodings, line ends and characters XML cannot hold.

Policy (stated in full in docs/security.md):

* UTF-8 is the default; a UTF-8 byte-order mark is dropped. UTF-16 and UTF-32 are recognised by
  their byte-order mark only. Anything else is refused with a one-line error that names the first
  bad byte and suggests an ``--encoding`` (cp1252 when the bytes look like Windows text, latin-1
  otherwise). Nothing is guessed silently: a wrong guess would corrupt text without anyone noticing.
* CRLF and lone CR line ends become LF (as every XML parser would do anyway).
* Characters XML 1.0 cannot hold (C0 controls other than TAB/LF/CR) are replaced by their Unicode
  Control Picture (U+0007 BEL -> U+2407 "␇"), one warning per kind of character. The mapping is a
  bijection, so the source can be restored exactly; a file that already contains control pictures
  as well as controls is refused, because restoring it would be ambiguous.
* Noncharacters U+FFFE/U+FFFF and lone surrogates are refused (no text contains them).
* Empty or whitespace-only input, binary files and files over MAX_BYTES are refused.
"""

from __future__ import annotations

import codecs
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .messages import Message, Reporter, Severity, TrotskyTeiError, error

#: Largest source accepted (a whole volume of plain text is a few MB).
MAX_BYTES = 256 * 1024 * 1024

#: Byte-order marks, longest first (the UTF-32-LE mark starts with the UTF-16-LE one).
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: C0 controls XML 1.0 forbids (TAB, LF, CR are allowed; CR is gone after line-end normalisation).
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: Characters that can never be stored: noncharacters and (from permissive codecs) lone surrogates.
_FORBIDDEN = re.compile("[\ufffe\uffff\ud800-\udfff]")
#: Unicode Control Pictures U+2400-U+241F: the visible stand-ins for C0 controls.
_PICTURES = re.compile("[\u2400-\u241f]")
#: C1 controls: legal in XML, but in a text file they almost always mean a wrong decoding.
_C1 = re.compile("[\x80-\x9f]")
CONTROL_PICTURE_BASE = 0x2400

#: Share of control bytes above which a file is called binary rather than text.
BINARY_RATIO = 0.01
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


@dataclass
class Decoded:
    """The decoded text with what was done to it."""

    text: str
    encoding: str
    bom: bool = False
    messages: list[Message] = field(default_factory=list)


def _usage(text: str, *, file: str, hint: str) -> TrotskyTeiError:
    exc = error("usage", text, file=file, hint=hint)
    exc.exit_code = 2
    return exc


def _line_col(data: bytes | str, pos: int) -> tuple[int, int]:
    """1-based line and column of position `pos` (bytes or characters)."""
    nl = b"\n" if isinstance(data, bytes) else "\n"
    line = data.count(nl, 0, pos) + 1
    start = data.rfind(nl, 0, pos) + 1
    return line, pos - start + 1


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    return len(_CONTROL_BYTES.findall(sample)) > BINARY_RATIO * len(sample)


def _utf16_without_bom(data: bytes) -> str | None:
    """`utf-16-le`/`utf-16-be` when every other byte is NUL (ASCII text in UTF-16 without a BOM)."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _suggest_encoding(data: bytes) -> str:
    """The --encoding to suggest for bytes that are not UTF-8."""
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return "latin-1"
    return "cp1252"


def _check_encoding_name(encoding: str, name: str) -> str:
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise _usage(f"unknown encoding {encoding!r}", file=name,
                     hint="use a Python codec name such as utf-8, cp1252, latin-1 or utf-16") from None
    if not getattr(info, "_is_text_encoding", True):
        raise _usage(f"{encoding!r} is not a text encoding", file=name,
                     hint="use a Python codec name such as utf-8, cp1252, latin-1 or utf-16")
    return info.name


def _decode_bytes(data: bytes, name: str, encoding: str | None) -> tuple[str, str, bool]:
    """Bytes -> (text, codec name, had BOM), or a one-line error."""
    bom_codec = next((codec for bom, codec in BOMS if data.startswith(bom)), None)
    bom_len = next((len(bom) for bom, codec in BOMS if data.startswith(bom)), 0)
    if encoding is not None:
        codec = _check_encoding_name(encoding, name)
        if bom_codec is not None:
            family = codec.replace("_", "-").split("-sig")[0]
            if not bom_codec.startswith(family):
                raise _usage(
                    f"file starts with a {bom_codec.upper()} byte-order mark but --encoding {encoding} was given",
                    file=name, hint="leave out --encoding: the byte-order mark says how the file is encoded")
            codec = bom_codec
    elif bom_codec is not None:
        codec = bom_codec
    else:
        codec = "utf-8"
        guess16 = _utf16_without_bom(data)
        if guess16:
            raise error("encoding", "file looks like UTF-16 without a byte-order mark", file=name,
                        hint=f"try --encoding {guess16}")
    body = data[bom_len:] if bom_codec is not None else data
    try:
        text = body.decode(codec, errors="strict")
    except UnicodeDecodeError as exc:
        if encoding is None and codec == "utf-8" and _looks_binary(data):
            raise error("binary", "file is binary, not text", file=name,
                        hint="give a plain-text file (UTF-8, or name its encoding with --encoding)") from None
        line, col = _line_col(body, exc.start)
        bad = " ".join(f"0x{b:02X}" for b in body[exc.start:exc.end][:4])
        what = codec.upper() if codec.startswith("utf") else codec
        if encoding is None and codec == "utf-8":
            hint = f"try --encoding {_suggest_encoding(body)}"
        elif bom_codec is not None:
            hint = "the file is damaged after its byte-order mark; re-save it as UTF-8"
        else:
            hint = "name the file's real encoding with --encoding (utf-8, cp1252, latin-1, utf-16)"
        raise error("encoding", f"not {what}: byte {bad} cannot be decoded", file=name, line=line,
                    column=col, hint=hint) from None
    return text, codec, bom_codec is not None


def _char_name(ch: str) -> str:
    return unicodedata.name(ch, "") or {
        "\x00": "NULL", "\x07": "BELL", "\x08": "BACKSPACE", "\x0b": "LINE TABULATION",
        "\x0c": "FORM FEED", "\x1a": "SUBSTITUTE", "\x1b": "ESCAPE",
    }.get(ch, "control")


def _replace_controls(text: str, name: str, messages: list[Message]) -> str:
    """Map C0 controls to their control pictures, with one warning per kind of character."""
    found = list(_CONTROLS.finditer(text))
    if not found:
        return text
    if len(found) > BINARY_RATIO * len(text) and len(found) > 8:
        raise error("binary", f"file is binary, not text ({len(found)} control characters)", file=name,
                    hint="give a plain-text file")
    picture = _PICTURES.search(text)
    if picture:
        line, col = _line_col(text, picture.start())
        raise error("control-ambiguous",
                    f"file has both control characters and control pictures (U+{ord(picture.group()):04X}); "
                    "the controls could not be restored exactly", file=name, line=line, column=col,
                    hint="remove the control characters or the control pictures")
    first: dict[str, tuple[int, int]] = {}
    for m in found:
        first.setdefault(m.group(), (m.start(), 0))
        first[m.group()] = (first[m.group()][0], first[m.group()][1] + 1)
    for ch, (pos, count) in sorted(first.items(), key=lambda kv: kv[1][0]):
        line, col = _line_col(text, pos)
        pic = chr(CONTROL_PICTURE_BASE + ord(ch))
        times = f"{count} times, first here" if count > 1 else "once"
        messages.append(Message(
            "control-character", Severity.WARNING,
            f"U+{ord(ch):04X} {_char_name(ch)} cannot be stored in XML: replaced by U+{ord(pic):04X} {pic} ({times})",
            file=name, line=line, column=col,
            hint="remove it from the source if it is noise; U+2400-U+241F map back to the original controls"))
    return _CONTROLS.sub(lambda m: chr(CONTROL_PICTURE_BASE + ord(m.group())), text)


def decode(data: bytes, name: str = "-", encoding: str | None = None) -> Decoded:
    """Decode source bytes to text XML can hold, or raise a TrotskyTeiError naming file, place and fix."""
    if len(data) > MAX_BYTES:
        raise error("too-large", f"file is {len(data)} bytes, over the {MAX_BYTES} byte limit", file=name,
                    hint="split the source into several files")
    text, codec, bom = _decode_bytes(data, name, encoding)
    if not text.strip():
        raise error("empty", "file is empty" if not text else "file has only whitespace", file=name,
                    hint="give a plain-text file with at least one paragraph")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = _FORBIDDEN.search(text)
    if bad:
        line, col = _line_col(text, bad.start())
        raise error("forbidden-character",
                    f"character U+{ord(bad.group()):04X} cannot be stored in XML and has no meaning in text",
                    file=name, line=line, column=col, hint="remove it from the source")
    messages: list[Message] = []
    text = _replace_controls(text, name, messages)
    c1 = _C1.search(text)
    if c1:
        line, col = _line_col(text, c1.start())
        hint = ("the file is probably Windows text: try --encoding cp1252" if codec in ("latin-1", "iso8859-1")
                else "the text is probably decoded twice (mojibake); check the file's encoding")
        messages.append(Message(
            "c1-control", Severity.WARNING,
            f"C1 control character U+{ord(c1.group()):04X} in the text", file=name, line=line, column=col,
            hint=hint))
    if not text.strip():
        raise error("empty", "file has only control characters", file=name,
                    hint="give a plain-text file with at least one paragraph")
    return Decoded(text, codec, bom, messages)


def decode_source(data: bytes, name: str, encoding: str | None = None,
                  reporter: Reporter | None = None) -> str:
    """Decode source bytes (see `decode`); warnings go to `reporter` when given."""
    result = decode(data, name, encoding)
    if reporter is not None:
        reporter.messages.extend(result.messages)
    return result.text


def read_bytes(path_or_dash: str | Path) -> tuple[bytes, str]:
    """Read a file (or stdin for "-") -> (bytes, display name), with one-line errors."""
    if str(path_or_dash) == "-":
        return sys.stdin.buffer.read(MAX_BYTES + 1), "<stdin>"
    p = Path(path_or_dash)
    name = str(p)
    try:
        if p.is_dir():
            raise error("io", "is a directory, not a file", file=name, hint="give the path of a .txt file")
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise error("too-large", f"file is {size} bytes, over the {MAX_BYTES} byte limit", file=name,
                        hint="split the source into several files")
        with p.open("rb") as fh:
            data = fh.read(size + 1)     # not a MAX_BYTES buffer for every file
            if len(data) > size:         # grown since stat()
                data += fh.read(MAX_BYTES + 1 - len(data))
            return data, name
    except FileNotFoundError:
        raise error("io", "no such file", file=name, hint="check the path") from None
    except PermissionError:
        raise error("io", "permission denied", file=name, hint="check the file's permissions") from None
    except OSError as exc:
        raise error("io", f"cannot read file: {exc.strerror or exc}", file=name,
                    hint="check the path and permissions") from None


def read_source(path_or_dash: str | Path, encoding: str | None = None,
                reporter: Reporter | None = None) -> tuple[str, str]:
    """Read and decode a source file (or stdin for "-") -> (text, display name)."""
    data, name = read_bytes(path_or_dash)
    return decode_source(data, name, encoding, reporter), name


def restore_controls(text: str) -> str:
    """Undo the control-picture mapping (for the source reading, or to compare with the source bytes)."""
    return _PICTURES.sub(lambda m: chr(ord(m.group()) - CONTROL_PICTURE_BASE), text)
