"""The engine's step context implements the ``StepContext`` contract handlers are written to."""

import inspect
from typing import get_type_hints

from apps.credentials.services import ResolvedCredential
from apps.executions.engine.context import ChannelFrames
from apps.executions.engine.credentials import RunCredentials
from apps.executions.engine.resources import Resources
from apps.steps import context as contract
from tests.steps.plugins.browser.harness import Harness


def members(protocol) -> set[str]:
    """The attributes and methods a protocol declares."""
    own = vars(protocol)
    methods = {name for name, value in own.items() if inspect.isfunction(value)}
    return {name for name in set(own.get("__annotations__", {})) | methods if name[0] != "_"}


def signature_of(owner, name: str) -> list[str]:
    return list(inspect.signature(getattr(owner, name)).parameters)


def test_the_engine_context_has_every_member_of_the_contract(tmp_path):
    context = Harness(tmp_path).context("utility.log")

    missing = [name for name in sorted(members(contract.StepContext)) if not hasattr(context, name)]

    assert {"credentials", "resources", "frames", "check", "log"} <= members(contract.StepContext)
    assert missing == []
    assert context.debug is False
    assert isinstance(context.frames, ChannelFrames)


def test_the_engine_parts_take_the_arguments_the_contract_names():
    pairs = [
        (contract.CredentialResolver, RunCredentials),
        (contract.RunResources, Resources),
        (contract.LiveFrames, ChannelFrames),
    ]

    for protocol, implementation in pairs:
        for name in members(protocol):
            assert signature_of(implementation, name) == signature_of(protocol, name), name


def test_the_contract_hands_out_resolved_credentials():
    hints = get_type_hints(contract.CredentialResolver.lookup)

    assert hints["return"] is ResolvedCredential
