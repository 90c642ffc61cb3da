"""Accounts: registration, sign-in, sessions, profile, password, roles and the users CLI."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from greencustoms.extensions import db
from greencustoms.models import User, UserSession
from greencustoms.models.tokens import hash_secret
from tests.conftest import PASSWORD, post_form

REGISTRATION = {
    "full_name": "Zoë Ørsted-Łukasik",
    "email": "Zoe@Example.org ",
    "password": "a long enough secret",
    "confirm": "a long enough secret",
    "country": "DK",
    "organisation": "Danish Customs Agency",
    "language": "en",
}


def _user(app, email):
    with app.app_context():
        return db.session.execute(select(User).filter_by(email=email)).scalar_one_or_none()


def test_register_creates_learner_and_signs_in(app, client):
    """Registering stores a learner with a hashed password and signs the person in."""
    response = post_form(client, "/register", REGISTRATION, token_from="/register")
    assert response.status_code == 302
    user = _user(app, "zoe@example.org")
    assert user is not None and user.role == "learner" and user.full_name == "Zoë Ørsted-Łukasik"
    assert user.check_password("a long enough secret") and "a long enough secret" not in user.password_hash
    assert client.get("/me").status_code == 200


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "not-an-email", "e-mail address like"),
        ("password", "short", "at least 10 characters"),
        ("confirm", "something else entirely", "not the same"),
        ("full_name", "", "This field is required"),
        ("full_name", "<script>x</script>", "special characters"),
        ("country", "", "Choose your country"),
        ("country", "QQ", "Not a valid choice"),
    ],
)
def test_register_rejects_bad_input_with_message(app, client, field, value, message):
    """Each bad registration field gives a 400 with a message next to it, and no account."""
    data = dict(REGISTRATION, **{field: value})
    if field == "password":
        data["confirm"] = value
    response = post_form(client, "/register", data, token_from="/register")
    assert response.status_code == 400
    assert message.lower() in response.get_data(as_text=True).lower()
    assert _user(app, "zoe@example.org") is None


def test_register_refuses_taken_email(app, client, auth):
    """An e-mail already in use (in any letter case) is refused with a message."""
    auth.create(email="zoe@example.org")
    response = post_form(client, "/register", REGISTRATION, token_from="/register")
    assert response.status_code == 400
    assert "already exists" in response.get_data(as_text=True)


def test_login_and_logout(client, auth):
    """A correct password signs in; signing out ends access to private pages."""
    auth.create()
    assert auth.login().headers["Location"] == "/me"
    assert client.get("/me").status_code == 200
    auth.logout()
    response = client.get("/me")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_login_wrong_password_is_refused(client, auth):
    """A wrong password or an unknown e-mail gives the same message and no session."""
    auth.create()
    for email, password in (("officer@example.org", "wrong password!"), ("nobody@example.org", PASSWORD)):
        response = auth.login(email=email, password=password)
        assert response.status_code == 400
        assert "e-mail, username or password is not correct" in response.get_data(as_text=True)
    assert client.get("/me").status_code == 302


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "http:/x"],
)
def test_login_next_only_redirects_on_site(client, auth, target):
    """The `next` parameter may only send the user to a path on this site."""
    auth.create()
    response = post_form(client, f"/login?next={target}", {"email": "officer@example.org", "password": PASSWORD})
    assert response.headers["Location"] == "/me"


def test_login_next_on_site_is_followed(client, auth):
    """A local `next` path is honoured after sign-in."""
    auth.create()
    response = post_form(client, "/login?next=/courses/demo", {"email": "officer@example.org", "password": PASSWORD})
    assert response.headers["Location"] == "/courses/demo"


def test_session_is_renewed_at_login(client, auth):
    """Whatever an anonymous session held is dropped at sign-in (no session fixation)."""
    user_id = auth.create()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    auth.login()
    with client.session_transaction() as session:
        assert "planted" not in session
        secret = session["_user_id"]  # a server-side session's secret, no longer "<id>:<epoch>"
    with client.application.app_context():
        row = db.session.execute(db.select(UserSession).filter_by(token_hash=hash_secret(secret))).scalar_one()
        assert row.user_id == user_id and row.revoked_at is None


def test_login_is_rate_limited(app, client, auth):
    """Repeated sign-in attempts from one address are stopped with 429."""
    auth.create()
    statuses = [auth.login(password="wrong password!").status_code for _ in range(12)]
    assert statuses[:10] == [400] * 10
    assert statuses[-1] == 429


def test_disabled_user_session_stops_working(app, client, auth):
    """Disabling an account ends its existing session at once."""
    user_id = auth.create()
    auth.login()
    with app.app_context():
        user = db.session.get(User, user_id)
        user.active = False
        user.end_sessions()
        db.session.commit()
    assert client.get("/me").status_code == 302


def test_a_disabled_account_is_told_so_only_with_the_right_password(app, client, auth):
    """The owner (right password) reads that the account is disabled and whom to ask; a guesser reads only the
    usual refusal, so the message reveals nothing to someone who does not hold the account."""
    user_id = auth.create()
    with app.app_context():
        db.session.get(User, user_id).active = False
        db.session.commit()
    owner = auth.login().get_data(as_text=True)
    guesser = auth.login(password="not the password").get_data(as_text=True)
    assert "This account is disabled" in owner and "The e-mail, username or password is not correct" not in owner
    assert "This account is disabled" not in guesser and "The e-mail, username or password is not correct" in guesser


def test_a_page_behind_sign_in_says_why_it_sent_you_there(client):
    """Following /me while signed out lands on the sign-in page with a message that goes through translation."""
    response = client.get("/me", follow_redirects=True)
    assert "Sign in to see this page." in response.get_data(as_text=True)
    assert "Please log in to access this page" not in response.get_data(as_text=True)


def test_profile_update(app, client, auth):
    """The profile page saves name, country, organisation and language."""
    auth.create()
    auth.login()
    data = {
        "full_name": "Amina W. Njoroge",
        "email": "officer@example.org",
        "country": "KE",
        "organisation": "Kenya Revenue Authority",
        "language": "en",
    }
    response = post_form(client, "/account", data, token_from="/account")
    assert response.status_code == 302
    user = _user(app, "officer@example.org")
    assert (user.full_name, user.country, user.organisation) == ("Amina W. Njoroge", "KE", "Kenya Revenue Authority")


def test_profile_cannot_take_another_users_email(app, client, auth):
    """Changing one's e-mail to another account's address is refused."""
    auth.create()
    auth.create(email="other@example.org", name="Other Person")
    auth.login()
    data = {"full_name": "Amina", "email": "OTHER@example.org", "country": "KE", "organisation": "", "language": "en"}
    response = post_form(client, "/account", data, token_from="/account")
    assert response.status_code == 400 and "already exists" in response.get_data(as_text=True)


def test_change_password_ends_other_sessions(app, client, auth):
    """After a password change the old password fails, this session continues, and other sessions end."""
    auth.create()
    other_device = app.test_client()
    auth.login(client=other_device)
    auth.login()
    data = {"current": PASSWORD, "new": "a brand new passphrase", "confirm": "a brand new passphrase"}
    assert post_form(client, "/account/password", data, token_from="/account/password").status_code == 302
    assert client.get("/me").status_code == 200
    assert other_device.get("/me").status_code == 302
    auth.logout()
    assert auth.login().status_code == 400
    assert auth.login(password="a brand new passphrase").status_code == 302


def test_change_password_needs_current_password(client, auth):
    """A wrong current password is refused with a message."""
    auth.create()
    auth.login()
    data = {"current": "not my password", "new": "a brand new passphrase", "confirm": "a brand new passphrase"}
    response = post_form(client, "/account/password", data, token_from="/account/password")
    assert response.status_code == 400 and "current password is not correct" in response.get_data(as_text=True)


def test_every_form_that_sets_a_password_states_the_rule_it_checks(app, client, auth):
    """Registration, the password change, the reset link's page and a participant's first password all show the
    same hint, and the hint gives the length the rule enforces (rules.MIN_PASSWORD_LENGTH)."""
    from greencustoms.auth.forms import NEW_PASSWORD_HINT, PasswordForm, RegisterForm
    from greencustoms.auth.reset_views import ResetPasswordForm
    from greencustoms.rules import MIN_PASSWORD_LENGTH
    from greencustoms.workshops.forms import FirstPasswordForm

    with app.test_request_context():
        assert f"At least {MIN_PASSWORD_LENGTH} characters." in str(NEW_PASSWORD_HINT)
        for form, field in ((RegisterForm, "password"), (PasswordForm, "new"), (ResetPasswordForm, "new"),
                            (FirstPasswordForm, "password")):  # fmt: skip
            assert form(meta={"csrf": False})[field].description == NEW_PASSWORD_HINT, form.__name__
    hint = f"At least {MIN_PASSWORD_LENGTH} characters. A short sentence is easy to remember."
    assert hint in client.get("/register").get_data(as_text=True)
    auth.create()
    auth.login()
    page = client.get("/account/password").get_data(as_text=True)
    assert hint in page and 'autocomplete="new-password"' in page
    short = {"current": PASSWORD, "new": "too short", "confirm": "too short"}
    refused = post_form(client, "/account/password", short, token_from="/account/password")
    assert refused.status_code == 400
    assert f"Use at least {MIN_PASSWORD_LENGTH} characters." in refused.get_data(as_text=True)


def test_users_create_cli_generates_password(app, runner):
    """`flask users create` without a terminal generates a password and prints it once."""
    result = runner.invoke(
        args=["users", "create", "--email", "Admin@Example.org", "--name", "First Admin", "--role", "admin"]
    )
    assert result.exit_code == 0, result.output
    password = result.output.split("Password (shown once, hand it over safely): ")[1].strip()
    with app.app_context():
        user = db.session.execute(select(User).filter_by(email="admin@example.org")).scalar_one()
        assert user.role == "admin" and user.check_password(password)


def test_users_create_cli_prompts_in_a_terminal(app, runner, monkeypatch):
    """In a terminal the CLI asks for the password twice and stores it."""
    monkeypatch.setattr("greencustoms.auth.cli._interactive", lambda: True)
    result = runner.invoke(
        args=["users", "create", "--email", "t@example.org", "--name", "Trainer One", "--role", "trainer"],
        input="trainer passphrase\ntrainer passphrase\n",
    )
    assert result.exit_code == 0, result.output
    assert "shown once" not in result.output
    with app.app_context():
        user = db.session.execute(select(User).filter_by(email="t@example.org")).scalar_one()
        assert user.role == "trainer" and user.check_password("trainer passphrase")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "emperor"], "Invalid value for '--role'"),
        (["--email", "dup@example.org"], "already exists"),
    ],
)
def test_users_create_cli_errors(app, runner, auth, args, message):
    """Bad CLI input exits non-zero with a clear message."""
    auth.create(email="dup@example.org")
    base = {"--email": "new@example.org", "--name": "Someone", "--role": "learner"}
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    result = runner.invoke(args=["users", "create", *[x for pair in base.items() for x in pair]])
    assert result.exit_code != 0 and message in result.output


def test_no_account_exists_by_default(app):
    """A fresh installation has no default account or password."""
    with app.app_context():
        assert db.session.execute(select(User)).first() is None


def test_roles_hierarchy(app):
    """Admins hold every role; a learner holds only learner."""
    admin, learner = User(role="admin"), User(role="learner")
    assert admin.has_role("trainer") and admin.has_role("learner")
    assert learner.has_role("learner") and not learner.has_role("trainer", "admin")


def test_a_workshop_room_can_sign_in_together(app, auth):
    """Twenty-five people behind one address sign in within a minute: more than one account's limit allows."""
    auth.create(email="p0@example.org", name="Participant 0")
    with app.app_context():
        shared_hash = db.session.execute(select(User.password_hash)).scalar_one()
        db.session.add_all(
            User(email=f"p{n}@example.org", full_name=f"Participant {n}", password_hash=shared_hash)
            for n in range(1, 25)
        )
        db.session.commit()
    statuses = [auth.login(email=f"p{n}@example.org", client=app.test_client()).status_code for n in range(25)]
    assert statuses == [302] * 25


def test_password_guessing_on_one_account_is_limited_across_clients(app, auth):
    """Guessing one account's password is stopped even when each guess comes with a fresh session."""
    auth.create()
    statuses = [auth.login(password="wrong password!", client=app.test_client()).status_code for _ in range(11)]
    assert statuses[-1] == 429
