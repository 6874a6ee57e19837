"""The HTML reading edition, opened by its real consumer: headless Chromium driven by Selenium.

The page must work offline (no request leaves it), switch between the source and the corrected
reading, show an entity's authority card on click, link notes and references both ways and
index every mention. A screenshot of the page, of the map and of the timeline is saved in the
test's temporary directory."""

from __future__ import annotations

import base64
import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import NS, ROOT
from lxml import etree, html
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from trotsky_tei.export import export_tree
from trotsky_tei.safexml import parse_file

SAMPLE = ROOT / "tests" / "fixtures" / "sample.xml"
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage", "--window-size=1200,1600")


def _program(*names: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    raise AssertionError(f"{names[0]} is not installed: run `make system-deps` (Debian packages chromium, chromium-driver)")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    os.environ.setdefault("SE_OFFLINE", "true")    # Selenium Manager must not download a driver
    opts = Options()
    opts.binary_location = _program("chromium", "chromium-browser")
    for flag in CHROMIUM_FLAGS:
        opts.add_argument(flag)
    opts.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    driver = webdriver.Chrome(options=opts, service=Service(executable_path=_program("chromedriver")))
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def sample_page(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("html") / "sample.html"
    out.write_bytes(export_tree(parse_file(SAMPLE), "html"))
    return out


@pytest.fixture(scope="module")
def corpus_page(corpus_tree, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("html") / "corpus.html"
    out.write_bytes(export_tree(corpus_tree, "html"))
    return out


def visible_text(driver, css: str) -> str:
    return driver.find_element(By.CSS_SELECTOR, css).text


def test_self_contained_no_network_references(sample_page):
    text = sample_page.read_text("utf-8")
    assert text.startswith("<!DOCTYPE html>")
    doc = html.fromstring(text)
    assert not doc.xpath("//script[@src] | //link[@href] | //img | //iframe")
    # Only outbound links to the authorities; nothing the page itself would load.
    external = {a.get("href") for a in doc.xpath("//a[starts-with(@href, 'http')]")}
    assert external == {"https://www.wikidata.org/wiki/Q33391", "https://www.wikidata.org/wiki/Q947390",
                        "https://www.wikidata.org/wiki/Q959", "https://www.geonames.org/2013348",
                        "https://www.wikidata.org/wiki/Q1650", "https://www.geonames.org/581049",
                        "https://www.geonames.org/499099", "https://www.wikidata.org/wiki/Q1141460"}
    assert doc.xpath("//style") and doc.xpath("//script")


def test_every_internal_link_has_a_target(sample_page):
    doc = html.fromstring(sample_page.read_bytes())
    ids = set(doc.xpath("//@id"))
    targets = [h[1:] for h in doc.xpath("//a/@href") if h.startswith("#")]
    assert targets and all(t in ids for t in targets), sorted(set(targets) - ids)
    assert len(ids) == len(doc.xpath("//@id")), "ids are unique"


def test_toggle_between_source_and_corrected_reading(browser, sample_page, tmp_path):
    browser.get(sample_page.as_uri())
    assert browser.title == "Sample writings on a mutiny, 1918"
    d1 = "#d1"
    assert "confused by agents" in visible_text(browser, d1)
    assert "con fused" not in visible_text(browser, d1)
    # The edition's own correction: the running text already has the corrected reading.
    assert "until April 4" in visible_text(browser, "#d2")
    browser.find_element(By.CSS_SELECTOR, "label:has(#reading-source)").click()
    assert browser.execute_script("return document.body.dataset.reading") == "source"
    assert "con fused by agents" in visible_text(browser, d1)
    assert "confused by agents" not in visible_text(browser, d1)
    d2 = visible_text(browser, "#d2")
    assert "until April 4 [The text has ‘July 4’" in d2      # source: the note stands in brackets
    assert "[80]" in d2
    assert "honour" in visible_text(browser, "#d3")
    browser.save_screenshot(str(tmp_path / "source-reading.png"))
    browser.find_element(By.CSS_SELECTOR, "label:has(#reading-corrected)").click()
    assert "confused by agents" in visible_text(browser, d1)
    assert "honor" in visible_text(browser, "#d3") and "honour" not in visible_text(browser, "#d3")
    browser.save_screenshot(str(tmp_path / "corrected-reading.png"))


def test_entity_card_on_click_with_authority_links(browser, sample_page):
    browser.get(sample_page.as_uri())
    mention = browser.find_element(By.CSS_SELECTOR, "#d1 a.ent[data-ref='vladivostok']")
    person = browser.find_element(By.CSS_SELECTOR, "#d1 a.ent[data-ref='lockhart']")
    # Hover: the authority record as a tooltip.
    ActionChains(browser).move_to_element(person).perform()
    assert person.get_attribute("title") == "Lockhart, Robert Bruce (1887–1970) — British agent in Moscow."
    ActionChains(browser).move_to_element(mention).perform()
    assert mention.get_attribute("title") == "Vladivostok"
    mention.click()
    card = browser.find_element(By.ID, "entity-card")
    assert card.is_displayed()
    assert "Vladivostok" in card.text and "43.1056 131.8735" in card.text
    hrefs = {a.get_attribute("href") for a in card.find_elements(By.CSS_SELECTOR, "a.authority")}
    assert hrefs == {"https://www.wikidata.org/wiki/Q959", "https://www.geonames.org/2013348"}
    assert "3 mentions" in card.text
    browser.find_element(By.CSS_SELECTOR, "#entity-card button.close").click()
    assert not card.is_displayed()


def test_index_groups_mentions_by_document(browser, sample_page):
    browser.get(sample_page.as_uri())
    assert browser.find_element(By.CSS_SELECTOR, "#e-vladivostok .mentions").text == "§1: 1 §2: 1 notes: 1"
    assert browser.find_element(By.CSS_SELECTOR, "#e-czechoslovak-corps .mentions").text == "front: 1 §1: 1 §3: 1"
    # Without the script the links name their document: the page stays usable.
    doc = html.fromstring(sample_page.read_bytes())
    assert [a.text.strip() for a in doc.xpath("//li[@id='e-vladivostok']//a[@class='mention']")] == ["1", "2", "n"]


def test_notes_link_both_ways(browser, sample_page):
    browser.get(sample_page.as_uri())
    browser.find_element(By.CSS_SELECTOR, "#d2 a.noteref").click()
    assert browser.execute_script("return location.hash") == "#en80"
    back = browser.find_element(By.CSS_SELECTOR, "#en80 a.backlink")
    ref_id = back.get_attribute("href").split("#")[1]
    assert browser.find_element(By.ID, ref_id).get_attribute("class") == "noteref"
    # The translator's note in the text: marker -> note -> marker.
    marker = browser.find_element(By.CSS_SELECTOR, "#d2 sup.notemark a")
    assert marker.get_attribute("href").endswith("#ed1")
    assert browser.find_element(By.CSS_SELECTOR, "#ed1 a.backlink").get_attribute("href").endswith("#nr-ed1")


def test_every_note_marker_leads_to_its_note(corpus_page, corpus_tree):
    doc = html.fromstring(corpus_page.read_bytes())
    ids = set(doc.xpath("//@id"))
    markers = doc.xpath("//sup[contains(@class, 'notemark')]/a")
    inline = corpus_tree.xpath("//tei:text//tei:note[not(@place='end' or @type='publication')]", namespaces=NS)
    assert len(markers) == len(inline)
    for a in markers:
        assert a.get("href")[1:] in ids
        note = doc.get_element_by_id(a.get("href")[1:])
        assert note.xpath(".//a[@class='backlink']/@href")[0] == "#" + a.get("id")


def test_print_stylesheet(browser, sample_page, tmp_path):
    browser.get(sample_page.as_uri())
    browser.find_element(By.CSS_SELECTOR, "label:has(#reading-source)").click()
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not browser.find_element(By.ID, "top").is_displayed()          # no controls on paper
        assert "confused by agents" in visible_text(browser, "#d1")              # the corrected reading
        pdf = browser.execute_cdp_cmd("Page.printToPDF", {"printBackground": False})
        out = tmp_path / "printed.pdf"
        out.write_bytes(base64.b64decode(pdf["data"]))
        assert out.read_bytes().startswith(b"%PDF")
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_index_links_every_mention(sample_page):
    doc = html.fromstring(sample_page.read_bytes())
    tei = parse_file(SAMPLE)
    for rec in tei.xpath("//tei:standOff//*[@xml:id]", namespaces=NS):
        rid = rec.get("{http://www.w3.org/XML/1998/namespace}id")
        mentions = tei.xpath(f"//tei:text//*[@ref='#{rid}']", namespaces=NS)
        links = doc.xpath(f"//li[@id='e-{rid}']//a[@class='mention']/@href")
        assert len(links) == len(mentions), rid
        # every link leads to a mention of this very entity
        for href in links:
            target = doc.get_element_by_id(href[1:])
            assert target.get("data-ref") == rid


def test_map_and_timeline(browser, sample_page, tmp_path):
    browser.get(sample_page.as_uri())
    points = browser.find_elements(By.CSS_SELECTOR, "#map-svg a.place-point")
    labels = sorted(p.find_element(By.CSS_SELECTOR, "text").text for p in points)
    assert labels == ["Arkhangelsk", "Samara", "Vladivostok"]
    # Equirectangular: east is right, north is up.
    pos = {p.find_element(By.CSS_SELECTOR, "text").text: p.find_element(By.CSS_SELECTOR, "circle").rect
           for p in points}
    assert pos["Arkhangelsk"]["x"] < pos["Samara"]["x"] < pos["Vladivostok"]["x"]
    assert pos["Arkhangelsk"]["y"] < pos["Samara"]["y"] < pos["Vladivostok"]["y"]
    svg = browser.find_element(By.ID, "map-svg")
    assert svg.size["width"] > 300 and svg.size["height"] > 100
    svg.screenshot(str(tmp_path / "map.png"))
    # A click on the background zooms in (labels keep their size); the button shows the whole map.
    def view_box():
        return browser.execute_script("return arguments[0].getAttribute('viewBox')", svg)

    whole = view_box()
    ActionChains(browser).move_to_element_with_offset(svg, 5, 5).click().perform()
    zoomed = view_box()
    assert zoomed != whole
    assert float(zoomed.split()[2]) == pytest.approx(float(whole.split()[2]) / 2)
    browser.find_element(By.ID, "map-reset").click()
    assert view_box() == whole
    docs = browser.find_elements(By.CSS_SELECTOR, "#timeline-svg a.tl-doc")
    assert len(docs) == 3
    xs = [d.find_element(By.CSS_SELECTOR, "circle").rect["x"] for d in docs]
    assert xs == sorted(xs)       # documents in date order from left to right
    dated = parse_file(SAMPLE).xpath("//tei:text//tei:date[@when or @from or @notBefore]", namespaces=NS)
    assert len(browser.find_elements(By.CSS_SELECTOR, "#timeline-svg a.tl-date")) == len(dated) == 7
    browser.find_element(By.ID, "timeline-svg").screenshot(str(tmp_path / "timeline.png"))


def test_corpus_edition_in_the_browser(browser, corpus_page, corpus_tree, tmp_path):
    browser.get(corpus_page.as_uri())
    ndocs = len(corpus_tree.xpath("//tei:body//tei:div[@type='document']", namespaces=NS))
    assert len(browser.find_elements(By.CSS_SELECTOR, "#contents li a[href^='#d']")) == ndocs
    assert len(browser.find_elements(By.CSS_SELECTOR, "article.document")) == ndocs
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors
    # Nothing was fetched: the page and its parts are all in the one file.
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    choices = corpus_tree.xpath("//tei:text//tei:choice[tei:sic[not(@source)] or tei:orig[not(@source)]]",
                                namespaces=NS)
    if choices:
        first = browser.find_elements(By.CSS_SELECTOR, ".choice .rd-src")[0]
        assert not first.is_displayed()
        browser.find_element(By.CSS_SELECTOR, "label:has(#reading-source)").click()
        assert first.is_displayed()
        browser.find_element(By.CSS_SELECTOR, "label:has(#reading-corrected)").click()
    browser.set_window_size(1200, 1600)
    browser.save_screenshot(str(tmp_path / "corpus-top.png"))
    browser.execute_script("document.getElementById('map').scrollIntoView()")
    browser.save_screenshot(str(tmp_path / "corpus-map.png"))
    assert (tmp_path / "corpus-top.png").stat().st_size > 10_000
    # Dates outside the documents' years are counted at the ends of the timeline, not lost.
    doc_years = {d[:4] for d in corpus_tree.xpath(
        "//tei:body//tei:div[@type='document']/*[self::tei:opener or self::tei:head or self::tei:closer]//tei:date/@when",
        namespaces=NS)}
    dated = corpus_tree.xpath("//tei:text//tei:date/@when", namespaces=NS)
    inside = [w for w in dated if w[:4] in doc_years]
    assert len(browser.find_elements(By.CSS_SELECTOR, "#timeline-svg a.tl-date")) >= len(inside)
    outside = browser.find_elements(By.CSS_SELECTOR, "#timeline-svg text.outside")
    counted = sum(int(re.search(r"\d+", t.text).group()) for t in outside)
    plotted = len(browser.find_elements(By.CSS_SELECTOR, "#timeline-svg a.tl-date"))
    assert plotted + counted == len(corpus_tree.xpath(
        "//tei:text//tei:date[@when or @from or @notBefore]", namespaces=NS))


def test_output_is_deterministic_and_fast_path_free_of_generated_noise(corpus_tree):
    a = export_tree(corpus_tree, "html")
    b = export_tree(etree.fromstring(etree.tostring(corpus_tree)).getroottree(), "html")
    assert a == b
    assert not re.search(rb"file:|/tmp/|/home/", a)
