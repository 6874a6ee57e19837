"""The structure reader on the first corpus and on texts of the same kind it has never seen."""

from __future__ import annotations

from trotsky_tei.structure import read_structure


def roles(doc, div):
    return [b.role for b in doc.blocks_of(div)]


def test_corpus_has_eight_documents_with_expected_kinds(source_text):
    doc = read_structure(source_text, "corpus")
    assert [d.subtype for d in doc.divs] == [
        "communique", "document", "order", "order", "order", "report", "resolution", "document"]


def test_corpus_front_matter(source_text):
    doc = read_structure(source_text, "corpus")
    front = [b for b in doc.blocks if b.div is None and b.role != "endnote"]
    assert [b.role for b in front] == ["title", "title", "title", "headnote"]
    assert front[0].text == "The Military Writings of\nLeon Trotsky"
    assert front[3].text.startswith("[The role of the Czechoslovak Corps") and front[3].text.endswith("(1978).]")


def test_corpus_datelines_heads_and_publication_lines(source_text):
    doc = read_structure(source_text, "corpus")
    first = doc.blocks_of(0)
    assert first[0].role == "head" and first[0].text.startswith("THE CZECHOSLOVAK MUTINY")
    assert first[1].role == "opener" and first[1].text == "May 29, 1918"
    second = doc.blocks_of(1)
    assert "head" not in roles(doc, 1)
    assert second[-1].role == "closer" and second[-1].text == "May 31, 1918"
    assert roles(doc, 2) == ["head", "p", "bibl"]
    assert doc.blocks_of(3)[-1].text == "Published in Izv.V.Ts.I.K., No.121, June 15, 1918"
    assert roles(doc, 4)[-1] == "bibl"
    last = doc.blocks_of(7)
    assert [b.role for b in last[-2:]] == ["closer", "bibl"]
    assert last[-1].text == "Izv.V.Ts.I.K., No.178, August 20, 1918"


def test_corpus_resolution_is_a_numbered_list(source_text):
    doc = read_structure(source_text, "corpus")
    items = [b for b in doc.blocks_of(6) if b.role == "item"]
    assert [b.attrs["n"] for b in items] == [str(i) for i in range(1, 8)]
    assert roles(doc, 6)[:2] == ["head", "p"]


def test_corpus_endnotes(source_text):
    doc = read_structure(source_text, "corpus")
    notes = [b for b in doc.blocks if b.role == "endnote"]
    assert [b.attrs["n"] for b in notes] == ["79", "80", "81"]


def test_every_nonblank_line_is_in_exactly_one_block(source_text):
    doc = read_structure(source_text, "corpus")
    covered = "".join(b.text for b in doc.blocks)
    assert "".join(source_text.split()) == "".join(covered.split())
    for b in doc.blocks:
        assert source_text[b.offset:b.offset + len(b.text)] == b.text


UNSEEN = """ORDER No. 31
To the troops of the Fifth Army

Sviyazhsk, August 14, 1918

The enemy has taken Kazan. Our units retreated without orders.

I order the commanders to restore discipline at once.

Chairman of the Revolutionary Military Council L. TROTSKY


TELEGRAM TO THE COMMANDER OF THE EASTERN FRONT

The situation at Simbirsk demands the immediate dispatch of reserves. Report daily
on the movement of the echelons and on the state of the railway. The bridges must
be guarded by reliable units, under the supervision of commissars.

Moscow, September 2, 1918


SPEECH AT A MEETING OF WORKERS IN NIZHNY NOVGOROD

Comrades, the hour is serious. [Applause.] We must give the front our best people.

Published in Pravda, No. 190, September 5, 1918
"""


def test_unseen_orders_telegrams_speeches():
    doc = read_structure(UNSEEN, "unseen")
    assert [d.subtype for d in doc.divs] == ["order", "telegram", "speech"]
    order = doc.blocks_of(0)
    assert [b.role for b in order] == ["head", "opener", "p", "p", "salute"]
    assert order[0].text == "ORDER No. 31\nTo the troops of the Fifth Army"
    telegram = doc.blocks_of(1)
    assert [b.role for b in telegram] == ["head", "p", "closer"]
    assert telegram[1].text.count("\n") == 2  # hard-wrapped lines make one paragraph
    assert [b.role for b in doc.blocks_of(2)] == ["head", "p", "bibl"]


def test_a_publication_line_with_its_title_marked_in_asterisks():
    text = ("THE LESSONS OF ASTRAKHAN\n\nAstrakhan has held out.\n\nWhat saved it? The workers.\n\n"
            "*V Puti* No. 91, September 21, 1919\n")
    doc = read_structure(text, "t")
    assert [b.role for b in doc.blocks_of(0)] == ["head", "p", "p", "bibl"]


