"""A file parsed from disk a piece at a time (`safexml.parse_path`) is refused and accepted
exactly as the same bytes parsed whole (`safexml.parse_bytes`), also past the first piece."""

from __future__ import annotations

import pytest
from lxml import etree

from trotsky_tei import safexml
from trotsky_tei.messages import TrotskyTeiError

TEI = "http://www.tei-c.org/ns/1.0"
FILLER = "".join(f"<p>paragraph {i} of a long document</p>\n" for i in range(40000))   # about 1.5 MB


def _doc(body: str = FILLER, prolog: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}<TEI xmlns="{TEI}"><text><body><div>\n'
            f"{body}</div></body></text></TEI>\n").encode()


def _both(tmp_path, data: bytes):
    path = tmp_path / "doc.xml"
    path.write_bytes(data)
    out = []
    for parse in (lambda: safexml.parse_bytes(data, str(path)), lambda: safexml.parse_path(path)):
        try:
            out.append(etree.tostring(parse()))
        except TrotskyTeiError as exc:
            m = exc.message
            out.append((m.kind, m.line, m.text))
    return out


def test_a_long_file_parses_as_its_bytes(tmp_path):
    whole, pieces = _both(tmp_path, _doc())
    assert isinstance(whole, bytes) and whole == pieces


@pytest.mark.parametrize("data, kind", [
    (_doc(FILLER + "<p>broken</div>\n"), "xml-syntax"),                                   # past the first megabyte
    (_doc(prolog='<!DOCTYPE TEI [<!ENTITY x "y">]>\n'), "xml-doctype"),
    (_doc(FILLER + '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="/etc/passwd"/>\n'), "xml-xinclude"),
    (_doc(prolog="<!--" + "a comment longer than the first piece " * 40000 + "-->\n<!DOCTYPE TEI>\n"), "xml-doctype"),
])
def test_a_long_file_is_refused_as_its_bytes(tmp_path, data, kind):
    whole, pieces = _both(tmp_path, data)
    assert whole == pieces and whole[0] == kind
