"""The Perspective client stand-in over HTTP (spec 4.3, 9.4)."""

import pytest

from .helpers import API, TOKEN, client_for, make, web_login

CLIENT = "/data/perspective/client"


@pytest.mark.parametrize(
    ("page", "markers"),
    [
        (
            "",
            [
                'data-component="ia.input.button"',
                'id="increment-button"',
                "ia_toggleSwitch",
                "ia_dropdown__option",
                'id="nav-dock"',
                "<sim-gauge",
                "ia-numeral-input",
            ],
        ),
        ("/controls", ["data-tab-index", "ia_qualityOverlay", "ia_slider"]),
        ("/defective", ['data-defect="no-handler"', 'data-defect="misaligned"']),
    ],
)
async def test_demo_pages(client, page, markers):
    response = await client.get(f"{CLIENT}/SimDemo{page}")

    assert response.status_code == 200
    assert 'data-component-path="C$0:0.0:1"' in response.text
    for marker in markers:
        assert marker in response.text
    assert 'class="not-licensed-header"' not in response.text


async def test_unknown_project_page_and_viewless_project(client):
    await client.post(f"{API}/projects", json={"name": "Empty"}, headers=TOKEN)
    project = await client.get(f"{CLIENT}/Nope")
    page = await client.get(f"{CLIENT}/SimDemo/nowhere")
    empty = await client.get(f"{CLIENT}/Empty")

    assert project.status_code == 404
    assert "Project &#x27;Nope&#x27; not found." in project.text
    assert page.status_code == 200
    assert 'class="page-not-found"' in page.text
    assert 'class="page-not-found"' in empty.text


async def test_login_panel_until_logged_in_and_expired_trial_header(client, gateway):
    anonymous = (await client.get(f"{CLIENT}/SecureDemo")).text
    await web_login(client)
    logged_in = (await client.get(f"{CLIENT}/SecureDemo")).text
    gateway.expire_trial()
    expired = (await client.get(f"{CLIENT}/SimDemo")).text

    assert 'class="login-panel"' in anonymous
    assert "CONTINUE TO LOG IN" in anonymous
    assert 'href="/data/app/login"' in anonymous
    assert 'id="increment-button"' in logged_in
    assert 'class="not-licensed-header"' in expired


async def test_81_login_panel_points_to_the_wicket_login():
    app, _ = make(version="8.1.x")
    async with client_for(app) as http:
        text = (await http.get(f"{CLIENT}/SecureDemo")).text

    assert 'href="/web/login"' in text
