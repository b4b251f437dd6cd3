"""The reader: layout of the seed, section boundaries, decoding and refusals of bad input."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import SEED

from kg.errors import InvalidArticle
from kg.read.files import article_files, read_article


def test_seed_metadata(lexicon):
    article = read_article(SEED, lexicon.layout, lexicon.dates)
    assert article.id == "000_6bef111ac725a0fa"
    assert article.headline == "Peru Renews Military Operations in VRAEM Coca Hub"
    assert article.published == date(2016, 10, 11)
    assert article.author == "Tristan Clavel"
    assert article.topic == "Coca"
    assert article.publisher == "InSight Crime"


def test_seed_sections_leave_out_page_furniture(lexicon):
    article = read_article(SEED, lexicon.layout, lexicon.dates)
    body = [article.content(p) for p in article.paragraphs if p.section == "body"]
    analysis = [article.content(p) for p in article.paragraphs if p.section == "analysis"]
    assert len(body) == 5 and len(analysis) == 2
    assert body[0].startswith("Peru's government will once again")
    assert analysis[-1].endswith("continued involvement in drug trafficking.")
    content = " ".join(body + analysis)
    for boilerplate in ("SEE ALSO", "DONATE", "Bolivia", "Putumayo", "Jeremy McDermott", "Related Content"):
        assert boilerplate not in content


def test_offsets_index_the_article_text(lexicon):
    article = read_article(SEED, lexicon.layout, lexicon.dates)
    raw = SEED.read_text(encoding="utf-8")
    assert article.text == raw
    for p in article.paragraphs:
        assert article.text[p.start:p.end].strip() == article.text[p.start:p.end]


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_legacy_encodings_are_decoded(tmp_path, lexicon, encoding):
    path = tmp_path / "legacy.txt"
    path.write_bytes(SEED.read_text(encoding="utf-8").encode(encoding, errors="replace"))
    article = read_article(path, lexicon.layout, lexicon.dates)
    assert "Mariano González" in article.text


@pytest.mark.parametrize("content, message", [
    (b"", "empty file"),
    (b"   \n\n  ", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
])
def test_bad_files_are_refused_with_their_name(tmp_path, lexicon, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InvalidArticle, match=f"bad.txt: {message}"):
        read_article(path, lexicon.layout, lexicon.dates)


def test_missing_path_and_empty_folder(tmp_path):
    with pytest.raises(InvalidArticle, match="no such file or folder"):
        list(article_files([tmp_path / "nope.txt"]))
    (tmp_path / "empty").mkdir()
    with pytest.raises(InvalidArticle, match="no articles"):
        list(article_files([tmp_path / "empty"]))


def test_plain_text_without_layout_is_one_body(tmp_path, lexicon):
    path = tmp_path / "note.txt"
    path.write_text("Gang violence in Rosario\n\nLos Monos control the port of Rosario.\n", encoding="utf-8")
    article = read_article(path, lexicon.layout, lexicon.dates)
    assert article.headline == "Gang violence in Rosario"
    assert [article.content(p) for p in article.paragraphs] == ["Los Monos control the port of Rosario."]
    assert article.published is None


def test_plain_text_opening_with_a_paragraph_keeps_it_as_content(tmp_path, lexicon):
    """A page with no headline line: its first line is a paragraph (long, ending as a sentence does), so it is
    content, and the headline is its first sentence."""
    lede = ("Police in Rosario have arrested the leader of a gang that sells drugs around the port. It is the third "
            "arrest of a gang boss in the city this year, and prosecutors say more will follow.")
    path = tmp_path / "page.txt"
    path.write_text(f"{lede}\nThe gang is known as Los Pumas.\n", encoding="utf-8")
    article = read_article(path, lexicon.layout, lexicon.dates)
    assert article.headline == "Police in Rosario have arrested the leader of a gang that sells drugs around the port."
    assert [article.content(p) for p in article.paragraphs] == [lede, "The gang is known as Los Pumas."]


def test_a_url_line_of_a_text_dump_is_the_source_url_and_no_content(tmp_path, lexicon):
    path = tmp_path / "dump.txt"
    path.write_text("Source: https://example.org/news/peru-vraem\nPeru Renews Operations\n\n"
                    "COCA / 11 OCT 2016 BY SOME ONE EN\n\nThe army said rebels moved in the valley.\n",
                    encoding="utf-8")
    article = read_article(path, lexicon.layout, lexicon.dates)
    assert article.url == "https://example.org/news/peru-vraem"
    assert article.headline == "Peru Renews Operations"
    assert all("example.org" not in article.content(p) for p in article.paragraphs)


@pytest.mark.parametrize("head", ['<link rel="canonical" href="https://example.org/a/1">',
                                  '<meta property="og:url" content="https://example.org/a/1">'])
def test_an_html_page_keeps_its_canonical_address(tmp_path, lexicon, head):
    path = tmp_path / "page.html"
    path.write_text(f"<html><head>{head}</head><body><article><h1>A headline</h1><p>The army said rebels "
                    f"moved in the valley.</p></article></body></html>", encoding="utf-8")
    assert read_article(path, lexicon.layout, lexicon.dates).url == "https://example.org/a/1"


def test_an_article_of_our_own_words_is_read_in_the_seeds_layout(article):
    read = article("The Tren de Aragua operates in Santiago.\n\nInSight Crime Analysis\n\nIt grew fast.",
                   published=date(2024, 3, 3), country="Chile", headline="A cell in Santiago")
    assert (read.headline, read.published, read.topic, read.publisher) == \
        ("A cell in Santiago", date(2024, 3, 3), "Chile", "InSight Crime")
    assert [(read.content(p), p.section) for p in read.paragraphs] == [
        ("The Tren de Aragua operates in Santiago.", "body"), ("It grew fast.", "analysis")]  # no page footer
    assert article("Los Monos control Rosario.", published=None).published is None


@pytest.mark.parametrize("credit", ["© Ana Ruiz/Agência Brasil", "Ana Ruiz/Agência Brasil", "Photo: Ana Ruiz/Reuters",
                                    "Foto: Polícia Federal", "(Photo by Ana Ruiz)", "Credit: AFP"])
def test_photo_credits_are_page_furniture(tmp_path, lexicon, credit):
    path = tmp_path / "wire.txt"
    path.write_text(f"Police arrest a gang leader\n\n{credit}\n\nPolice arrested the leader of Los Monos in Rosario.\n",
                    encoding="utf-8")
    article = read_article(path, lexicon.layout, lexicon.dates)
    assert [article.content(p) for p in article.paragraphs] == ["Police arrested the leader of Los Monos in Rosario."]


@pytest.mark.parametrize("line", ["Photographs of the gang leader circulated after the arrest.",
                                  "Cocaine/heroin seizures rose in Rosario last year."])
def test_sentences_that_open_like_credits_stay(tmp_path, lexicon, line):
    path = tmp_path / "note.txt"
    path.write_text(f"Gang violence in Rosario\n\n{line}\n", encoding="utf-8")
    article = read_article(path, lexicon.layout, lexicon.dates)
    assert [article.content(p) for p in article.paragraphs] == [line]


@pytest.mark.parametrize("header, published, author", [
    ("logo News Agency\nGeneral\n\nPolice seize a ton of cocaine in Santos\n\nAna Souza Lima\n"
     "Published on 05/06/2024 - 16:40\nBrasília\n\n", date(2024, 6, 5), "Ana Souza Lima"),
    ("The Andes Letter\nA weekly newsletter on crime\nEdition of 21 June 2024\n\n", date(2024, 6, 21), None),
    ("Crime Digest\nRegional Notes | Issue 7 | 17 May 2024\n\n", date(2024, 5, 17), None),
    ("News Agency\nHome | World\n\nPolice seize a ton of cocaine in Santos\n\nBy Ana Souza Lima\n"
     "Santos, 5 June 2024 - 16:40 (NA)\n\n", date(2024, 6, 5), "Ana Souza Lima"),
    ("Crime Beat\nThe week in crime\nThursday, 6 June 2024\n\n", date(2024, 6, 6), None),
    ("Crime Digest\nNo. 7 | 17 May 2024 | By Ana Souza Lima\n\n", date(2024, 5, 17), "Ana Souza Lima"),
    ("Crime Digest\n7 May 2024 · No. 7 · Edited by Ana Souza Lima\n\n", date(2024, 5, 7), "Ana Souza Lima"),
    # a masthead's date, then the story's byline and dated line, month first
    ("The Post\nMonday, March 11, 2024\n\nPolice seize cocaine\n\nBy Ana Souza Lima\nSantos, March 11, 2024, 8:15 a.m."
     "\n\n", date(2024, 3, 11), "Ana Souza Lima"),
    ("The Post\n\nPolice seize cocaine\n\nBy Ana Souza Lima\nPublished 9 Nov 2024 - 10:42\n\n", date(2024, 11, 9),
     "Ana Souza Lima"),
    ("Police seize a ton of cocaine in Santos\n\n", None, None),
])
def test_a_page_without_the_byline_gives_its_date_on_a_line_of_its_own(tmp_path, lexicon, header, published,
                                                                          author):
    path = tmp_path / "page.txt"
    path.write_text(header + "Police seized a ton of cocaine in Santos on Wednesday, and on 3 May 2021 they seized "
                    "more.\n", encoding="utf-8")
    article = read_article(path, lexicon.layout, lexicon.dates)
    assert (article.published, article.author) == (published, author)


def test_teasers_and_a_newsletters_contents_line_are_no_content(tmp_path, lexicon):
    path = tmp_path / "letter.txt"
    path.write_text("The Andes Letter\n\nIn this issue: gangs in Quito and a raid in Lima.\n\n"
                    "Gangs fought in Quito on Monday.\n\nAlso read: how a gang spread into Chile.\n\n"
                    "You are receiving this email because you subscribed.\n", encoding="utf-8")
    article = read_article(path, lexicon.layout, lexicon.dates)
    assert [article.content(p) for p in article.paragraphs] == ["Gangs fought in Quito on Monday."]


def test_a_read_more_heading_ends_the_page_and_a_read_more_line_is_skipped(tmp_path, lexicon):
    """The headlines under a bare "Read more" are other stories; a "Read more:" line inside a newsletter is one
    link, after which the issue goes on; "Coming up next week:" teases a story the issue does not tell."""
    path = tmp_path / "letter.txt"
    path.write_text("The Andes Letter\n\nGangs fought in Quito on Monday.\n\nRead more: a raid in Lima.\n\n"
                    "Police raided a prison in Lima.\n\nComing up next week: the Gulf Clan in Choco.\n\n"
                    "Read more\n\nLos Lobos fight for the port of Guayaquil\n", encoding="utf-8")
    article = read_article(path, lexicon.layout, lexicon.dates)
    assert [article.content(p) for p in article.paragraphs] == ["Gangs fought in Quito on Monday.",
                                                                "Police raided a prison in Lima."]


def test_a_masthead_menu_a_greeting_before_the_contents_and_a_readers_corner_are_no_content(tmp_path, lexicon):
    path = tmp_path / "letter.txt"
    path.write_text("The Andes Letter\nQuito · Lima · La Paz\nNews | Security | Opinion\n\n"
                    "Hello, and welcome back. This week: gangs in Quito and a raid in Lima.\n\n"
                    "Gangs fought in Quito on Monday.\n\nFROM OUR READERS\n\n"
                    "\"You missed the gangs of Cali.\" - A reader\n",
                    encoding="utf-8")
    article = read_article(path, lexicon.layout, lexicon.dates)
    assert [article.content(p) for p in article.paragraphs] == ["Gangs fought in Quito on Monday."]


@pytest.mark.parametrize("heading", ["■ MORE NEWS", "▶ Read more", "» Also worth reading:"])
def test_a_marked_end_heading_ends_the_page(tmp_path, lexicon, heading):
    """A newsletter's bullet or box before its "more news" heading does not hide it: the teasers under it are
    other stories, not this issue's."""
    path = tmp_path / "letter.txt"
    path.write_text(f"The Andes Letter\n\nGangs fought in Quito on Monday.\n\n{heading}\n\n"
                    "• Peru: police raid a prison in Lima.\n", encoding="utf-8")
    article = read_article(path, lexicon.layout, lexicon.dates)
    assert [article.content(p) for p in article.paragraphs] == ["Gangs fought in Quito on Monday."]
