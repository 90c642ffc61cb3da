"""Interface languages: complete catalogues, the language menu, lang/dir, locale formats, time zones, workshops."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from greencustoms.extensions import db
from greencustoms.models import User
from tests.adminkit import add_learner, add_record, signed_in
from tests.conftest import post_form
from tests.i18nkit import TRANSLATIONS, read_catalogue
from tests.workshopkit import join_code, make_workshop

LANGUAGES = ("fr", "es", "ar")
_PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%%|\{[a-z_]+\}")
_TAG = re.compile(r"</?[a-z][^>]*>")


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete(language):
    """Every message of the template is in the catalogue, translated, not fuzzy, and nothing else is there."""
    from babel.messages.pofile import read_po

    with (TRANSLATIONS / "messages.pot").open("rb") as handle:
        template = {m.id for m in read_po(handle) if m.id}
    catalogue = read_catalogue(language)
    assert not catalogue.fuzzy
    entries = {m.id: m for m in catalogue if m.id}
    assert set(entries) == template, "run `make translations` and translate what is new"
    for msgid, message in entries.items():
        forms = message.string if isinstance(message.string, tuple | list) else (message.string,)
        assert not message.fuzzy, msgid
        assert forms and all(form.strip() for form in forms), f"empty translation of {msgid!r}"
        assert len(forms) == (catalogue.num_plurals if isinstance(msgid, tuple) else 1), msgid


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_and_markup_are_kept(language):
    """Each translation keeps exactly the placeholders and HTML tags of its source."""
    for message in read_catalogue(language):
        if not message.id:
            continue
        source = message.id[-1] if isinstance(message.id, tuple) else message.id
        forms = message.string if isinstance(message.string, tuple | list) else (message.string,)
        for form in forms:
            assert sorted(_PLACEHOLDER.findall(form)) == sorted(_PLACEHOLDER.findall(source)), (source, form)
            assert sorted(_TAG.findall(form)) == sorted(_TAG.findall(source)), (source, form)


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_follow_the_content_typography(language):
    """No translated string can break a line before French ":" "?" "!" ";" "»", after "«", or inside a number
    written in groups of three: the content's rule (content.typography.no_break), applied by
    scripts/po_typography.py, which `make translations` runs."""
    from greencustoms.content.typography import NBSP, is_french, no_break

    untypeset = []
    for message in read_catalogue(language):
        forms = message.string if isinstance(message.string, tuple | list) else (message.string,)
        untypeset += [form for form in forms if message.id and form and no_break(form, is_french(language)) != form]
    assert not untypeset, f"run `python scripts/po_typography.py`: {untypeset[:3]}"
    if language == "fr":  # the rule did reach the catalogue (it has colons and question marks)
        assert sum(NBSP in form for form in (m.string for m in read_catalogue(language) if m.id)) > 100


def test_compiled_catalogues_are_up_to_date():
    """The .mo files the app loads hold the same translations as the .po files (`make translations` was run)."""
    from babel.messages.mofile import read_mo

    for language in LANGUAGES:
        with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.mo").open("rb") as handle:
            compiled = {_key(m.id): _key(m.string) for m in read_mo(handle) if m.id}
        source = {_key(m.id): _key(m.string) for m in read_catalogue(language) if m.id}
        assert compiled == source, language


def _key(value):
    return tuple(value) if isinstance(value, list | tuple) else value


def test_treaty_terms_follow_the_official_texts():
    """The agreements carry their official names in each language."""
    expected = {
        "fr": {"Basel Convention": "Convention de Bâle", "Stockholm Convention": "Convention de Stockholm"},
        "es": {"Basel Convention": "Convenio de Basilea", "Stockholm Convention": "Convenio de Estocolmo"},
        "ar": {"Basel Convention": "اتفاقية بازل", "Stockholm Convention": "اتفاقية استكهولم"},
    }
    for language, names in expected.items():
        catalogue = read_catalogue(language)
        for source, official in names.items():
            assert catalogue[source].string == official


@pytest.mark.parametrize(
    ("language", "direction", "word"),
    [("en", "ltr", "Courses"), ("fr", "ltr", "Cours"), ("es", "ltr", "Cursos"), ("ar", "rtl", "الدورات")],
)
def test_every_page_carries_lang_and_dir(app, client, language, direction, word):
    """Public pages, error pages and signed-in pages all open with the reader's <html lang dir>."""
    client.set_cookie("lang", language)
    head = f'<html lang="{language}" dir="{direction}">'
    for url in ("/", "/glossary", "/login", "/register", "/certificates/", "/join", "/courses/demo", "/no-such-page"):
        page = client.get(url).get_data(as_text=True)
        assert head in page, url
        assert word in page, url
    _, learner = signed_in(app, "learner", language=language)
    for url in ("/me", "/account", "/courses/demo", "/quizzes/demo-basics"):
        page = learner.get(url).get_data(as_text=True)
        assert head in page, url


