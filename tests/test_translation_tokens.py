"""Every translation keeps its source's numbers and codes (issue 15 item 3): the multiset of digit runs ("15,400",
"15 400" and "15.400" are one number; Arabic-Indic digits are not numbers here) and of codes such as Y46, A1180,
R4, D10 or B3011 is the same in each translated lesson, module, course, quiz title, question and glossary term as
in its source. Runs on the real content and on the test fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from greencustoms.content import load_catalog
from greencustoms.content.tokens import difference, lesson_text, tokens
from tests.conftest import FIXTURE_CONTENT

PROJECT = Path(__file__).resolve().parent.parent


def token_differences(root: Path) -> list[str]:
    """One line per translated item whose tokens differ from its source's: file:line, language, id, tokens."""
    catalog = load_catalog(root)
    status = catalog.status
    if status is None:
        return []
    found = []
    for language, items in sorted(status.translated.items()):
        for key, item in sorted(items.items()):
            source = status.sources[key][3]
            ours, theirs = (
                (lesson_text(source), lesson_text(item.text)) if key.startswith("lesson:") else (source, item.text)
            )
            only_source, only_translation = difference(ours, theirs)
            if only_source or only_translation:
                found.append(
                    f"{item.path}:{item.line}: [{language}] {key}: "
                    f"only in the source {sorted(only_source.elements())}, "
                    f"only in the translation {sorted(only_translation.elements())}"
                )
    return found


@pytest.mark.parametrize("root", [PROJECT, FIXTURE_CONTENT], ids=["content", "fixtures"])
def test_translations_keep_every_number_and_code(root):
    """No translated item drops, adds or changes a number or a code."""
    differences = token_differences(root)
    assert not differences, "\n".join(differences)


def test_the_token_comparison_catches_changed_numbers_and_codes():
    """The comparison itself: separators ignored, a changed digit, a lost code or Arabic-Indic digits differ."""
    assert tokens("15,400 t, 15 400 t, 15.400 t") == tokens("15400 t " * 3)
    assert difference("Annex VIII, A1180, 60 days", "annexe VIII, A1180, 60 jours") == (tokens(""), tokens(""))
    assert difference("within 60 days", "dans les 90 jours")[0] == tokens("60")
    assert difference("code Y46 and R4", "code Y46")[0] == tokens("R4")
    assert difference("Art. 9", "المادة ٩")[0] == tokens("9")


def test_a_changed_article_number_is_reported_with_file_and_id(tmp_path):
    """A translation that cites another article fails, naming the file, the item and both tokens."""
    import shutil

    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    lesson = root / "modules/demo-basics/01-welcome.fr.md"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("art. 1", "art. 2"), encoding="utf-8")
    assert token_differences(root) == [
        "modules/demo-basics/01-welcome.fr.md:1: [fr] lesson:demo-basics/welcome: only in the source ['1'], "
        "only in the translation ['2']"
    ]
