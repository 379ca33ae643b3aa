"""Who sees which alert, as the reads work it out without a recursive query (alerts/reads.py).

The areas a wijkagent serves are their own and the two levels below: the tree of areas is three deep at
most. These tests hold the tree to that depth, and check that a wijkagent of the whole municipality, of a
gebied and of a wijk each see exactly the alerts below them, in the list and one by one.
"""

from __future__ import annotations

import json

from buurtwacht.models.area import PARENT_KINDS, AreaKind
from tests.push.helpers import start_alert


def test_the_tree_of_areas_is_at_most_three_deep() -> None:
    def depth(kind: AreaKind) -> int:
        return 1 + max((depth(parent) for parent in PARENT_KINDS[kind]), default=0)

    assert max(depth(kind) for kind in AreaKind) == 3  # gemeente, gebied, wijk or dorp


def test_each_wijkagent_sees_the_alerts_of_the_areas_below_them(client, make):  # type: ignore[no-untyped-def]
    whole, south, wijk = make.person("Gemeente Agent"), make.person("Sanne Mulder"), make.person("Kees Wijkagent")
    make.officer(whole, "emmen")
    make.officer(south, "emmen-zuid")
    make.officer(wijk, "bargeres")
    in_bargeres = start_alert(client, make, wijk, ("bargeres",))
    in_rietlanden = start_alert(client, make, south, ("rietlanden",), headline="Fietsendief bij het station")
    in_emmerhout = start_alert(client, make, whole, ("emmerhout",), headline="Brand in de schuur")

    def listed(person) -> set[str]:  # type: ignore[no-untyped-def]
        answer = client.get("/api/v1/alerts?page_size=50", headers=make.headers(person))
        assert answer.status_code == 200, answer.get_data(as_text=True)
        ids = {view["alert"]["id"] for view in answer.get_json()}
        assert json.loads(answer.headers["X-Pagination"])["total"] == len(ids)
        return ids

    assert listed(whole) == {in_bargeres, in_rietlanden, in_emmerhout}
    assert listed(south) == {in_bargeres, in_rietlanden}  # Emmerhout lies in Emmen Oost
    assert listed(wijk) == {in_bargeres}
    for person, alert, seen in ((wijk, in_rietlanden, 404), (south, in_emmerhout, 404), (whole, in_bargeres, 200)):
        answer = client.get(f"/api/v1/alerts/{alert}", headers=make.headers(person))
        assert answer.status_code == seen, answer.get_data(as_text=True)
    steered = client.get(f"/api/v1/alerts/{in_bargeres}", headers=make.headers(whole)).get_json()
    assert steered["can_steer"] is True  # served from above: the whole municipality's wijkagent may steer it