def test_language_menu_works_without_javascript(app, client):
    """The menu is a plain form: posting it sets a cookie, returns to the same page, and the page follows."""
    page = client.get("/glossary").get_data(as_text=True)
    menu = re.search(r'<form method="post" action="/language" class="language-menu"[^>]*>(.*?)</form>', page, re.S)
    assert menu and 'name="next" value="/glossary"' in menu.group(1)
    assert '<strong lang="en" aria-current="true">English</strong>' in menu.group(1)
    buttons = re.findall(
        r'<button type="submit" name="lang" value="([a-z]+)" lang="\1"[^>]*>([^<]+)</button>', menu.group(1)
    )
    assert buttons == [("ar", "العربية"), ("es", "Español"), ("fr", "Français")]
    assert "<script" not in menu.group(1) and "onchange" not in menu.group(1)
    response = client.post("/language", data={"lang": "es", "next": "/glossary"})
    assert response.status_code == 303 and response.headers["Location"] == "/glossary"
    assert "lang=es" in response.headers["Set-Cookie"] and "HttpOnly" in response.headers["Set-Cookie"]
    page = client.get("/glossary").get_data(as_text=True)
    assert '<html lang="es" dir="ltr">' in page
    # the menu is a cached fragment (base.html): it follows the interface language, as every fragment key does
    menu = re.search(r'<form method="post" action="/language" class="language-menu"[^>]*>(.*?)</form>', page, re.S)
    assert '<strong lang="es" aria-current="true">Español</strong>' in menu.group(1)
    assert 'value="en" lang="en" class="link">English</button>' in menu.group(1)


def test_language_menu_refuses_unknown_languages_and_foreign_targets(client):
    """An unoffered language is a 400 that changes nothing; an off-site `next` goes to the catalogue instead."""
    response = client.post("/language", data={"lang": "xx", "next": "/"})
    assert response.status_code == 400 and "lang=" not in response.headers.get("Set-Cookie", "")
    response = client.post("/language", data={"lang": "fr", "next": "//evil.example/"})
    assert response.status_code == 303 and response.headers["Location"] == "/"
    # Anonymous: only a cookie in the visitor's own browser, no token needed (public pages stay session-free).
    assert client.post("/language", data={"lang": "fr"}).status_code == 303
    assert "csrf_token" not in client.get("/glossary").get_data(as_text=True)


def test_language_choice_is_stored_on_the_account(app):
    """A signed-in person's choice is saved on the account and follows them to another browser; without the CSRF
    token it is refused and nothing changes."""
    user_id, learner = signed_in(app, "learner")
    assert learner.post("/language", data={"lang": "ar", "next": "/me"}).status_code == 400
    with app.app_context():
        assert db.session.get(User, user_id).language == "en"
    post_form(learner, "/language", {"lang": "ar", "next": "/me"}, token_from="/me")
    with app.app_context():
        assert db.session.get(User, user_id).language == "ar"
    other = app.test_client()
    post_form(other, "/login", {"email": "learner@example.org", "password": "correct horse battery"})
    assert '<html lang="ar" dir="rtl">' in other.get("/me").get_data(as_text=True)


