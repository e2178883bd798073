"""The activation letter printed to A4 as a browser prints it: one page, every line on it, in
the citizen's language and in Danish, and no text under the square code."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["so", "ar"])
def test_the_letter_prints_on_one_a4_page_with_nothing_cut(
    browser, live_server, demo_logins, lang, sign_in_browser
):
    context = browser.new_context()
    page = context.new_page()
    staff = next(e for e in demo_logins if e["login"] == "caseworker1")
    sign_in_browser(page, live_server, staff, lang="da")
    page.goto(f"{live_server}/da/staff/citizens/new")
    page.locator("#name").fill("Faadumo Cali Xasan")
    page.locator("#lang").select_option(lang)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/letter$"))
    code = page.locator(".letter .code").nth(1).inner_text().strip()
    login = page.locator(".letter .code").first.inner_text().strip()

    page.emulate_media(media="print")
    qr = page.locator(".letter-qr svg").bounding_box()
    for text in page.locator(
        ".letter-column p, .letter-column li, .letter-column dd, .letter-column h2"
    ).all():
        box = text.bounding_box()
        overlaps = box and not (
            box["y"] >= qr["y"] + qr["height"]
            or qr["y"] >= box["y"] + box["height"]
            or box["x"] >= qr["x"] + qr["width"]
            or qr["x"] >= box["x"] + box["width"]
        )
        assert not overlaps, text.inner_text()[:40]

    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=False)))
    assert len(pdf.pages) == 1
    width, height = float(pdf.pages[0].mediabox.width), float(pdf.pages[0].mediabox.height)
    assert abs(width - 595) < 2 and abs(height - 842) < 2  # A4 in points
    text = pdf.pages[0].extract_text()
    squeezed = re.sub(r"\s+", "", text)
    assert code.replace(" ", "") in squeezed and login in squeezed  # whole, not cut
    assert "VelkommentilBro" in squeezed  # the Danish column
    assert "Faadumo" in text
    context.close()
