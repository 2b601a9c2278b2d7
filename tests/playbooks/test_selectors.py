import pytest

from apps.core.errors import NotFoundError
from apps.playbooks.selectors import (
    playbook_exists_in_team,
    playbook_get_for_user,
    playbook_list_for_user,
    playbook_normalise_path,
    playbook_version_diff,
    playbook_version_list,
    preset_get_for_user,
    preset_list_for_user,
)
from apps.playbooks.services import playbook_update
from tests.accounts.factories import UserFactory
from tests.playbooks.factories import PlaybookFactory, PresetFactory, playbook_yaml

pytestmark = pytest.mark.django_db


def test_members_see_their_teams_playbooks(team, other_team, viewer, admin_user):
    mine = PlaybookFactory(team=team, name="A")
    other = PlaybookFactory(team=other_team, name="B")

    assert list(playbook_list_for_user(viewer)) == [mine]
    assert list(playbook_list_for_user(admin_user)) == [mine, other]
    with pytest.raises(NotFoundError, match=f"Playbook {other.pk} does not exist or is not yours."):
        playbook_get_for_user(viewer, other.pk)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"domain": "perspective"}, ["Buttons"]),
        ({"origin": "builtin"}, ["Login"]),
        ({"enabled": False}, ["Buttons"]),
        ({"verified": True}, ["Login"]),
        ({"group": "Base"}, ["Login"]),
        ({"search": "BUTT"}, ["Buttons"]),
        ({"search": "gateway/"}, ["Login"]),
        ({"search": "clicks"}, ["Buttons"]),
        ({"enabled": None, "search": "  "}, ["Login", "Buttons"]),
    ],
)
def test_filters_and_search(team, viewer, filters, expected):
    PlaybookFactory(
        team=team, name="Login", path="gateway/login.yaml", origin="builtin", verified=True
    ).__class__.objects.filter(name="Login").update(group="Base", domain="gateway")
    PlaybookFactory(
        team=team, name="Buttons", path="perspective/buttons.yaml", enabled=False
    ).__class__.objects.filter(name="Buttons").update(domain="perspective", description="Clicks")

    found = playbook_list_for_user(viewer, filters=filters)

    assert sorted(p.name for p in found) == sorted(expected)


def test_filter_by_team(team, other_team, admin_user):
    PlaybookFactory(team=team, name="A")
    PlaybookFactory(team=other_team, name="B")

    assert [
        p.name for p in playbook_list_for_user(admin_user, filters={"team": other_team.pk})
    ] == ["B"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("gateway/login.yaml", "gateway/login.yaml"),
        ("playbooks/gateway/login.yaml", "gateway/login.yaml"),
        ("./playbooks/gateway/login.yaml", "gateway/login.yaml"),
        ("gateway\\login.yaml", "gateway/login.yaml"),
    ],
)
def test_normalise_path(raw, expected):
    assert playbook_normalise_path(raw) == expected


def test_exists_in_team(playbook, team, other_team):
    assert playbook_exists_in_team(team, "playbooks/gateway/check_gateway.yaml") is True
    assert playbook_exists_in_team(other_team, "gateway/check_gateway.yaml") is False


def test_versions_and_diff(playbook, editor):
    playbook_update(playbook, actor=editor, yaml_text=playbook_yaml(message="Bye"))

    assert [v.revision for v in playbook_version_list(playbook)] == [2, 1]
    diff = playbook_version_diff(playbook, from_revision=1, to_revision=2)
    assert diff.splitlines()[:2] == [
        "--- gateway/check_gateway.yaml@r1",
        "+++ gateway/check_gateway.yaml@r2",
    ]
    assert '-      message: "Hello {{ parameter.gateway_url }}"' in diff.splitlines()
    assert '+      message: "Bye {{ parameter.gateway_url }}"' in diff.splitlines()
    assert playbook_version_diff(playbook, from_revision=2, to_revision=2) == ""


def test_presets_shared_or_own(playbook, team, viewer, operator, admin_user, other_team):
    shared = PresetFactory(playbook=playbook, name="a", shared=True, owner=operator)
    own = PresetFactory(playbook=playbook, name="b", shared=False, owner=viewer)
    private = PresetFactory(playbook=playbook, name="c", shared=False, owner=operator)
    PresetFactory(playbook=PlaybookFactory(team=other_team), name="d")

    assert list(preset_list_for_user(viewer)) == [shared, own]
    assert list(preset_list_for_user(viewer, playbook=playbook)) == [shared, own]
    assert set(preset_list_for_user(admin_user, playbook=playbook)) == {shared, own, private}
    assert preset_get_for_user(viewer, own.pk) == own
    with pytest.raises(NotFoundError, match=f"Preset {private.pk} does not exist or is not yours."):
        preset_get_for_user(viewer, private.pk)


def test_presets_of_other_teams_are_hidden(playbook, outsider):
    preset = PresetFactory(playbook=playbook, shared=True, owner=UserFactory())

    assert list(preset_list_for_user(outsider)) == []
    with pytest.raises(NotFoundError):
        preset_get_for_user(outsider, preset.pk)
