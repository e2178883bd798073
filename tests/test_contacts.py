"""Help near you: the municipality's contacts from one data file, in every language."""

import re
import shutil
from pathlib import Path

import pytest

from app import create_app
from app.contacts import ContactsError, check_contacts

CONTENT = Path(__file__).resolve().parent.parent / "content"


def test_arabic_page_is_rtl_with_phone_links_danish_names_and_unchecked_marker(client):
    response = client.get("/ar/help/contacts")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in html
    assert "<h1>مساعدة بالقرب منك</h1>" in html
    assert 'href="tel:112"' in html
    assert 'href="tel:70113131" dir="ltr">70 11 31 31</a>' in html  # digits stay in order
    assert 'href="tel:33411200"' in html
    assert '<p class="contact-name" lang="da">Lægevagten i Region Midtjylland</p>' in html
    assert '<span lang="da">Aarhus Kommune</span>' in html
    # Entries nobody has checked against the owner's page say so, in Arabic.
    assert html.count("لم يتم التحقق بعد.") == 4
    assert "من الاثنين إلى الجمعة: 16:00–08:00" in html


def test_somali_page_has_the_same_contacts_in_somali(client):
    html = client.get("/so/help/contacts").get_data(as_text=True)
    assert '<html lang="so" dir="ltr">' in html
    assert "Caawimaad kuu dhow" in html
    assert html.count('href="tel:') == 3
    assert html.count("Weli lama hubin.") == 4
    assert 'lang="da">Ankestyrelsen</p>' in html


def test_an_entry_without_a_checked_phone_shows_no_phone(client):
    html = client.get("/en/help/contacts").get_data(as_text=True)
    legal = html[html.index("contact-legal-aid") :]
    legal = legal[: legal.index("</li>")]
    assert "tel:" not in legal
    assert "Not checked yet." in legal
    assert 'href="https://aarhusretshjaelp.dk/"' in legal


def test_danish_page_does_not_mark_danish_names(client):
    html = client.get("/da/help/contacts").get_data(as_text=True)
    assert "Hjælp i nærheden" in html
    assert '<p class="contact-name">Ankestyrelsen</p>' in html
    assert "Fakta tjekket den 4. december 2026" in html


def test_home_page_links_to_help_near_you(client):
    html = client.get("/tr/").get_data(as_text=True)
    assert 'href="/tr/help/contacts">Yakınınızdaki yardım</a>' in html


def test_contacts_are_stored_for_offline_reading(client):
    urls = client.get("/precache/ar.json").get_json()["urls"]
    assert "/ar/help/contacts" in urls


@pytest.fixture
def other_municipality(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    (content / "contacts" / "testby.toml").write_text(
        """
municipality = "Testby Kommune"

[[contact]]
kind = "borgerservice"
name = "Borgerservice Testby"
phone = "+45 11 22 33 44"
address = "Rådhuspladsen 1, 9999 Testby"
hours = [{ days = "mon-thu", from = "10:00", to = "14:00" }, { days = "fri", from = "10:00", to = "12:00" }]
languages = ["da", "en", "ar"]
website = "https://testby.example/"
source = "https://testby.example/borgerservice"
checked_on = 2026-12-01
""",
        encoding="utf-8",
    )
    return content, tmp_path


def test_another_municipality_edits_one_file_and_names_it_in_configuration(other_municipality):
    content, tmp_path = other_municipality
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATABASE": str(tmp_path / "bro.sqlite3"),
            "CONTENT_DIR": str(content),
            "MUNICIPALITY": "testby",
        }
    )
    html = app.test_client().get("/en/help/contacts").get_data(as_text=True)
    assert "Borgerservice Testby" in html and "Lægevagten" not in html
    assert 'href="tel:+4511223344"' in html
    assert (
        'href="https://www.openstreetmap.org/search?query=R%C3%A5dhuspladsen+1%2C+9999+Testby"'
        in html
    )
    assert "Monday to Thursday: 10:00–14:00" in html and "Friday: 10:00–12:00" in html
    assert '<span lang="ar" dir="rtl">العربية</span>' in html
    assert "Not checked yet." not in html


def test_a_broken_contacts_file_stops_the_start(other_municipality):
    content, tmp_path = other_municipality
    (content / "contacts" / "broken.toml").write_text(
        '[[contact]]\nkind = "emergency"\nname = "112"\nphone = "call us"\n', encoding="utf-8"
    )
    with pytest.raises(ContactsError, match="not a phone number"):
        create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "test-secret",
                "DATABASE": str(tmp_path / "bro.sqlite3"),
                "CONTENT_DIR": str(content),
                "MUNICIPALITY": "broken",
            }
        )


def test_check_contacts_finds_what_a_reader_would_trip_over():
    problems = check_contacts(
        {
            "contact": [
                {"kind": "bakery", "name": "x"},
                {"kind": "jobcenter", "name": "y", "checked_on": "yesterday"},
                {"kind": "legal-aid", "name": "z", "website": "http://plain.example/"},
                {"kind": "emergency", "name": "w", "hours": [{"days": "sundays", "from": "9"}]},
            ]
        }
    )
    text = "\n".join(problems)
    assert "contact 1: kind must be one of" in text
    assert "contact 2: checked_on must be a date" in text
    assert "contact 2: checked_on needs the source" in text
    assert "contact 3: website must be an https:// address" in text
    assert "contact 4: hours days must be one of" in text
    assert "contact 4: hours from must look like 09:30" in text
    assert check_contacts({}) == ["no [[contact]] entries"]


def test_every_checked_aarhus_entry_names_its_source():
    text = (CONTENT / "contacts" / "aarhus.toml").read_text(encoding="utf-8")
    for block in text.split("[[contact]]")[1:]:
        if re.search(r"^checked_on", block, re.M):
            assert re.search(r'^source = "https://', block, re.M)