def test_first_visit_follows_accept_language(client):
    """No cookie, no account: the browser's preferred offered language, by quality and primary tag."""
    page = client.get("/", headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="es" dir="ltr">' in page
    page = client.get("/", headers={"Accept-Language": "ar-EG"}).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    client.set_cookie("lang", "fr")
    assert '<html lang="fr"' in client.get("/", headers={"Accept-Language": "ar"}).get_data(as_text=True)


def test_dates_and_countries_follow_the_reader(app):
    """Dates are written the locale's way and countries are named in the reader's language."""
    with app.app_context():
        learner = add_learner("Amina Njoroge", email="amina@example.org", country="DE")
        add_record(learner, completed=datetime(2026, 3, 2, 9, 30, tzinfo=UTC), certificate="valid")
    _, admin = signed_in(app, "admin", language="fr")
    page = admin.get(f"/admin/users/{learner}").get_data(as_text=True)
    assert "Allemagne" in page and "Germany" not in page
    assert "2 mars 2026" in page
    post_form(admin, "/language", {"lang": "es", "next": "/"}, token_from="/admin/")
    page = admin.get(f"/admin/users/{learner}").get_data(as_text=True)
    print(page[page.find("<dl") : page.find("</dl>")])
    assert "Alemania" in page and "2 mar 2026" in page and "Allemagne" not in page
    options = admin.get("/account").get_data(as_text=True)
    names = re.findall(r'<option value="[A-Z]{2}"[^>]*>([^<]+)<', options)
    assert names.index("Egipto") < names.index("Zambia") and names.index("Alemania") < names.index("Egipto")


def test_times_show_in_the_account_time_zone(app):
    """Times are stored in UTC and shown in the zone of the reader's profile; an unknown zone is refused."""
    from greencustoms.models import AuditEvent

    user_id, admin = signed_in(app, "admin")
    with app.app_context():
        db.session.add(
            AuditEvent(event="auth.login", actor_id=user_id, occurred_at=datetime(2026, 3, 2, 21, 30, tzinfo=UTC))
        )
        db.session.commit()
    assert "9:30\u202fPM" in admin.get("/admin/audit").get_data(as_text=True)
    form = {
        "full_name": "Ada Admin",
        "email": "admin@example.org",
        "country": "KE",
        "organisation": "",
        "language": "en",
        "timezone": "Africa/Nairobi",
    }
    assert post_form(admin, "/account", form, token_from="/account").status_code == 302
    assert "12:30\u202fAM" in admin.get("/admin/audit").get_data(as_text=True)
    refused = post_form(admin, "/account", {**form, "timezone": "Mars/Olympus"}, token_from="/account")
    assert refused.status_code == 400
    with app.app_context():
        assert db.session.get(User, user_id).timezone == "Africa/Nairobi"


def test_workshop_language_is_the_default_for_its_join_page_sheet_and_new_accounts(app):
    """A French workshop: its join page (for a visitor who chose nothing), its printed sheet and slips, and the
    accounts its roster import creates are in French; a visitor's own choice still wins."""
    from greencustoms.models import Workshop

    trainer_id, trainer = signed_in(app, "trainer")
    workshop_id = make_workshop(app, trainer_id)
    with app.app_context():
        db.session.get(Workshop, workshop_id).language = "fr"
        db.session.commit()
    code = join_code(app, workshop_id)
    visitor = app.test_client()
    assert '<html lang="fr"' in visitor.get(f"/join/{code}").get_data(as_text=True)
    assert '<html lang="fr"' in visitor.get(f"/login?next=/join/{code}").get_data(as_text=True)
    assert '<html lang="en"' in visitor.get("/login").get_data(as_text=True)
    visitor.set_cookie("lang", "es")
    assert '<html lang="es"' in visitor.get(f"/join/{code}").get_data(as_text=True)
    sheet = trainer.get(f"/workshops/{workshop_id}/sheet").get_data(as_text=True)
    assert '<html lang="fr"' in sheet and "Rejoindre l’atelier" in sheet
    roster = "full name,e-mail,country,organisation\nJean Dupont,,SN,Douanes\n"
    from io import BytesIO

    post_form(
        trainer,
        f"/workshops/{workshop_id}/roster",
        {"roster": (BytesIO(roster.encode()), "roster.csv")},
        token_from=f"/workshops/{workshop_id}/roster",
        content_type="multipart/form-data",
    )
    with app.app_context():
        created = db.session.execute(db.select(User).filter_by(full_name="Jean Dupont")).scalar_one()
        assert created.language == "fr"
    people = trainer.get(f"/workshops/{workshop_id}/participants").get_data(as_text=True)
    participant = re.search(r'name="participant" value="(\d+)"', people).group(1)
    slips = post_form(
        trainer,
        f"/workshops/{workshop_id}/slips",
        {"participant": participant},
        token_from=f"/workshops/{workshop_id}/participants",
    ).get_data(as_text=True)
    assert '<html lang="fr"' in slips and "Fiches de connexion" in slips


def test_workshop_form_offers_only_the_interface_languages(app):
    """The session language is one of the languages that exist; another is refused."""
    _, trainer = signed_in(app, "trainer")
    page = trainer.get("/workshops/new?course=demo").get_data(as_text=True)
    offered = re.findall(r'<option value="([a-z]{2})"', page.split('name="language"')[1].split("</select>")[0])
    assert offered == ["en", "ar", "es", "fr"]


def test_numbers_codes_and_addresses_keep_their_direction_in_arabic():
    """In Arabic, codes and examples are isolated left-to-right so they are not reordered; no stylesheet uses a
    physical left/right property (they would not mirror)."""
    from greencustoms.config import PROJECT_ROOT

    sheets = sorted((PROJECT_ROOT / "static" / "css").glob("*.css"))
    css = "\n".join(sheet.read_text() for sheet in sheets)
    assert '[dir="rtl"] code' in css and "unicode-bidi: isolate" in css
    assert not re.search(r"(margin|padding|border)-(left|right)\b|text-align: (left|right)|\bleft: ", css)


def test_saving_a_new_language_confirms_in_that_language(app):
    """The confirmation after choosing French on /account is in French, like the page it leads to."""
    _, learner = signed_in(app, "learner")
    form = {
        "full_name": "Amina Njoroge",
        "email": "learner@example.org",
        "country": "KE",
        "organisation": "",
        "language": "fr",
        "timezone": "UTC",
    }
    saved = post_form(learner, "/account", form, token_from="/account")
    assert saved.status_code == 302
    page = learner.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Votre profil est enregistré." in page and "Your profile is saved." not in page


def test_template_gettext_gives_what_jinjas_new_style_gettext_gives(app):
    """`_()` in templates is a direct call (i18n._template_gettext): same text, escaping and formatting as Jinja's
    own new-style gettext, in an escaped page and in a plain-text template."""
    from jinja2 import Environment

    reference = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    reference.install_gettext_callables(gettext=lambda s: s, ngettext=lambda s, p, n: s, newstyle=True)
    source = '{{ _("Signed in as %(name)s.", name=n) }}|{{ gettext("100%% sure") }}|{% trans %}Courses{% endtrans %}'
    with app.test_request_context("/"):
        ours = app.jinja_env.from_string(source).render(n="<b>Amina</b>")
        plain = app.jinja_env.overlay(autoescape=False).from_string(source).render(n="<b>Amina</b>")
    assert ours == reference.from_string(source).render(n="<b>Amina</b>")
    assert ours == "Signed in as &lt;b&gt;Amina&lt;/b&gt;.|100% sure|Courses"
    assert plain == "Signed in as <b>Amina</b>.|100% sure|Courses"
