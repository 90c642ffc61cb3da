"""A lesson reads well on a phone: its own table of contents, terms defined on the page, tables that scroll alone."""

from __future__ import annotations

import re

DOCUMENTS = "/courses/demo/demo-basics/documents"


def test_lesson_lists_its_sections_and_each_link_reaches_a_heading(client):
    """The table of contents (a <details>, so it works without JavaScript) points at every ## and ### heading."""
    page = client.get(DOCUMENTS).get_data(as_text=True)
    toc = re.search(r'<details class="toc">(.*?)</details>', page, re.DOTALL)
    assert toc is not None
    assert "On this page (3 sections)" in toc.group(1)
    targets = re.findall(r'href="#([^"]+)"', toc.group(1))
    assert targets == ["two-documents", "checking-the-papers", "summary", "sources"]
    for target in targets:
        assert f'id="{target}"' in page


def test_a_short_lesson_has_no_table_of_contents(client):
    """The welcome lesson has fewer sections than the threshold, so nothing stands between title and text."""
    page = client.get("/courses/demo/demo-basics/welcome").get_data(as_text=True)
    assert '<details class="toc">' not in page


def test_glossary_link_opens_the_definition_on_the_same_page(client):
    """A lesson's glossary link points at the lesson's own list of terms, not at the whole glossary page."""
    page = client.get(DOCUMENTS).get_data(as_text=True)
    assert 'href="#term-movement-document"' in page
    assert "/glossary#movement-document" in page  # the "In the glossary" link, for the full list
    terms = re.search(r'<section class="terms".*?</section>', page, re.DOTALL)
    assert terms is not None
    entry = re.search(r'<dt id="term-movement-document">(.*?)</dt>\s*<dd>(.*?)</dd>', terms.group(0), re.DOTALL)
    assert entry is not None
    assert entry.group(1).strip().lower() == "movement document"
    assert len(re.sub(r"<[^>]+>", "", entry.group(2)).strip()) > 20


def test_glossary_links_outside_lessons_still_point_at_the_glossary(app):
    """Course descriptions and glossary definitions keep /glossary# links: they have no list of terms."""
    from greencustoms.content import get_catalog

    with app.app_context():
        catalog = get_catalog()
        html = catalog.courses["demo"].description_html + "".join(t.definition_html for t in catalog.glossary.values())
    assert "#term-" not in html


def test_wide_table_scrolls_in_a_box_the_keyboard_reaches(client):
    """Each lesson table sits in its own scrolling box with tabindex=0, so the page itself never widens."""
    page = client.get(DOCUMENTS).get_data(as_text=True)
    assert re.search(r'<div class="table-scroll" tabindex="0"><table>.*?</table></div>', page, re.DOTALL)
    assert page.count("<table>") == page.count('<div class="table-scroll" tabindex="0">')
