"""Stylesheets run under XSLT access control: no file reads or writes, no network; includes only
from the package's own xslt/ directory. A stylesheet that tries fails with one clear line."""

from __future__ import annotations

import pytest
from conftest import ROOT

from trotsky_tei.export import TARGETS, compile_stylesheet, run_stylesheet, stylesheet
from trotsky_tei.messages import TrotskyTeiError
from trotsky_tei.safexml import parse_file

SAMPLE = ROOT / "tests" / "fixtures" / "sample.xml"
HEAD = ('<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" '
        'xmlns:exsl="http://exslt.org/common" extension-element-prefixes="exsl">')


def _sheet(tmp_path, body: str, name: str = "hostile.xsl"):
    path = tmp_path / name
    path.write_text(HEAD + body + "</xsl:stylesheet>", "utf-8")
    return path


def test_document_function_cannot_read_a_file(tmp_path):
    secret = tmp_path / "secret.xml"
    secret.write_text("<secret>do not read</secret>", "utf-8")
    xslt = compile_stylesheet(_sheet(tmp_path, f'<xsl:template match="/"><r><xsl:copy-of select="document(\'{secret.as_uri()}\')"/></r></xsl:template>'))
    with pytest.raises(TrotskyTeiError) as err:
        run_stylesheet(xslt, parse_file(SAMPLE), "test")
    msg = err.value.message
    assert msg.kind == "export-access"
    assert "refused" in msg.text and "secret.xml" in msg.text and "\n" not in msg.render()
    assert "document()" in msg.hint


def test_document_function_cannot_reach_the_network(tmp_path):
    xslt = compile_stylesheet(_sheet(tmp_path, '<xsl:template match="/"><r><xsl:copy-of select="document(\'http://127.0.0.1:9/x.xml\')"/></r></xsl:template>'))
    with pytest.raises(TrotskyTeiError) as err:
        run_stylesheet(xslt, parse_file(SAMPLE), "test")
    assert err.value.message.kind == "export-access"


def test_stylesheet_cannot_write_files(tmp_path):
    target = tmp_path / "written.txt"
    xslt = compile_stylesheet(_sheet(tmp_path, f'<xsl:template match="/"><exsl:document href="{target}" method="text">x</exsl:document><r/></xsl:template>'))
    with pytest.raises(TrotskyTeiError) as err:
        run_stylesheet(xslt, parse_file(SAMPLE), "test")
    assert err.value.message.kind == "export-access"
    assert not target.exists()


def test_includes_outside_the_package_are_refused(tmp_path):
    _sheet(tmp_path, '<xsl:template name="x"/>', "other.xsl")
    path = _sheet(tmp_path, '<xsl:include href="other.xsl"/><xsl:template match="/"><r/></xsl:template>')
    with pytest.raises(TrotskyTeiError) as err:
        compile_stylesheet(path)
    assert "include" in str(err.value) and "refused" in str(err.value)


@pytest.mark.parametrize("target", sorted(set(TARGETS) - {"pdf"}))
def test_packaged_stylesheets_compile_and_run(target):
    out = run_stylesheet(stylesheet(TARGETS[target][0]), parse_file(SAMPLE), target)
    assert out.strip()
