"""XML attacks on everything that reads XML: each is refused with a clear one-line message, and no
file outside the document is read or written."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest
from lxml import etree

from trotsky_tei import safexml
from trotsky_tei.messages import TrotskyTeiError

TEI = "http://www.tei-c.org/ns/1.0"
SECRET = "TOP-SECRET-CONTENT"


@pytest.fixture
def secret(tmp_path) -> Path:
    p = tmp_path / "secret.txt"
    p.write_text(SECRET)
    return p


@pytest.fixture
def listener():
    """A local TCP socket that records whether anything connected (no real network is used)."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(5)
    srv.settimeout(0.2)
    hits: list[bytes] = []
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except OSError:
                continue
            hits.append(conn.recv(1024))
            conn.close()

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.getsockname()[1]}", hits
    stop.set()
    t.join(1)
    srv.close()


def _tei(body: str, prolog: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}'
            f'<TEI xmlns="{TEI}"><teiHeader/><text><body><p>{body}</p></body></text></TEI>').encode()


def refused(data: bytes, kind: str | None = None) -> TrotskyTeiError:
    with pytest.raises(TrotskyTeiError) as info:
        safexml.parse_bytes(data, "evil.xml")
    msg = info.value.message
    assert msg.file == "evil.xml" and msg.hint and "\n" not in msg.render()
    assert SECRET not in msg.render()
    if kind:
        assert msg.kind == kind, msg.render()
    return info.value


def xxe_file(secret: Path) -> bytes:
    return _tei("&xxe;", f'<!DOCTYPE TEI [<!ENTITY xxe SYSTEM "file://{secret}">]>\n')


def xxe_net(url: str) -> bytes:
    return _tei("&xxe;", f'<!DOCTYPE TEI [<!ENTITY xxe SYSTEM "{url}/x">]>\n')


