"""Error pages: translated, calm, with a way forward, never a stack trace."""

import pytest

from app.errors import MESSAGES


def test_404_in_the_url_language(client):
    response = client.get("/so/help/does-not-exist")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert '<html lang="so" dir="ltr">' in html
    assert 'href="/so/"' in html  # a way back home
    assert 'name="robots" content="noindex"' in html


def test_405_page(client):
    response = client.post("/healthz")
    assert response.status_code in (400, 405)  # CSRF runs first on POST; both are calm pages
    response = client.delete("/en/")
    assert response.status_code == 405
    assert "Error code: 405" in response.get_data(as_text=True)


def test_500_is_calm_and_hides_the_error(app):
    app.config["TESTING"] = False  # let the error handler run instead of re-raising
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/en/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/en/boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "secret internals" not in html and "Traceback" not in html
    assert "Something went wrong on our side" in html


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_error_message_is_translated_in_every_locale(app, code):
    from flask_babel import force_locale

    from app.languages import LANGUAGES

    title, advice = MESSAGES[code]
    with app.test_request_context("/"):
        for lang in LANGUAGES:
            if lang.code == "en":
                continue
            with force_locale(lang.locale):
                assert str(title) != title._args[0], (lang.code, code)
                assert str(advice) != advice._args[0], (lang.code, code)
