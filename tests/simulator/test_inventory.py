"""Each profile seeds the default image's modules, stamped with its own build."""

import pytest

from apps.simulator.modules import ModuleError, ModuleStore

from .helpers import API, TOKEN, build_modl, client_for, make

TOP = """alarm-notification connectors.kafka eam eventstream historian historian.sql
jdbc.mariadb jdbc.mssql jdbc.postgresql opcua perspective phone-notification reporting sfc
sms-notification sqlbridge symbol-factory vision webdev"""
DRIVERS = """ablegacy bacnet dnp3 dnp3v2 iec61850 logix micro800 mitsubishi modbus omron siemens
siemens-symbolic tcpudp"""
IDS_839 = {f"com.inductiveautomation.{key}" for key in TOP.split()} | {
    f"com.inductiveautomation.opcua.drivers.{key}" for key in DRIVERS.split()
}


async def modules_of(version: str) -> dict:
    app, _ = make(version=version)
    async with client_for(app) as http:
        body = (await http.get(f"{API}/modules/healthy?limit=50", headers=TOKEN)).json()
        info = (await http.get(f"{API}/gateway-info", headers=TOKEN)).json()
    return {"items": {m["id"]: m for m in body["items"]}, "info": info}


async def test_839_has_the_default_images_32_modules():
    seen = await modules_of("8.3.9")
    items = seen["items"]

    assert set(items) == IDS_839
    assert items["com.inductiveautomation.opcua"]["name"] == "OPC-UA"
    assert items["com.inductiveautomation.opcua"]["version"] == "10.3.9 (b2026082511)"
    assert items["com.inductiveautomation.perspective"]["version"] == "3.3.9 (b2026082511)"
    assert items["com.inductiveautomation.vision"]["version"] == "12.3.9 (b2026082511)"
    assert items["com.inductiveautomation.historian"]["name"] == "Historian Core"
    assert items["com.inductiveautomation.webdev"]["name"] == "WebDev"
    vision = items["com.inductiveautomation.vision"]
    assert (vision["collection"], vision["state"], vision["onStartup"]) == (
        "healthy",
        "ACTIVE",
        "enabled",
    )
    assert vision["shouldUpgrade"] is False
    assert seen["info"]["ignitionVersion"] == "8.3.9 (b2026082511)"


@pytest.mark.parametrize(
    ("version", "stamp"),
    [("8.3.0", "3.3.0 (b2025091510)"), ("8.3.6", "3.3.6 (b2026042713)")],
)
async def test_builds_follow_the_version(version, stamp):
    seen = await modules_of(version)

    assert seen["items"]["com.inductiveautomation.perspective"]["version"] == stamp
    assert seen["info"]["ignitionVersion"] == f"{version} ({stamp.split('(')[1]}"


def test_81_still_refuses_unsigned_modules():
    with pytest.raises(ModuleError, match="not signed"):
        ModuleStore("8.1.48", "b1", allow_unsigned=False).upload(build_modl(signed=False))
