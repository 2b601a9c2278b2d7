import pytest

from apps.accounts.models import AuditEntry
from apps.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from apps.playbooks.models import Preset
from apps.playbooks.services import preset_create, preset_delete, preset_update
from tests.accounts.factories import UserFactory
from tests.playbooks.factories import PlaybookFactory, PresetFactory, playbook_yaml

pytestmark = pytest.mark.django_db


def test_operators_save_presets_with_credential_references(playbook, operator, credential):
    values = {"gateway_url": "http://plant:8088", "login": "line1-gateway", "retries": 3}

    preset = preset_create(playbook=playbook, actor=operator, name=" Plant ", values=values)

    preset.refresh_from_db()
    assert (preset.name, preset.values, preset.owner, preset.shared) == (
        "Plant",
        values,
        operator,
        False,
    )
    assert AuditEntry.objects.get().details == {"playbook": "gateway/check_gateway.yaml"}


@pytest.mark.parametrize(
    ("_case", "values", "message"),
    [
        ("unknown", {"nope": 1}, "Check gateway has no parameter 'nope' \\(its parameters: "),
        ("type", {"retries": "3"}, "Parameter 'retries' needs a integer value."),
        ("bool is no int", {"retries": True}, "Parameter 'retries' needs a integer value."),
        ("credential", {"login": "missing"}, "Parameter 'login': no credential named 'missing'"),
        ("not a dict", ["x"], "Preset values must be an object"),
    ],
)
def test_values_are_checked(playbook, operator, credential, _case, values, message):
    with pytest.raises(ApplicationError, match=message):
        preset_create(playbook=playbook, actor=operator, name="p", values=values)

    assert Preset.objects.count() == 0


def test_secret_parameters_are_stored_encrypted(team, operator):
    text = playbook_yaml().replace(
        "  - name: retries\n",
        "  - name: password\n    type: string\n    secret: true\n  - name: retries\n",
    )
    playbook = PlaybookFactory(team=team, yaml_text=text)

    preset = preset_create(playbook=playbook, actor=operator, name="p", values={"password": "pw1"})
    preset_update(preset, actor=operator, values={"password": "$encrypted$", "retries": 2})

    preset.refresh_from_db()
    assert preset.values == {"password": "$encrypted$", "retries": 2}
    assert preset.secret_values_dict() == {"password": "pw1"}


def test_parameters_of_unknown_type_take_any_value(team, operator):
    playbook = PlaybookFactory(team=team)
    playbook.current_version.parameters = [{"name": "odd", "type": "future"}]
    playbook.current_version.save()

    preset = preset_create(playbook=playbook, actor=operator, name="p", values={"odd": [1]})

    assert preset.values == {"odd": [1]}


def test_names_are_unique_per_owner(playbook, operator, editor):
    preset_create(playbook=playbook, actor=operator, name="p", values={})
    preset_create(playbook=playbook, actor=editor, name="p", values={})

    with pytest.raises(ConflictError, match="You already have a preset named 'p'"):
        preset_create(playbook=playbook, actor=operator, name="p", values={})
    with pytest.raises(ApplicationError, match="A preset needs a name."):
        preset_create(playbook=playbook, actor=operator, name=" ", values={})

    assert Preset.objects.count() == 2


@pytest.mark.parametrize("persona", ["viewer", "outsider"])
def test_viewers_and_outsiders_cannot_save(request, playbook, persona):
    with pytest.raises(PermissionDeniedError, match="Only operators and editors of Line 1"):
        preset_create(
            playbook=playbook, actor=request.getfixturevalue(persona), name="p", values={}
        )

    assert Preset.objects.count() == 0


def test_owner_updates(playbook, operator):
    preset = PresetFactory(playbook=playbook, owner=operator, name="p", shared=False)

    preset_update(preset, actor=operator, name="q", values={"retries": 2}, shared=True)

    preset.refresh_from_db()
    assert (preset.name, preset.values, preset.shared) == ("q", {"retries": 2}, True)


def test_update_refuses_unknown_fields(playbook, operator):
    preset = PresetFactory(playbook=playbook, owner=operator)

    with pytest.raises(ApplicationError, match="These fields cannot be changed: owner."):
        preset_update(preset, actor=operator, owner=None)


def test_others_change_only_shared_presets_as_editors(playbook, team, operator, editor):
    other_operator = UserFactory(roles=["operator"], teams=[team])
    shared = PresetFactory(playbook=playbook, owner=operator, shared=True, name="s")

    with pytest.raises(PermissionDeniedError, match="Preset 's' belongs to someone else."):
        preset_update(shared, actor=other_operator, name="mine")
    preset_update(shared, actor=editor, name="fixed")

    shared.refresh_from_db()
    assert shared.name == "fixed"


def test_delete(playbook, operator, admin_user):
    own = PresetFactory(playbook=playbook, owner=operator)
    other = PresetFactory(playbook=playbook, owner=operator)

    preset_delete(own, actor=operator)
    preset_delete(other, actor=admin_user)

    assert Preset.objects.count() == 0
