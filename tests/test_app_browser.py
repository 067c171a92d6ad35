"""The Gradio app in real headless Chromium (Debian's), driven by Playwright, against `studio serve` on loopback:
creators generate for both sample kits, a creator cannot approve, a reviewer requests changes, approves the
new version and exports. Screenshots of every page go to test-artifacts/ (and feed the README's pictures)."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from tests.app_server import AppServer
from tests.conftest import KITS_DIR, REPO

pytestmark = pytest.mark.slow

ARTIFACTS = REPO / "test-artifacts" / "browser"
# Launch flags for Debian's Chromium on these machines (see DESIGN.md): no sandbox as root, no background
# connections (the closed network refuses them), a fresh profile.
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
GENERATION_TIMEOUT_MS = 420_000

# One short channel per kit keeps the embedded model's share of the suite small.
FLOWS = [
    ("northpeak", "city-commuters", "x", "Ridgeback rain shell launch for wet commutes; 15% off for members this week"),
    ("chayuan", "office-cold-brew", "xiaohongshu", "冷泡乌龙新品上市，适合办公室下午茶"),
]


@pytest.fixture(scope="module")
def kits_dir(tmp_path_factory) -> Path:
    """The app's own copy of the sample kits: uploads in these tests never touch the repository."""
    target = tmp_path_factory.mktemp("app-kits") / "brand_kits"
    shutil.copytree(KITS_DIR, target)
    return target


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, kits_dir):
    data_dir = tmp_path_factory.mktemp("app-data")
    server = AppServer(data_dir, ARTIFACTS / "server.log", env={"STUDIO_CANDIDATES": "1", "STUDIO_KITS_DIR": str(kits_dir)})
    url = server.start()
    yield url
    server.stop()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


