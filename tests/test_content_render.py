"""Markdown rendering: the sanitiser allow-list, callouts, headings, and link and image rewriting."""

from __future__ import annotations

from pathlib import Path

import pytest

from greencustoms.content import load_catalog
from greencustoms.content.links import LinkPolicy
from greencustoms.content.render import MarkdownRenderer, sanitize

FIXTURE = Path(__file__).parent / "fixtures" / "content"
IMG = FIXTURE / "modules" / "demo-basics" / "img"


@pytest.fixture
def policy() -> LinkPolicy:
    """A lesson in module demo-basics of course demo, which also contains demo-waste."""
    return LinkPolicy(
        glossary={"pic": "Prior informed consent (PIC)"},
        lessons={"demo-basics": frozenset({"welcome", "documents"}), "demo-waste": frozenset({"red-flags"})},
        module="demo-basics",
        courses_of={"demo-basics": ("demo",)},
        course_modules={"demo": frozenset({"demo-basics", "demo-waste"})},
        media_url="/media/modules/demo-basics",
        media_dir=IMG,
        media_label="modules/demo-basics/img/",
    )


def render(text: str, policy: LinkPolicy, inline: bool = False):
    return MarkdownRenderer().render(text, policy, first_line=1, inline=inline)


ATTACKS = [
    "<script>alert(1)</script>",
    '<img src="x.png" onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<iframe src="https://evil.example/"></iframe>',
    '<p style="position:fixed">text</p>',
    "<style>body{display:none}</style>",
    '<div onclick="steal()" class="admonition evil">d</div>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">d</a>',
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_sanitizer_removes_script_handlers_bad_urls_frames_and_styles(attack):
    """No script, on* handler, javascript:/data: URL, iframe, object, style or unknown class survives."""
    html = sanitize(attack).lower()
    banned_words = (
        "<script",
        "onerror",
        "onclick",
        "javascript:",
        "data:",
        "<iframe",
        "<object",
        "<embed",
        "style",
        "evil",
    )
    for banned in banned_words:
        assert banned not in html


def test_raw_html_in_a_lesson_is_sanitised(policy):
    """Raw HTML an author types into Markdown goes through the same allow-list."""
    result = render(
        'Hi <script>alert(1)</script><img src="img/flow.svg" alt="a" onerror="x()"> <b onclick="y()">b</b>', policy
    )
    assert "<script" not in result.html and "onerror" not in result.html and "onclick" not in result.html
    assert "alert(1)" not in result.html


def test_allowed_markup_survives(policy):
    """Tables, footnotes, definition lists, abbreviations and code keep their markup."""
    text = (
        "| a | b |\n|:--|--:|\n| 1 | 2 |\n\nTerm\n:   Definition\n\n*[PIC]: Prior informed consent\n\n"
        "PIC matters.[^1]\n\n```\ncode <b>\n```\n\n[^1]: A note.\n"
    )
    html = render(text, policy).html
    for fragment in (
        '<th align="left">a</th>',
        '<td align="right">2</td>',
        "<dt>Term</dt>",
        "<dd>Definition</dd>",
        '<abbr title="Prior informed consent">PIC</abbr>',
        '<sup id="fnref:1">',
        'class="footnote-ref"',
        '<li id="fn:1">',
        'class="footnote"',
        "<pre><code>code &lt;b&gt;",
    ):
        assert fragment in html


def test_callouts_render_with_their_kind_as_class(policy):
    """Each callout kind becomes div.admonition.<kind>, with a readable default title."""
    text = (
        '!!! red-flag\n    Loose packing.\n\n!!! safety "Before you open"\n    Measure.\n\n'
        "!!! tip\n    T.\n\n!!! note\n    N.\n"
    )
    result = render(text, policy)
    assert result.problems == ()
    html = result.html
    for kind in ("red-flag", "safety", "tip", "note"):
        assert f'<div class="admonition {kind}">' in html
    assert '<p class="admonition-title">Red flag</p>' in html
    assert '<p class="admonition-title">Before you open</p>' in html


def test_unknown_callout_kind_is_a_problem_on_its_line(policy):
    """`!!! warning` is reported at its line with the allowed kinds."""
    result = render("Text.\n\n!!! warning\n    Careful.\n", policy)
    assert [(p.line, p.message) for p in result.problems] == [
        (3, 'unknown callout kind "warning"; use one of red-flag, safety, tip, note (as in !!! tip)')
    ]


def test_headings_get_ids_listed_in_the_toc(policy):
    """h2 and h3 headings get ids in the HTML, and the toc lists them as (level, id, title)."""
    result = render("## First part\n\ntext\n\n### A detail\n\n#### Too deep\n\n## Second\n", policy)
    assert [(entry.level, entry.id, entry.title) for entry in result.toc] == [
        (2, "first-part", "First part"),
        (3, "a-detail", "A detail"),
        (2, "second", "Second"),
    ]
    for entry in result.toc:
        assert f'id="{entry.id}"' in result.html


def test_lesson_links_become_relative_urls(policy):
    """lesson:module/slug -> ../module/slug and lesson:slug -> ../<same module>/slug, anchors kept."""
    html = render("[a](lesson:documents) [b](lesson:demo-waste/red-flags#top)", policy).html
    assert 'href="../demo-basics/documents"' in html
    assert 'href="../demo-waste/red-flags#top"' in html


def test_glossary_links_carry_class_and_term(policy):
    """glossary:id -> /glossary#id with class glossary-term and the term as title; the id is recorded."""
    result = render("Ask for [PIC](glossary:pic).", policy)
    assert '<a class="glossary-term" href="/glossary#pic" title="Prior informed consent (PIC)"' in result.html
    assert result.glossary_ids == ("pic",)


def test_images_point_to_media_and_load_lazily(policy):
    """img/x.svg -> /media/modules/<module>/x.svg with loading="lazy"."""
    html = render("![The flow](img/flow.svg)", policy).html
    assert '<img alt="The flow" loading="lazy" src="/media/modules/demo-basics/flow.svg">' in html


def test_external_links_get_noopener(policy):
    """https links stay and get rel="noopener"."""
    html = render("[UNEP](https://www.unep.org/)", policy).html
    assert '<a href="https://www.unep.org/" rel="noopener">UNEP</a>' in html


def test_bad_links_are_dropped_and_reported(policy):
    """An unknown lesson, module or term, or a file path, loses its href and is reported on its line."""
    result = render("[a](lesson:nope)\n\n[b](lesson:other/x)\n\n[c](glossary:nope)\n\n[d](02-documents.md)", policy)
    assert "href" not in result.html.replace('rel="noopener"', "")
    assert [problem.line for problem in result.problems] == [1, 3, 5, 7]


def test_inline_rendering_drops_the_paragraph(policy):
    """Answer options render inline: Markdown kept, no wrapping <p>."""
    assert render("The *movement* document", policy, inline=True).html == "The <em>movement</em> document"


def test_catalog_html_is_rendered_and_clean():
    """Every lesson in the fixture is rendered once at load, with no raw lesson:/glossary: links left."""
    catalog = load_catalog(FIXTURE)
    for module in catalog.modules.values():
        for lesson in module.lessons:
            assert lesson.html.startswith("<h2")
            assert "lesson:" not in lesson.html and "glossary:" not in lesson.html and "img/" not in lesson.html
    welcome = catalog.modules["demo-basics"].lesson("welcome")
    assert 'href="../demo-basics/documents"' in welcome.html
    assert catalog.quizzes["demo-basics"].question("basics-single").options[0].html == "A movement document"
    assert "/media/quizzes/label.svg" in catalog.quizzes["demo-basics"].question("basics-single").prompt_html
    assert 'href="demo/demo-basics/welcome"' in catalog.course("demo").description_html


def test_a_grouped_number_and_french_punctuation_never_start_a_line(policy):
    """A phone that wraps "15 400 t" between its groups shows two numbers: the space inside a number becomes a
    no-break space in every language, and in French so does the space before : ; ! ? » % and after «. Code keeps
    its spaces, and a year followed by a year stays two numbers."""
    french = MarkdownRenderer()
    french.locale = "fr"
    html = french.render("Au moins 15 400 t (60 %) : « déchets » ? En 2019 2020. Voir `2 000 :`.", policy).html
    assert html == (
        "<p>Au moins 15&nbsp;400 t (60&nbsp;%)&nbsp;: «&nbsp;déchets&nbsp;»&nbsp;? En 2019 2020. "
        "Voir <code>2 000 :</code>.</p>"
    )
    heading = french.render("## Étape 1 : la notification", policy)
    assert heading.toc[0].title == "Étape 1\u00a0: la notification"  # the page's contents list reads the same
    english = render("At least 1 250 000 t: is it waste?", policy).html
    assert english == "<p>At least 1&nbsp;250&nbsp;000 t: is it waste?</p>"
    assert render("| tonnes |\n|---|\n| 8 300 |", policy).html.count("8&nbsp;300") == 1
