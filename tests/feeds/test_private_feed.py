"""A feed reader cannot sign in, so each person gets a private URL per area for its alerts' Atom feed.

Like the calendar feed: the URL is shown once, a new one stops the old, and it can be turned off. It
shows what its owner may see at the moment of each read: a volunteer who left the group, or a wijkagent
no longer assigned, gets 404. The feed is read with feedparser, as feed readers do, and the CAP link of
each entry is followed without a token and validated against the OASIS CAP 1.2 schema.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from buurtwacht.models import MembershipRole
from tests.alerts.readers import read_feed, valid_cap
from tests.push.helpers import start_alert


def people(make):
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "bargeres")
    bram = make.person("Bram Jansen")
    group = make.group("bargeres")
    membership = make.member(group, bram, MembershipRole.VOLUNTEER)
    return sanne, bram, group, membership


def private_url(client, make, person, area="bargeres"):
    response = client.post(f"/api/v1/me/alert-feeds/{make.area_id(area)}", headers=make.headers(person))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def path_of(url):
    return urlsplit(url).path


def test_a_volunteer_reads_the_areas_alerts_in_a_feed_reader_without_signing_in(client, make):
    sanne, bram, _, _ = people(make)
    alert_id = start_alert(client, make, sanne)
    made = private_url(client, make, bram)
    assert (made["area_name"], made["area_id"]) == ("Bargeres", make.area_id("bargeres"))
    assert made["url"].endswith(".atom")

    response = client.get(path_of(made["url"]))  # no Authorization header: the URL is the key

    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    assert response.headers["Cache-Control"] == "private, max-age=300"
    parsed = read_feed(response.data)
    assert parsed.feed.title == "Buurtwacht-meldingen Bargeres"
    assert parsed.feed.links[0].href == made["url"]  # rel=self: the private URL it was read at
    [entry] = parsed.entries
    assert entry.title == "Vermist: jongen van 8 jaar"
    # The entry's link opens the CAP message through the same secret, again without a token.
    [cap_link] = [link for link in entry.links if link.type == "application/cap+xml"]
    cap = client.get(path_of(cap_link.href))
    assert cap.status_code == 200 and cap.mimetype == "application/cap+xml"
    root = valid_cap(cap.data)
    assert alert_id in root.findtext("{urn:oasis:names:tc:emergency:cap:1.2}identifier")


def test_the_secret_is_shown_once_and_listed_without_it(client, make):
    _, bram, _, _ = people(make)
    made = private_url(client, make, bram)
    token = path_of(made["url"]).removeprefix("/feeds/").removesuffix(".atom")

    listed = client.get("/api/v1/me/alert-feeds", headers=make.headers(bram))

    assert listed.status_code == 200
    assert [(f["area_name"], f["readable"]) for f in listed.get_json()] == [("Bargeres", True)]
    assert token not in listed.get_data(as_text=True)


def test_a_new_url_stops_the_old_one_and_turning_it_off_stops_both(client, make):
    _, bram, _, _ = people(make)
    old = path_of(private_url(client, make, bram)["url"])
    new = path_of(private_url(client, make, bram)["url"])

    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    off = client.delete(f"/api/v1/me/alert-feeds/{make.area_id('bargeres')}", headers=make.headers(bram))
    assert off.status_code == 204
    assert client.get(new).status_code == 404
    again = client.delete(f"/api/v1/me/alert-feeds/{make.area_id('bargeres')}", headers=make.headers(bram))
    assert again.status_code == 404 and again.get_json()["message"]


def test_a_volunteer_who_left_the_group_gets_404_at_the_url_they_kept(client, make):
    sanne, bram, group, membership = people(make)
    start_alert(client, make, sanne)
    url = path_of(private_url(client, make, bram)["url"])
    entry_link = read_feed(client.get(url).data).entries[0].links[0].href

    left = client.delete(f"/api/v1/groups/{group.id}/members/{membership}", headers=make.headers(bram))
    assert left.status_code == 204

    gone = client.get(url)
    assert gone.status_code == 404
    assert "Vermist" not in gone.get_data(as_text=True)
    assert client.get(path_of(entry_link)).status_code == 404  # nor the CAP messages it linked
    listed = client.get("/api/v1/me/alert-feeds", headers=make.headers(bram)).get_json()
    assert [f["readable"] for f in listed] == [False]


def test_a_wijkagent_no_longer_assigned_gets_404(client, make):
    sanne, _, _, _ = people(make)
    start_alert(client, make, sanne)
    url = path_of(private_url(client, make, sanne)["url"])
    assert client.get(url).status_code == 200
    gemma = make.person("Gemma Gemeente", admin=True)

    unassigned = client.delete(
        f"/api/v1/areas/{make.area_id('bargeres')}/officers/{sanne.id}", headers=make.headers(gemma)
    )
    assert unassigned.status_code == 204, unassigned.get_json()

    assert client.get(url).status_code == 404


def test_only_people_the_areas_alerts_reach_get_a_url(client, make):
    people(make)
    olaf = make.person("Olaf Emmerhout")
    make.member(make.group("emmerhout"), olaf, MembershipRole.VOLUNTEER)
    gemma = make.person("Gemma Gemeente", admin=True)
    bargeres = make.area_id("bargeres")

    for outsider in (olaf, gemma):  # admins see alert numbers, never the texts
        refused = client.post(f"/api/v1/me/alert-feeds/{bargeres}", headers=make.headers(outsider))
        assert refused.status_code == 403, refused.get_json()
    assert client.post("/api/v1/me/alert-feeds/999999", headers=make.headers(olaf)).status_code == 404
    assert client.post(f"/api/v1/me/alert-feeds/{bargeres}").status_code == 401
    assert client.get("/api/v1/me/alert-feeds", headers=make.headers(olaf)).get_json() == []


def test_an_unknown_url_and_an_alert_of_another_area_are_404(client, make):
    sanne, bram, _, _ = people(make)
    make.officer(sanne, "emmen-zuid")
    elsewhere = start_alert(client, make, sanne, ("rietlanden",), headline="Inbraak in schuur")
    url = path_of(private_url(client, make, bram)["url"])

    unknown = client.get(f"/feeds/{secrets.token_urlsafe(32)}.atom")
    assert unknown.status_code == 404 and unknown.get_json()["code"] == 404
    assert read_feed(client.get(url).data).entries == []  # Rietlanden's alert is not Bargeres's
    assert client.get(url.removesuffix(".atom") + f"/alerts/{elsewhere}.cap").status_code == 404


def test_an_empty_feed_is_still_a_valid_feed(client, make):
    _, bram, _, _ = people(make)
    parsed = read_feed(client.get(path_of(private_url(client, make, bram)["url"])).data)
    assert parsed.entries == []