def log_in(browser, url: str, user: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(url)
    page.get_by_label("username").fill(user)
    page.get_by_label("password").fill("studio-demo")
    page.get_by_role("button", name="Login").click()
    page.wait_for_selector("#create-kit")
    page.locator("#whoami").get_by_text(re.compile(user, re.I)).wait_for()
    return page


def choose(page, elem_id: str, option: str) -> None:
    """Pick an option in a Gradio dropdown."""
    page.locator(f"#{elem_id} input").click()
    page.get_by_role("option", name=option, exact=True).click()


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def expect_text(locator, pattern: str, timeout: int = 60_000) -> None:
    from playwright.sync_api import expect

    expect(locator).to_contain_text(re.compile(pattern), timeout=timeout)


def generate_in_page(page, kit: str, segment: str, channel: str, brief: str) -> str:
    open_tab(page, "Create")
    description = page.locator("#create-segment-description")
    before = description.inner_text()
    current_kit = page.locator("#create-kit input").input_value()
    choose(page, "create-kit", kit)
    expect_text(description, ".+")
    if current_kit and current_kit != kit:  # the new kit's segments are in place before one is picked
        page.wait_for_function("before => document.querySelector('#create-segment-description').innerText !== before",
                               arg=before, timeout=30_000)
    page.locator("#create-segment input").click()
    page.get_by_role("option", name=re.compile(re.escape(f"({segment})"))).click()
    channels = page.locator("#create-channels")
    for box in channels.get_by_role("checkbox").all():
        if box.is_checked():
            box.uncheck()
    channels.get_by_label(channel, exact=True).check()
    page.locator("#create-brief textarea").fill(brief)
    card = page.locator("#create-results")
    earlier = set(re.findall(r"var_[0-9a-f]{12}", card.inner_text()))
    page.locator("#create-generate").click()
    # Done when a card for a new variant is in the results (the previous run's cards are cleared at the start).
    page.wait_for_function(
        """earlier => {
            const ids = (document.querySelector('#create-results').innerText.match(/var_[0-9a-f]{12}/g) || []);
            return ids.some(id => !earlier.includes(id));
        }""", arg=sorted(earlier), timeout=GENERATION_TIMEOUT_MS)
    expect_text(page.locator("#create-progress"), r"Generated 1 variants")
    expect_text(card, "AI生成" if kit == "chayuan" else "AI-generated")
    expect_text(card, r"Grounded on \d+ brand-voice passages")  # with the passages' text, from the voice store
    expect_text(card, r"composed · \d+ modules?")  # who wrote each field: the kit's content modules
    match = re.search(r"var_[0-9a-f]{12}", card.inner_text())
    assert match, "the card names the variant"
    return match.group(0)


def test_create_review_revise_approve_export(app_url, browser):
    # A creator generates one variant per sample kit; each card shows its copy, label, verdict and grounding.
    creator = log_in(browser, app_url, "alice")
    shot(creator, "create-empty")
    variant_ids = [generate_in_page(creator, *flow) for flow in FLOWS]
    shot(creator, "create")
    assert re.search(r"[\u4e00-\u9fff]{4}", creator.locator("#create-results").inner_text()), "Chinese copy renders as text"

    # The creator sees the variants in the queue but cannot approve one.
    open_tab(creator, "Review")
    for variant_id in variant_ids:
        expect_text(creator.locator("#review-table"), variant_id)
    creator.locator("#review-approve").click()
    expect_text(creator.locator("body"), r"'decide' needs the role")
    shot(creator, "review-creator-refused")

    # A reviewer asks for changes on each, sees version 2 with a diff, approves it, and exports.
    reviewer = log_in(browser, app_url, "rita")
    open_tab(reviewer, "Review")
    for variant_id in variant_ids:
        expect_text(reviewer.locator("#review-table"), variant_id)
        reviewer.locator("#review-table").get_by_text(variant_id, exact=True).filter(visible=True).first.click()
        expect_text(reviewer.locator("#review-detail"), variant_id)
        reviewer.locator("#review-note textarea").fill("Shorter please, and lead with the offer")
        reviewer.locator("#review-request-changes").click()
        expect_text(reviewer.locator("#review-message"), rf"{variant_id}.*in_review \(v2\)", timeout=GENERATION_TIMEOUT_MS)
        reviewer.locator("#review-table").get_by_text(variant_id, exact=True).filter(visible=True).first.click()
        expect_text(reviewer.locator("#review-detail"), rf"{variant_id}\s*v2")
        shot(reviewer, "review" if variant_id == variant_ids[0] else f"review-{variant_id}-v2")
        reviewer.locator("#review-approve").click()
        expect_text(reviewer.locator("#review-message"), rf"approve recorded for {variant_id} by rita; now approved \(v2\)")
    shot(reviewer, "review-after-approval")

    reviewer.locator("#review-export").click()
    expect_text(reviewer.locator("#review-message"), r"Exported 2 variants")
    with reviewer.expect_download() as download_info:
        reviewer.locator("#review-export-file a").first.click()
    archive = ARTIFACTS / "export.zip"
    download_info.value.save_as(archive)
    with zipfile.ZipFile(archive) as exported:
        names = exported.namelist()
        copies = [json.loads(exported.read(n)) for n in names if n.endswith(".json")]
    assert {c["id"] for c in copies} == set(variant_ids)
    assert all(c["version"] == 2 and c["review"]["approved_by"] == "rita" and c["ai_generated"] for c in copies)
    assert any(n.endswith(".png") for n in names), "the image channel's labelled picture is exported"

    for tab, name in (("Brand kits", "kits"), ("Insights", "insights")):
        open_tab(reviewer, tab)
        reviewer.wait_for_timeout(2_000)
        shot(reviewer, name)
    expect_text(reviewer.locator("#insights-summary"), r"Approval rate:\*?\*? 100%")


def kit_zip(tmp_path: Path, name: str, edit) -> Path:
    """A zip of the northpeak sample kit with kit.yaml edited as text."""
    folder = tmp_path / name
    shutil.copytree(KITS_DIR / "northpeak", folder)
    kit_yaml = folder / "kit.yaml"
    kit_yaml.write_text(edit(kit_yaml.read_text(encoding="utf-8")), encoding="utf-8")
    return Path(shutil.make_archive(str(tmp_path / name), "zip", folder))


def upload(page, archive: Path) -> None:
    open_tab(page, "Brand kits")
    page.locator("#kits-upload input[type=file]").set_input_files(str(archive))
    page.locator("#kits-install").click()


def test_kit_upload_shows_validation_errors_and_installs_valid_kits(app_url, browser, kits_dir, tmp_path):
    broken = kit_zip(tmp_path, "broken", lambda text: text.replace('primary: "#1F4E5F"', 'primary: "blue-ish"'))
    valid = kit_zip(tmp_path, "valid", lambda text: text.replace("id: northpeak", "id: northpeak-eu", 1))

    creator = log_in(browser, app_url, "alice")
    upload(creator, valid)
    expect_text(creator.locator("body"), r"'manage_kits' needs the role admin")
    assert not (kits_dir / "northpeak-eu").exists()

    admin = log_in(browser, app_url, "adam")
    upload(admin, broken)
    expect_text(admin.locator("#kits-message"), r"Invalid kit.*broken\.zip: kit\.yaml:\d+.*visual\.palette\.primary")
    shot(admin, "kits-invalid-upload")
    assert sorted(p.name for p in kits_dir.iterdir() if not p.name.startswith(".")) == ["chayuan", "northpeak"]

    admin.locator("#kits-upload button[aria-label*='Clear' i]").first.click()
    upload(admin, valid)
    expect_text(admin.locator("#kits-message"), r"Installed kit `?northpeak-eu`? with 5 segments")
    expect_text(admin.locator("#kits-summary"), r"northpeak-eu")
    assert (kits_dir / "northpeak-eu" / "kit.yaml").is_file()
    shot(admin, "kits-installed")

    # The installed kit's content modules are listed with their tags, and the role filter narrows them.
    total = len(list((kits_dir / "northpeak-eu" / "modules").glob("*.yaml")))
    assert total, "the sample kit's module files travelled with the upload"
    expect_text(admin.locator("#modules-count"), r"(\d+) of \1 content modules")
    choose(admin, "modules-role", "cta")
    admin.wait_for_function("""() => {
        const m = (document.querySelector('#modules-count').innerText.match(/(\\d+) of (\\d+)/) || []);
        return m.length === 3 && Number(m[1]) > 0 && Number(m[1]) < Number(m[2]);
    }""", timeout=30_000)
    expect_text(admin.locator("#modules-table"), r"np-cta-")
