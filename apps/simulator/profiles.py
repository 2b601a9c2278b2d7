"""What differs between gateway versions: build stamps, auth failure status, which APIs exist.

Builds of 8.3.0 and 8.3.9 come from live containers of the official image; the others are
placeholders in the same format. Anonymous and malformed-token requests answer 403 on 8.3.0
and 8.3.9 (live) but 401 on 8.3.6 (recorded by another client), so 8.3.1–8.3.7 keep 401.
The tag export/import API is absent on 8.3.0 (live 404) and present on 8.3.3 (its OpenAPI)
and 8.3.9 (live); 8.3.1 and 8.3.2 are assumed to lack it.
"""

BUILDS = {
    "8.3.0": "b2025091510",
    "8.3.6": "b2026042713",
    "8.3.9": "b2026082511",
}
DEFAULT_BUILD = "b2026042713"
FIRST_TAG_API_PATCH = 3
LAST_401_PATCH = 7


def patch(version: str) -> int:
    """``8.3.9`` → 9; the patch number of a full version string."""
    return int(version.split(".")[2])


def build(version: str) -> str:
    return BUILDS.get(version, DEFAULT_BUILD)


def auth_failure_status(version: str) -> int:
    """What the gateway answers a request without a usable token or session."""
    if not version.startswith("8.3"):
        return 401
    return 401 if 1 <= patch(version) <= LAST_401_PATCH else 403


def has_tag_api(version: str) -> bool:
    return version.startswith("8.3") and patch(version) >= FIRST_TAG_API_PATCH