def test_numbered_points_one_per_paragraph_and_initials_signature():
    text = ("TELEGRAMS TO THE FRONT\n\n1. Minsk. To the commander. Report daily.\n\n"
            "2. Minsk. The offensive must go on.\n\n[Printed from copies.]\n\n\n"
            "THE URALS FRONT\n\nNow the struggle is for the Urals.\n\nL.T.\n")
    doc = read_structure(text, "t")
    assert roles(doc, 0) == ["head", "item", "item", "p"]
    assert [b.attrs["n"] for b in doc.blocks_of(0) if b.role == "item"] == ["1", "2"]
    assert roles(doc, 1) == ["head", "p", "salute"]


def test_a_line_in_capitals_after_a_publication_line_opens_the_next_document():
    text = ("SPEECH AT TULA\n\nTula, October 15, 1919\n\nComrades, the enemy is near.\n\n"
            "Published in Kommunar, No. 231, October 17, 1919\n\nON THE ROAD TO TULA\n\n"
            "Orel has been taken back.\n\nDEATH TO THE WHITE GUARDS\n")
    doc = read_structure(text, "t.txt")
    heads = [b.text for b in doc.blocks if b.role == "head"]
    assert heads == ["SPEECH AT TULA", "ON THE ROAD TO TULA"]
    assert len(doc.divs) == 2           # a slogan in capitals inside a document is no heading


def test_offices_and_valedictions_ending_in_a_comma_belong_to_the_signature():
    text = ("ORDER No. 87\n\nThe order is to be read out in all companies.\n\n"
            "Chairman of the Revolutionary War Council of the Republic,\n"
            "People’s Commissar for Military and Naval Affairs, L. Trotsky\n\n\n"
            "LETTER TO THE SAILORS\n\nDear comrades, the fleet is ours.\n\nWith communist greetings,\nL. Trotsky\n\n"
            "Moscow, December 2, 1922\n")
    doc = read_structure(text, "t.txt")
    signed = [[b.text for b in doc.blocks if b.div == d and b.role == "salute"] for d in (0, 1)]
    assert signed == [["Chairman of the Revolutionary War Council of the Republic,",
                       "People’s Commissar for Military and Naval Affairs, L. Trotsky"],
                      ["With communist greetings,", "L. Trotsky"]]


def test_a_heading_in_capitals_wrapped_after_a_comma():
    text = ("ORDER No. 1\n\nText.\n\nKazan, October 30, 1918\n\n\n"
            "TELEGRAM TO THE REVOLUTIONARY WAR COUNCIL OF THE SECOND ARMY,\nVYATSKIYE POLYANY\n\nText.\n")
    doc = read_structure(text, "t.txt")
    assert [b.text for b in doc.blocks if b.role == "head"][1] == (
        "TELEGRAM TO THE REVOLUTIONARY WAR COUNCIL OF THE SECOND ARMY,\nVYATSKIYE POLYANY")


def test_endnotes_after_one_blank_line_when_they_answer_the_markers():
    text = ("TELEGRAM\n\nThe Soviet [1] must hold Perm [2].\n\nMoscow, July 27, 1918\n\n"
            "1. The Urals Regional Soviet.\n\n2. Perm was evacuated later.\n")
    doc = read_structure(text, "t.txt")
    assert [b.attrs.get("n") for b in doc.blocks if b.role == "endnote"] == ["1", "2"]
    assert len(doc.divs) == 1
    # numbered points that answer no marker stay in the document
    doc = read_structure("ORDER No. 1\n\nI order:\n\n1. Hold Perm.\n\n2. Report daily.\n", "t.txt")
    assert not any(b.role == "endnote" for b in doc.blocks)


def test_a_dateline_may_name_the_train_of_the_war_council():
    text = ("THE RED CAVALRY\n\nThe cavalry decides.\n\n"
            "Train of the Chairman of the Revolutionary War Council, November 1919\n\n"
            "Published in V Puti, No. 112, November 20, 1919\n")
    doc = read_structure(text, "t.txt")
    assert [b.text for b in doc.blocks if b.role == "closer"] == [
        "Train of the Chairman of the Revolutionary War Council, November 1919"]


def test_a_list_in_a_text_without_blank_lines_ends_with_its_last_point():
    # paragraphs set apart by line ends alone: the lines after the list are paragraphs, not the
    # continuation of its last point (which took the rest of the text); an indented line still is
    text = ("ORDER No. 7\n"
            "The following measures are to be taken at once by all the local Soviets.\n"
            "1. To disarm every echelon.\n"
            "2. To arrest the officers.\n"
            "   and to report on them by telegraph.\n"
            "Those who resist are to be shot on the spot, without trial; every commissar answers for the "
            "carrying out of this order with his head, and reports on it to the People's Commissariat.\n"
            "The railway workers are to help the Soviets in this, and to stop every echelon that has not "
            "given up its arms, whatever its commanders may say about their orders from the Allies.\n")
    doc = read_structure(text)
    roles = [(b.role, b.text.split()[0]) for b in doc.blocks if b.role in ("item", "p")]
    assert roles[-5:] == [("p", "The"), ("item", "1."), ("item", "2."), ("p", "Those"), ("p", "The")]
    assert "report" in [b for b in doc.blocks if b.role == "item"][1].text