BILLION_LAUGHS = _tei("&lol9;", "<!DOCTYPE TEI [\n" + '<!ENTITY lol "lol">\n' + "".join(
    f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">\n' for i in range(1, 10)) + "]>\n")


def test_xxe_local_file(secret):
    exc = refused(xxe_file(secret), "xml-doctype")
    assert exc.message.line == 2
    assert "XXE" in exc.message.text


def test_xxe_network(listener):
    url, hits = listener
    refused(xxe_net(url), "xml-doctype")
    assert hits == []


def test_billion_laughs():
    refused(BILLION_LAUGHS, "xml-doctype")


def test_billion_laughs_hidden_behind_a_long_comment():
    data = BILLION_LAUGHS.replace(b"<!DOCTYPE", b"<!--" + b"x" * 100_000 + b"-->\n<!DOCTYPE", 1)
    refused(data, "xml-doctype")


def test_declaration_after_many_comments_and_pis(secret):
    prolog = "<?pi x?>\n<!-- c -->\n" * 20_000
    exc = refused(xxe_file(secret).replace(b"<!DOCTYPE", prolog.encode() + b"<!DOCTYPE", 1), "xml-doctype")
    assert exc.message.line == 2 + 40_000


def test_declaration_words_inside_the_document_are_text():
    tree = safexml.parse_bytes(_tei("<![CDATA[<!DOCTYPE x [<!ENTITY a 'b'>]>]]> <!-- <!ENTITY y 'z'> -->"), "doc.xml")
    assert "<!DOCTYPE" in "".join(tree.getroot().itertext())


def test_xxe_in_utf16_without_bom(secret):
    text = xxe_file(secret).decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    refused(text.encode("utf-16-le"))


def test_large_text_nodes_are_accepted():
    """A 12 MB paragraph is legitimate text (libxml2 refuses over 10 MB without its huge option)."""
    tree = safexml.parse_bytes(_tei("word " * 2_500_000), "doc.xml")
    assert len(tree.getroot().findtext(f".//{{{TEI}}}p")) == 12_500_000


def test_xxe_in_utf16(secret):
    text = xxe_file(secret).decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    refused(text.encode("utf-16"), "xml-doctype")


def test_external_dtd(tmp_path, secret, listener):
    url, hits = listener
    dtd = tmp_path / "evil.dtd"
    dtd.write_text(f'<!ENTITY xxe SYSTEM "file://{secret}">')
    refused(_tei("&xxe;", f'<!DOCTYPE TEI SYSTEM "file://{dtd}">\n'), "xml-doctype")
    refused(_tei("x", f'<!DOCTYPE TEI PUBLIC "-//EVIL//DTD" "{url}/evil.dtd">\n'), "xml-doctype")
    assert hits == []


def test_parameter_entities():
    refused(_tei("x", '<!DOCTYPE TEI [<!ENTITY % p "<!ENTITY q \'boom\'>"> %p;]>\n'), "xml-doctype")


def test_undeclared_entity_is_a_syntax_error():
    refused(_tei("&nbsp;"), "xml-syntax")


@pytest.mark.parametrize("ns", safexml.XINCLUDE_NS)
def test_xinclude(secret, ns):
    exc = refused(_tei(f'<xi:include xmlns:xi="{ns}" href="file://{secret}" parse="text"/>'), "xml-xinclude")
    assert exc.message.line == 2


def test_deep_nesting():
    refused(b"<a>" * 5000 + b"</a>" * 5000, "xml-depth")


@pytest.mark.parametrize("data", [b"", b"   \n", b"\x00\x01\x02binary", b"<TEI", b"not xml at all",
                                  b'<?xml version="1.0" encoding="x-no-such"?><a/>'])
def test_garbage(data):
    refused(data)


def test_xml_stylesheet_pi_is_inert(tmp_path, secret):
    """A stylesheet processing instruction is kept as data; nothing ever follows its href."""
    evil = tmp_path / "evil.xsl"
    evil.write_text(f'<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
                    f'<xsl:template match="/"><xsl:copy-of select="document(\'file://{secret}\')"/></xsl:template>'
                    f'</xsl:stylesheet>')
    tree = safexml.parse_bytes(_tei("ok", f'<?xml-stylesheet type="text/xsl" href="file://{evil}"?>\n'), "doc.xml")
    assert tree.getroot().tag == f"{{{TEI}}}TEI"
    assert SECRET not in etree.tostring(tree, encoding="unicode")


def test_a_safe_document_parses(tmp_path):
    p = tmp_path / "ok.xml"
    p.write_bytes(_tei("Penza, 26 May 1918"))
    tree = safexml.parse_file(p)
    assert tree.getroot().findtext(f".//{{{TEI}}}p") == "Penza, 26 May 1918"


def test_parse_file_errors(tmp_path):
    for path in (tmp_path / "missing.xml", tmp_path):
        with pytest.raises(TrotskyTeiError) as info:
            safexml.parse_file(path)
        assert info.value.message.kind == "io" and info.value.message.file == str(path)


# --- stylesheets: file and network access is denied -------------------------------------------

XSL = "http://www.w3.org/1999/XSL/Transform"


def _stylesheet(tmp_path: Path, body: str, extra_ns: str = "", version: str = "1.0") -> etree.XSLT:
    p = tmp_path / "s.xsl"
    p.write_text(f'<xsl:stylesheet version="{version}" xmlns:xsl="{XSL}" {extra_ns}>'
                 f'<xsl:template match="/">{body}</xsl:template></xsl:stylesheet>')
    return safexml.load_stylesheet(p)


def _denied(xslt: etree.XSLT, doc: etree._ElementTree) -> TrotskyTeiError:
    with pytest.raises(TrotskyTeiError) as info:
        safexml.transform(xslt, doc, "doc.xml")
    assert info.value.message.kind == "xslt-denied", info.value.message.render()
    assert SECRET not in info.value.message.render()
    return info.value


@pytest.fixture
def doc():
    return safexml.parse_bytes(_tei("ok"), "doc.xml")


def test_xslt_document_reading_a_file_is_denied(tmp_path, secret, doc):
    xml_secret = tmp_path / "secret.xml"
    xml_secret.write_text(f"<s>{SECRET}</s>")
    _denied(_stylesheet(tmp_path, f"<out><xsl:copy-of select=\"document('file://{xml_secret}')\"/></out>"), doc)


def test_xslt_document_from_the_input_is_denied(tmp_path, doc):
    """A crafted document can name a file; a stylesheet that dereferences it is still denied."""
    xml_secret = tmp_path / "secret.xml"
    xml_secret.write_text(f"<s>{SECRET}</s>")
    crafted = safexml.parse_bytes(_tei(f'<ptr xmlns="{TEI}" target="file://{xml_secret}"/>'), "doc.xml")
    xslt = _stylesheet(tmp_path, '<out><xsl:copy-of select="document(//*[local-name()=\'ptr\']/@target)"/></out>')
    _denied(xslt, crafted)


def test_xslt_document_over_the_network_is_denied(tmp_path, doc, listener):
    url, hits = listener
    _denied(_stylesheet(tmp_path, f"<out><xsl:copy-of select=\"document('{url}/x.xml')\"/></out>"), doc)
    assert hits == []


def test_exsl_document_writing_a_file_is_denied(tmp_path, doc):
    target = tmp_path / "written.txt"
    xslt = _stylesheet(tmp_path, f'<exsl:document href="{target}" method="text">pwned</exsl:document><ok/>',
                       'xmlns:exsl="http://exslt.org/common" extension-element-prefixes="exsl"')
    _denied(xslt, doc)
    assert not target.exists()


def test_xsl_document_writing_a_file_is_denied(tmp_path, doc):
    target = tmp_path / "written.txt"
    xslt = _stylesheet(tmp_path, f'<xsl:document href="{target}" method="text">pwned</xsl:document><ok/>',
                       version="1.1")
    _denied(xslt, doc)
    assert not target.exists()


def test_stylesheet_may_not_include_files_outside_its_directory(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "evil.xsl").write_text(f'<xsl:stylesheet version="1.0" xmlns:xsl="{XSL}"/>')
    inner = tmp_path / "xslt"
    inner.mkdir()
    (inner / "main.xsl").write_text(f'<xsl:stylesheet version="1.0" xmlns:xsl="{XSL}">'
                                    f'<xsl:include href="../outside/evil.xsl"/></xsl:stylesheet>')
    with pytest.raises(TrotskyTeiError) as info:
        safexml.load_stylesheet(inner / "main.xsl")
    assert info.value.message.kind == "xslt"


def test_stylesheet_may_include_its_siblings(tmp_path, doc):
    (tmp_path / "common.xsl").write_text(f'<xsl:stylesheet version="1.0" xmlns:xsl="{XSL}">'
                                         f'<xsl:template name="hello"><hello/></xsl:template></xsl:stylesheet>')
    (tmp_path / "main.xsl").write_text(f'<xsl:stylesheet version="1.0" xmlns:xsl="{XSL}">'
                                       f'<xsl:include href="common.xsl"/>'
                                       f'<xsl:template match="/"><xsl:call-template name="hello"/></xsl:template>'
                                       f'</xsl:stylesheet>')
    result = safexml.transform(safexml.load_stylesheet(tmp_path / "main.xsl"), doc)
    assert result.getroot().tag == "hello"


def test_the_toolkit_stylesheets_compile_under_the_policy():
    xslt_dir = Path(safexml.__file__).parent / "xslt"
    sheets = sorted(xslt_dir.glob("*.xsl"))
    assert sheets
    for sheet in sheets:
        safexml.load_stylesheet(sheet)


# --- the commands: validate and export refuse every attack in one line, read nothing, write nothing ---

TARGETS = ["text", "html", "fo", "pdf", "dc", "ead", "csv", "json"]


def _attacks(tmp_path: Path, secret: Path, url: str) -> dict[str, bytes]:
    dtd = tmp_path / "evil.dtd"
    dtd.write_text(f'<!ENTITY xxe SYSTEM "file://{secret}">')
    return {
        "xxe-file": xxe_file(secret),
        "xxe-network": xxe_net(url),
        "billion-laughs": BILLION_LAUGHS,
        "external-dtd": _tei("&xxe;", f'<!DOCTYPE TEI SYSTEM "file://{dtd}">\n'),
        "external-dtd-network": _tei("x", f'<!DOCTYPE TEI SYSTEM "{url}/evil.dtd">\n'),
        "xinclude": _tei(f'<xi:include xmlns:xi="{safexml.XINCLUDE_NS[0]}" href="file://{secret}" parse="text"/>'),
        "xinclude-network": _tei(f'<xi:include xmlns:xi="{safexml.XINCLUDE_NS[0]}" href="{url}/x" parse="text"/>'),
    }


def _cli(args: list[str]):
    from click.testing import CliRunner

    from trotsky_tei.cli import main

    result = CliRunner().invoke(main, args, catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output + result.stderr
    return result


@pytest.mark.parametrize("command", ["validate"] + [f"export:{t}" for t in TARGETS])
def test_commands_refuse_attacks(tmp_path, secret, listener, command):
    url, hits = listener
    for attack, data in _attacks(tmp_path, secret, url).items():
        src = tmp_path / f"{attack}.xml"
        src.write_bytes(data)
        out = tmp_path / f"{attack}.out"
        if command == "validate":
            result = _cli(["validate", str(src)])
        else:
            result = _cli(["export", str(src), "--to", command.split(":")[1], "-o", str(out)])
        text = result.output + result.stderr
        assert result.exit_code in (1, 2), f"{attack}: {command} accepted it:\n{text}"
        assert "refused" in text and str(src) in text, f"{attack}: {text}"
        assert SECRET not in text
        assert not out.exists()
        assert src.read_bytes() == data
    assert hits == []


def test_export_stylesheets_run_with_every_access_denied():
    from trotsky_tei import export

    assert not any(export.ACCESS.options.values()), export.ACCESS.options
    assert not any(safexml.XSLT_ACCESS.options.values())


def test_export_compiles_stylesheets_that_cannot_read_files(tmp_path, secret, doc):
    """The exporter's own compile path denies document() at run time."""
    from trotsky_tei import export

    xml_secret = tmp_path / "secret.xml"
    xml_secret.write_text(f"<s>{SECRET}</s>")
    sheet = tmp_path / "evil.xsl"
    sheet.write_text(f'<xsl:stylesheet version="1.0" xmlns:xsl="{XSL}"><xsl:template match="/">'
                     f"<out><xsl:copy-of select=\"document('file://{xml_secret}')\"/></out>"
                     f"</xsl:template></xsl:stylesheet>")
    with pytest.raises(TrotskyTeiError) as info:
        export.run_stylesheet(export.compile_stylesheet(sheet), doc, "evil")
    assert SECRET not in info.value.message.render()
    assert "refused" in info.value.message.text


def test_project_stylesheets_and_rules_never_reach_outside():
    """No stylesheet or Schematron rule of the project reads or writes another file (besides the
    access policy they run under, this is checked in their text)."""
    root = Path(safexml.__file__).resolve().parent
    files = sorted((root / "xslt").glob("*.xsl")) + sorted((root.parent / "schemas").glob("*.sch"))
    assert files
    for f in files:
        text = f.read_text("utf-8")
        for needle in ("document(", "xsl:document", "exsl:document", "unparsed-text", "XInclude", "<!ENTITY"):
            assert needle not in text, f"{f.name} uses {needle}"


def test_crafted_document_links_are_not_followed(tmp_path, secret, listener):
    """A valid-looking TEI whose pointers name local files or URLs, with a stylesheet PI: every export
    treats them as text; nothing is read or fetched."""
    url, hits = listener
    data = _tei(f'see <ref target="file://{secret}">this</ref> and <ptr target="{url}/x"/>',
                f'<?xml-stylesheet type="text/xsl" href="{url}/evil.xsl"?>\n')
    src = tmp_path / "crafted.xml"
    src.write_bytes(data)
    for target in ["text", "html", "fo", "dc", "ead", "csv", "json"]:
        result = _cli(["export", str(src), "--to", target, "-o", str(tmp_path / f"out.{target}")])
        out = tmp_path / f"out.{target}"
        written = out.read_bytes() if out.exists() else b""
        assert SECRET.encode() not in written and SECRET not in result.output + result.stderr
    assert hits == []
