"""The demo views: buttons, inputs, toggles, dropdowns, a dock, tabs, a shadow root, and one
deliberately defective page so that failing tests can be shown."""

from html import escape

ROW_STYLE = 'style="display:flex;gap:8px;align-items:flex-start" data-defect="misaligned"'


def comp(
    kind: str,
    path: str,
    inner: str = "",
    *,
    tag: str = "div",
    dom_id: str = "",
    classes: str = "",
    attrs: str = "",
) -> str:
    """One component root with the Perspective attributes discovery relies on."""
    css = f"{classes} psc-{kind.rsplit('.', 1)[-1]}".strip()
    id_attr = f' id="{dom_id}"' if dom_id else ""
    extra = f" {attrs}" if attrs else ""
    return (
        f'<{tag} data-component="{kind}" data-component-path="{path}"{id_attr} '
        f'class="{css}"{extra}>{inner}</{tag}>'
    )


def link(path: str, href: str, text: str, dom_id: str) -> str:
    return comp(
        "ia.display.link",
        path,
        escape(text),
        tag="a",
        dom_id=dom_id,
        classes="ia_link",
        attrs=f'href="{href}"',
    )


def home(base: str) -> str:
    options = "".join(
        f'<div class="ia_dropdown__option" role="option" data-value="{v}">{v}</div>'
        for v in ("Auto", "Manual", "Off")
    )
    dock_links = link("D$0:0.0:0", f"{base}/controls", "Controls", "dock-controls-link")
    dock = comp(
        "ia.container.flex",
        "D$0:0",
        dock_links + '<button type="button" class="ia_button" id="close-dock">Close Dock</button>',
        dom_id="nav-dock",
        classes="dock ia_dock",
        attrs='data-dock="left" hidden',
    )
    return "".join(
        [
            comp(
                "ia.display.label",
                "C$0:0.0:0",
                "Simulator Demo",
                dom_id="title-label",
                classes="ia_labelComponent",
            ),
            comp(
                "ia.input.button",
                "C$0:0.0:1",
                "Increment",
                tag="button",
                dom_id="increment-button",
                classes="ia_button",
                attrs='type="button"',
            ),
            comp(
                "ia.display.label",
                "C$0:0.0:2",
                "Clicks: 0",
                dom_id="click-count",
                classes="ia_labelComponent",
            ),
            comp(
                "ia.input.text-field",
                "C$0:0.0:3",
                tag="input",
                dom_id="name-field",
                classes="ia_textField",
                attrs='type="text" placeholder="Your name" aria-label="Name"',
            ),
            comp(
                "ia.display.label",
                "C$0:0.0:4",
                "Hello",
                dom_id="greeting",
                classes="ia_labelComponent",
            ),
            comp(
                "ia.input.numeric-entry-field",
                "C$0:0.0:5",
                tag="input",
                dom_id="setpoint",
                classes="ia-numeral-input",
                attrs='type="number" value="50" aria-label="Setpoint"',
            ),
            comp(
                "ia.input.toggle-switch",
                "C$0:0.0:6",
                '<span class="ia_toggleSwitch__thumb"></span>',
                dom_id="pump-toggle",
                classes="ia_toggleSwitch",
                attrs='role="switch" aria-checked="false" tabindex="0"',
            ),
            comp(
                "ia.display.label",
                "C$0:0.0:7",
                "Pump: OFF",
                dom_id="pump-state",
                classes="ia_labelComponent",
            ),
            comp(
                "ia.input.dropdown",
                "C$0:0.0:8",
                f'<span class="ia_dropdown__value">Auto</span><div class="ia_dropdown__options" '
                f"hidden>{options}</div>",
                dom_id="mode-dropdown",
                classes="ia_dropdown",
                attrs='role="combobox" tabindex="0" aria-expanded="false"',
            ),
            comp(
                "ia.display.label",
                "C$0:0.0:9",
                "Mode: Auto",
                dom_id="mode-state",
                classes="ia_labelComponent",
            ),
            comp(
                "ia.input.button",
                "C$0:0.0:10",
                "Open Dock",
                tag="button",
                dom_id="open-dock",
                classes="ia_button",
                attrs='type="button"',
            ),
            link("C$0:0.0:11", f"{base}/controls", "Go to Controls", "controls-link"),
            link("C$0:0.0:12", f"{base}/defective", "Go to Defective page", "defective-link"),
            comp("ia.display.gauge", "C$0:0.0:13", tag="sim-gauge", dom_id="tank-gauge"),
            dock,
        ]
    )


def controls(base: str) -> str:
    tabs = "".join(
        f'<div class="tab-menu-item{" tab-active" if i == 0 else ""}" data-tab-index="{i}" '
        f'role="tab">{name}</div>'
        for i, name in enumerate(("Overview", "Settings"))
    )
    panes = (
        '<div class="tab-pane" data-pane-index="0"><p>Overview pane</p></div>'
        '<div class="tab-pane" data-pane-index="1" hidden><p>Settings pane</p></div>'
    )
    return "".join(
        [
            comp(
                "ia.display.label",
                "C$0:0.0:0",
                "Controls",
                dom_id="controls-title",
                classes="ia_labelComponent",
            ),
            comp(
                "ia.container.tab", "C$0:0.0:1", tabs + panes, dom_id="main-tabs", classes="ia_tab"
            ),
            comp(
                "ia.input.slider",
                "C$0:0.0:2",
                tag="input",
                dom_id="speed-slider",
                classes="ia_slider",
                attrs='type="range" min="0" max="100" value="25" aria-label="Speed"',
            ),
            comp(
                "ia.input.checkbox",
                "C$0:0.0:3",
                tag="input",
                dom_id="enable-checkbox",
                classes="ia_checkbox",
                attrs='type="checkbox" aria-label="Enable"',
            ),
            comp(
                "ia.display.label",
                "C$0:0.0:4",
                'Sensor 7 <div class="ia_qualityOverlay" title="Bad_NotConnected"></div>',
                dom_id="sensor-label",
                classes="ia_labelComponent",
            ),
            link("C$0:0.0:5", base, "Back to Home", "home-link"),
        ]
    )


def defective(base: str) -> str:
    row = "".join(
        comp(
            "ia.input.button",
            f"C$0:0.1:{i}",
            name,
            tag="button",
            dom_id=f"row-button-{i}",
            classes="ia_button",
            attrs=f'type="button"{style}',
        )
        for i, (name, style) in enumerate(
            [
                ("Left", ""),
                ("Middle", ' style="position:relative;top:9px;left:3px"'),
                ("Right", ""),
            ]
        )
    )
    return "".join(
        [
            comp(
                "ia.display.label",
                "C$0:0.0:0",
                "Defective page",
                dom_id="defect-title",
                classes="ia_labelComponent",
            ),
            comp(
                "ia.input.button",
                "C$0:0.0:1",
                "Submit",
                tag="button",
                dom_id="submit-button",
                classes="ia_button",
                attrs='type="button" data-defect="no-handler"',
            ),
            comp(
                "ia.display.label",
                "C$0:0.0:2",
                "Status: waiting",
                dom_id="submit-status",
                classes="ia_labelComponent",
            ),
            comp(
                "ia.container.flex",
                "C$0:0.1",
                row,
                dom_id="button-row",
                classes="ia_flex",
                attrs=ROW_STYLE,
            ),
            link("C$0:0.0:3", base, "Back to Home", "home-link"),
        ]
    )


PAGES = {
    "": ("Home", home),
    "controls": ("Controls", controls),
    "defective": ("Defective", defective),
}
