"""Content modules and the composer: the kit format and its validation, composition per channel, and the sample
libraries (copy a marketer can ship offline, checked by the real checker)."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date

import pytest

from studio.channels import get_channel
from studio.domain import Brief
from studio.kits import KitError, load_kit, load_kit_dir
from tests.conftest import KITS_DIR, REPO, SAMPLE_KITS

MODULES = """modules:
  - {id: h-product, role: headline, text: "{product}: dry at both ends of the commute", segments: [city-commuters]}
  - {id: h-repair, role: headline, text: "Built to be repaired", segments: [repair-lapsed]}
  - {id: h-plain, role: headline, text: "Rain shell, repairable"}
  - {id: o-commute, role: opener, text: "Rain on the way to work is a fact of life.", segments: [city-commuters]}
  - {id: o-repair, role: opener, text: "That jacket in the closet may need a patch, not a replacement.", segments: [repair-lapsed]}
  - {id: v-nylon, role: value_prop, text: "The shell fabric is made with 80% recycled nylon.", claim: recycled-nylon}
  - {id: v-bike, role: value_prop, text: "One jacket for the bike lane and the weekend trail.", segments: [city-commuters]}
  - {id: v-fix, role: value_prop, text: "Send it to Northpeak ReCraft™ and we fix it.", segments: [repair-lapsed]}
  - {id: p-membrane, role: proof_point, text: "The StormLayer™ membrane is rated 20,000 mm hydrostatic head.", claim: stormlayer-20k}
  - {id: p-fairtrade, role: proof_point, text: "Sewn in Fair Trade Certified™ factories.", claim: fair-trade-sewing}
  - {id: f-frame, role: offer, text: "Now with {offer}."}
  - {id: c-see, role: cta, text: "See the {product}"}
  - {id: c-repair, role: cta, text: "Book a repair", segments: [repair-lapsed]}
  - {id: s-crew, role: sign_off, text: "See you out there, the Northpeak crew", channels: [email]}
  - {id: t-commute, role: hashtags, text: "#Northpeak #RainReady #BikeCommute", channels: [instagram]}
  - {id: h-winter, role: headline, text: "Winter layers are here", valid_from: 2026-12-01, valid_until: 2027-02-28}
  - {id: h-shoe, role: headline, text: "The Switchback 28 fits your day", products: [Switchback 28]}
"""
BRIEF = Brief(text="Launch of the Ridgeback rain shell for bike commuters", product="Ridgeback Shell",
              offer="free first repair")


@pytest.fixture
def small_kit(kit_copy):
    root = kit_copy("northpeak")
    (root / "modules").mkdir(exist_ok=True)
    for old in (root / "modules").glob("*.yaml"):
        old.unlink()
    (root / "modules" / "library.yaml").write_text(MODULES, encoding="utf-8")
    return load_kit_dir(root)


def _compose(loaded, segment="city-commuters", channel="email", market="US", brief=BRIEF, **kw):
    from studio.labels import copy_disclosures
    from studio.modules.compose import Composer

    ch = get_channel(channel)
    composer = Composer(loaded.modules, loaded.kit, loaded.kit.segment(segment), ch, brief, market=market,
                        disclosures=copy_disclosures(loaded.kit, market, ch), today=date(2026, 11, 30), **kw)
    return composer


# ------------------------------------------------------------------------------------------ the format


@pytest.mark.parametrize("module, message", [
    ('{id: x, role: headline, text: "{price} off"}', "field 'modules.0.text': unknown slot {price}"),
    ('{id: x, role: headline, text: "Hi", claim: nope}', "module 'x', field 'claim': no substantiated claim with id 'nope'"),
    ('{id: x, role: headline, text: "Hi", segments: [nobody]}', "module 'x', field 'segments': unknown segment 'nobody'"),
    ('{id: x, role: headline, text: "Hi", channels: [fax]}', "module 'x', field 'channels': unknown channel 'fax'"),
    ('{id: x, role: tagline, text: "Hi"}', "field 'modules.0.role'"),
    ('{id: x, role: cta, text: "' + "Book a repair with the crew " * 8 + '", channels: [facebook_ad]}',
     "module 'x', field 'text': 223 characters: longer than every field a cta can fill"),
])
def test_a_broken_module_is_refused_with_file_line_and_field(module, message, kit_copy):
    root = kit_copy("northpeak")
    (root / "modules").mkdir(exist_ok=True)
    (root / "modules" / "zz-broken.yaml").write_text(f"# a comment\nmodules:\n  - {module}\n", encoding="utf-8")
    with pytest.raises(KitError, match="modules/zz-broken.yaml:3: ") as caught:
        load_kit_dir(root)
    assert message in str(caught.value)


def test_a_module_that_fails_the_checks_is_refused_by_kit_validate(kit_copy):
    root = kit_copy("northpeak")
    (root / "modules").mkdir(exist_ok=True)
    (root / "modules" / "zz-claims.yaml").write_text(
        'modules:\n  - {id: ok, role: headline, text: "Rain shell, repairable"}\n'
        '  - {id: bad, role: headline, text: "The best jacket, guaranteed waterproof"}\n', encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "studio.cli", "kit", "validate", str(root)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 2
    assert "modules/zz-claims.yaml:3: module 'bad' fails the checks in US" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


# ------------------------------------------------------------------------------------------ composition


def test_composed_copy_fits_every_field_names_the_product_and_records_its_modules(small_kit):
    from studio.generate.writers import compose_copy
    from studio.labels import copy_disclosures
    from studio.channels.placement import apply_disclosures

    loaded = small_kit
    segment = loaded.kit.segment("city-commuters")
    for channel_id in ("email", "instagram", "search_ad", "sms", "x", "facebook_ad", "landing", "push", "linkedin"):
        channel = get_channel(channel_id)
        disclosures = copy_disclosures(loaded.kit, "US", channel)
        result = compose_copy(loaded, segment, channel, BRIEF, market="US", disclosures=disclosures, n=2)
        final = apply_disclosures(result.copy, channel, disclosures)
        from studio.generate.scoring import fits_channel

        assert fits_channel(final, channel)[0], (channel_id, fits_channel(final, channel)[1])
        for name, text in result.copy.items():  # the disclosures (and a sender signature before) never cut composed text
            assert text.rstrip() in final[name], (channel_id, name)
        assert "Ridgeback Shell" in " ".join(final.values()), channel_id
        assert "{" not in " ".join(final.values())
        provenance = result.provenance
        assert provenance["writer"] == "compose"
        used = {m for info in provenance["fields"].values() for m in info["modules"]}
        assert used and used <= {m.id for m in loaded.modules}
        for claim in provenance["claims"]:
            assert claim["evidence"] and claim["module"] in used


def test_modules_are_chosen_for_the_segment_the_product_the_market_and_the_date(small_kit):
    commuters = _compose(small_kit, "city-commuters")
    lapsed = _compose(small_kit, "repair-lapsed")
    assert {"o-commute", "v-bike"} <= {m.id for m in commuters.pool} and "o-repair" not in {m.id for m in commuters.pool}
    assert {"o-repair", "v-fix", "c-repair"} <= {m.id for m in lapsed.pool}
    assert "h-shoe" not in {m.id for m in commuters.pool}, "a module about another product is left out"
    assert "h-winter" not in {m.id for m in commuters.pool}, "a seasonal line waits for its window"
    assert "p-fairtrade" in {m.id for m in commuters.pool}
    assert "p-fairtrade" not in {m.id for m in _compose(small_kit, market="EU").pool}, "the claim is US-only"
    no_offer = _compose(small_kit, brief=Brief(text="Rain shells for commuters", product="Ridgeback Shell"))
    assert "f-frame" not in {m.id for m in no_offer.pool}, "an offer line needs an offer in the brief"

    commuter_copy, _ = commuters.compose(seed=1)
    lapsed_copy, _ = lapsed.compose(seed=1)
    assert "bike lane" in " ".join(commuter_copy.values()) and "ReCraft" in " ".join(lapsed_copy.values())


def test_composition_is_deterministic_and_variants_of_a_request_differ(small_kit):
    composer = _compose(small_kit, channel="search_ad")
    assert composer.compose(seed=7) == composer.compose(seed=7)
    first, _ = composer.compose(seed=7, offset=0)
    second, _ = composer.compose(seed=7, offset=1)
    assert first != second


@pytest.mark.parametrize("kit_id, segment, brief, channels, other_scene", [
    ("chayuan", "office-cold-brew",
     Brief(text="介绍新上市的冷泡茶包，适合在工位上和通勤路上喝。", product="春山绿冷泡茶包", offer="首单包邮"),
     ("wechat", "xiaohongshu", "douyin"), "露营"),
    ("northpeak", "city-commuters", Brief(text="Launch of the Ridgeback rain shell for bike commuters"),
     ("email", "instagram"), "needs a wash"),
])
def test_copy_keeps_to_the_scene_the_brief_asks_for(kit_id, segment, brief, channels, other_scene):
    """A brief about the desk and the commute never gets a camping title, hook or paragraph, though the segment's
    library has camping lines, nor a launch a care tip; not even when such a line won its A/B tests."""
    from studio.modules.compose import Composer

    loaded = load_kit(kit_id, KITS_DIR)
    for channel_id in channels:
        channel = get_channel(channel_id)
        market = loaded.kit.markets[0].value
        probe = Composer(loaded.modules, loaded.kit, loaded.kit.segment(segment), channel, brief, market=market,
                         today=date(2026, 11, 30), outcomes={})
        other = [m.id for m in probe.pool if other_scene in probe.fill(m)]
        assert other, "the library offers this segment the other scene"
        winners = {module_id: (40, 0) for module_id in other}
        composer = Composer(loaded.modules, loaded.kit, loaded.kit.segment(segment), channel, brief, market=market,
                            today=date(2026, 11, 30), outcomes=winners)
        for seed in range(8):
            for offset in range(3):
                copy, _ = composer.compose(seed=seed, offset=offset)
                assert not [text for text in copy.values() if other_scene in text], (channel_id, seed, offset, copy)


def test_revision_feedback_keeps_the_flagged_words_out(small_kit):
    feedback = ['Remove or reword "80% recycled nylon" in the body: unsupported here.']
    composer = _compose(small_kit, feedback=feedback)
    assert "v-nylon" not in {m.id for m in composer.pool}
    copy, _ = composer.compose(seed=3)
    assert "recycled nylon" not in " ".join(copy.values())


def test_a_brief_no_module_fits_still_gives_a_usable_variant_marked_generic(small_kit):
    composer = _compose(small_kit, channel="landing",
                        brief=Brief(text="Introducing the Alder Tent", product="Alder Tent"))
    copy, info = composer.compose(seed=0)
    assert copy["headline"] and "Alder Tent" in " ".join(copy.values())
    assert any(field["generic"] for field in info.values())


def test_the_writer_setting_decides_who_writes(small_kit, monkeypatch):
    from studio.config import get_settings
    from studio.generate.errors import UnusableOutputError
    from studio.generate.writers import write_copy

    segment = small_kit.kit.segment("city-commuters")
    for writer in ("auto", "compose"):
        monkeypatch.setenv("STUDIO_WRITER", writer)
        get_settings.cache_clear()
        result = write_copy(small_kit, segment, get_channel("x"), BRIEF, market="US")
        assert result.provenance["writer"] == "compose"
    monkeypatch.setenv("STUDIO_WRITER", "compose")
    get_settings.cache_clear()
    empty = load_kit_dir(small_kit.root)
    object.__setattr__(empty, "modules", [])
    with pytest.raises(UnusableOutputError, match="has no content modules"):
        write_copy(empty, segment, get_channel("x"), BRIEF, market="US")


# ------------------------------------------------------------------------------------------ the sample libraries


@pytest.mark.parametrize("kit_id", SAMPLE_KITS)
def test_sample_libraries_are_rich_and_pass_every_check(kit_id):
    from studio.modules.model import ROLES
    from studio.modules.validate import module_problems

    loaded = load_kit(kit_id, KITS_DIR)
    assert len(loaded.modules) >= 80
    assert {m.role for m in loaded.modules} == set(ROLES)
    for segment in loaded.kit.segments:  # every segment has its own angles
        own = [m for m in loaded.modules if segment.id in m.segments]
        assert len(own) >= 8, (segment.id, len(own))
    assert module_problems(loaded) == []


def test_a_short_disclosure_is_not_taken_as_present_inside_another_word():
    from studio.channels.placement import apply_disclosures

    copy = {"headline_1": "Roll-top road pack", "headline_2": "Head out dry", "headline_3": "Fits a laptop",
            "description_1": "A pack for the road.", "description_2": "Roll-top, 22 litres."}
    final = apply_disclosures(copy, get_channel("search_ad"), ["AI-generated", "Ad"])
    assert final["description_1"].endswith("AI-generated · Ad")


def test_a_revision_never_comes_back_unchanged_when_the_library_has_another_way(small_kit):
    from studio.generate.writers import compose_copy

    segment = small_kit.kit.segment("city-commuters")
    brief = Brief(text="Rain shells for the commute")  # no product: a small part of the library fits
    first = compose_copy(small_kit, segment, get_channel("x"), brief, market="US", seed=5)
    again = compose_copy(small_kit, segment, get_channel("x"), brief, market="US", seed=5, previous=first.copy)
    assert again.copy != first.copy
    assert not again.provenance.get("unchanged_from_previous")


def test_the_offline_default_composes_shippable_copy_for_every_segment_and_channel():
    """The generation eval's composer arm: both sample kits, every segment x preferred channel, five briefs per
    kit; every variant with its disclosures is checked by the real checker with the brief."""
    from studio.evaluation.generation import run_suite

    result = run_suite(REPO, arms=("compose",))
    metrics = result["metrics"]
    assert metrics["compose.variants"] >= 120 and metrics["compose.errors"] == 0
    assert metrics["compose.gate_free_share"] >= 0.95, [r for r in result["rows"] if not r["gate_free"]]
    assert metrics["compose.block_share"] <= 0.05
    assert metrics["compose.product_named_share"] >= 0.95 and metrics["compose.fit_share"] == 1.0
    for kit_id in SAMPLE_KITS:  # personalisation that shows: segments are told different things
        assert metrics[f"{kit_id}.shared_modules.cross"] < metrics[f"{kit_id}.shared_modules.same"]
        assert metrics[f"{kit_id}.segment_similarity.cross"] < metrics[f"{kit_id}.segment_similarity.same"]


@pytest.mark.parametrize("kit_id", SAMPLE_KITS)
def test_every_default_channel_composes_from_a_bare_brief(kit_id):
    """A brief with only a text (no product, offer or key message) leaves fewer modules usable: every required
    field of every channel the kit offers still gets a line (a search ad once failed on its second description)."""
    from studio.generate.writers import compose_copy
    from studio.labels import copy_disclosures

    loaded = load_kit(kit_id, KITS_DIR)
    texts = {"northpeak": ["Launch of the Ridgeback rain shell for bike commuters", "Spring trail sale"],
             "chayuan": ["园里冷萃™茶包上新，适合在工位上和通勤路上喝", "新茶上市"]}[kit_id]
    for brief in (Brief(text=t) for t in texts):
        for segment in loaded.kit.segments:
            for channel_id in sorted(set(loaded.kit.default_channels) | set(segment.preferred_channels)):
                channel = get_channel(channel_id)
                for market in loaded.kit.markets:
                    for seed in range(3):
                        result = compose_copy(loaded, segment, channel, brief, market=market.value, n=1, seed=seed,
                                              disclosures=copy_disclosures(loaded.kit, market.value, channel))
                        assert all(result.copy.get(f.name) for f in channel.fields if f.required), (
                            segment.id, channel_id, seed)


def test_a_product_named_only_in_the_brief_text_is_the_product(small_kit):
    from studio.modules.compose import Composer
    from studio.modules.model import ContentModule

    about = ContentModule(id="v-ridgeback", role="value_prop", text="The {product} packs into its own pocket.",
                          products=["Ridgeback Shell"])
    brief = Brief(text="Launch of the Ridgeback rain shell for bike commuters")  # no product field
    composer = Composer([*small_kit.modules, about], small_kit.kit, small_kit.kit.segment("city-commuters"),
                        get_channel("x"), brief, market="US", today=date(2026, 11, 30))
    copy, _ = composer.compose(seed=0)
    assert composer.brief.product == "Ridgeback Shell" and "v-ridgeback" in {m.id for m in composer.pool}
    assert "Ridgeback Shell" in copy["post"]


def test_a_product_word_in_the_brief_text_does_not_make_the_brief_about_that_product():
    """"The Cirque base layer under a shell": the copy is about the base layer, and the shells' facts ("every 2026
    shell has a zip our technicians can swap") are not its facts; a brief about the Ridgeback Shell keeps them."""
    from studio.modules.compose import Composer

    loaded = load_kit("northpeak", KITS_DIR)

    def pool(brief: Brief) -> set[str]:
        composer = Composer(loaded.modules, loaded.kit, loaded.kit.segment("trail-regulars"), get_channel("email"),
                            brief, market="US", today=date(2026, 11, 30), outcomes={})
        return {m.id for m in composer.pool}

    shell_facts = {m.id for m in loaded.modules if m.products == ["shell"]}
    base = pool(Brief(text="Autumn layering: the Cirque base layer under a shell for cold trail mornings",
                      product="Cirque Base Layer"))
    shell = pool(Brief(text="The Ridgeback rain shell for wet trail days", product="Ridgeback Shell"))
    assert shell_facts and not shell_facts & base and shell_facts & shell


TALUS_PRO = Brief(text="The Talus Down Jacket for winter belay stances and cold guiding days", product="Talus Down Jacket",
                  offer="15% off for Northpeak Pro members")


@pytest.mark.parametrize("channel", ["facebook_ad", "landing", "push"])
def test_a_headline_says_something_of_the_brief_when_the_library_has_one_that_does(channel):
    """For guides and a down jacket, "Rated in the lab. Tested on the trail." or "41,000 repairs later: what our ledger
    says about product design" as the only headline says nothing of the brief (the gate warns off_brief): a headline
    that names the product or a word of the brief comes first."""
    from studio.checks.quality.off_brief import share_carried

    for copy in _variants("northpeak", "outdoor-pros", channel, TALUS_PRO):
        headline = next(copy[f.name] for f in get_channel(channel).fields if f.role == "headline")
        assert "Talus" in headline or share_carried(TALUS_PRO.text, headline, {"talus", "down", "jacket"}, set()), copy


def test_a_module_is_not_filled_with_an_offer_that_repeats_its_own_words():
    """"For Northpeak Pro members: {offer}." with the offer "15% off for Northpeak Pro members" would say the members
    twice; the offer comes in another module, and a search ad's second description is not the offer again."""
    from studio.modules.compose import _frame_repeats

    assert _frame_repeats("For Northpeak Pro members: {offer}.", ("15% off for Northpeak Pro members",), "en")
    assert not _frame_repeats("On the {product}: {offer}.", ("Ridgeback Shell", "free first repair"), "en")
    assert _frame_repeats("{product}满199元送玻璃杯。", ("中秋茶礼盒", "满199元送玻璃杯"), "zh")
    for channel in ("push", "email", "x"):
        for copy in _variants("northpeak", "outdoor-pros", channel, TALUS_PRO):
            assert not any(text.count("Northpeak Pro members") > 1 for text in copy.values()), copy
    for ad in _variants("northpeak", "outdoor-pros", "search_ad", TALUS_PRO):
        assert sum(TALUS_PRO.offer in ad[name] for name in ("description_1", "description_2")) == 1, ad


def test_a_revision_whose_flagged_lines_leave_a_field_empty_keeps_them_and_says_so(small_kit):
    from studio.generate.writers import compose_copy

    segment = small_kit.kit.segment("repair-lapsed")
    brief = Brief(text="Repairs for old jackets")  # no product: nothing to fall back on
    first = compose_copy(small_kit, segment, get_channel("landing"), brief, market="US", seed=1)
    everything = [f'Remove or reword "{m.text}": flagged.' for m in small_kit.modules]  # every line the library has
    revised = compose_copy(small_kit, segment, get_channel("landing"), brief, market="US", seed=1,
                           feedback=everything, previous=first.copy)
    assert revised.copy["headline"] and revised.provenance["feedback_not_applied"] == everything


def test_a_module_written_for_one_market_stays_in_it():
    """A rider's story set in Amsterdam is EU copy: a US email never opens with it; an EU pool offers it."""
    from studio.modules.compose import Composer

    loaded = load_kit("northpeak", KITS_DIR)
    brief = Brief(text="Launch of the Ridgeback rain shell for bike commuters", product="Ridgeback Shell")
    pools = {market: Composer(loaded.modules, loaded.kit, loaded.kit.segment("city-commuters"), get_channel("email"),
                              brief, market=market, today=date(2026, 11, 30), outcomes={}).pool
             for market in ("US", "EU")}
    assert "np-op-ridgeback-river-ride" in {m.id for m in pools["EU"]}
    assert "np-op-ridgeback-river-ride" not in {m.id for m in pools["US"]}


def test_a_launch_only_module_is_composed_only_into_a_brief_that_launches_something():
    from studio.modules.compose import Composer

    loaded = load_kit("northpeak", KITS_DIR)
    segment = next(s for s in loaded.kit.segments if s.id == "trail-regulars")
    channel = get_channel("push")

    def pool_ids(text: str) -> set[str]:
        brief = Brief(text=text, product="Ridgeback Shell", offer="free first repair")
        return {m.id for m in Composer(loaded.modules, loaded.kit, segment, channel, brief, market="US").pool}

    assert "np-hl-new-product" in pool_ids("Launch of the Ridgeback Shell for wet trail days")
    assert "np-hl-new-product" not in pool_ids("The Ridgeback Shell for wet trail days, first repair free")


# A launch brief for each sample kit, and the first variants of a request with it (the launch tests below)
LAUNCH_EN = Brief(text="Launch of the Ridgeback rain shell for bike commuters", product="Ridgeback Shell", offer="free first repair")
LAUNCH_ZH = Brief(text="介绍新上市的冷泡茶包，适合在工位上和通勤路上喝。", product="春山绿冷泡茶包", offer="首单包邮")


def _variants(kit_id: str, segment: str, channel: str, brief: Brief, n: int = 3) -> list[dict[str, str]]:
    """The copy of the first n variants of one request (seed 3, offsets 0..n-1), with no A/B outcomes."""
    from studio.modules.compose import Composer

    loaded = load_kit(kit_id, KITS_DIR)
    composer = Composer(loaded.modules, loaded.kit, loaded.kit.segment(segment), get_channel(channel), brief,
                        market=loaded.kit.markets[0].value, today=date(2026, 11, 30), outcomes={})
    return [composer.compose(seed=3, offset=i)[0] for i in range(n)]


@pytest.mark.parametrize("kit_id, segment, channel, brief", [
    ("northpeak", "city-commuters", "email", LAUNCH_EN),
    ("chayuan", "office-cold-brew", "wechat", LAUNCH_ZH),
])
def test_a_launch_brief_opens_its_first_variant_with_the_news(kit_id, segment, channel, brief):
    """A launch read without a word of newness is a launch nobody hears of: the first variant's headline says the
    product is new (the library's launch headline), the others keep the library's other angles; the same brief
    without the launch never says "new"."""
    from studio.checks.quality.claims import announces_new

    headline = next(f.name for f in get_channel(channel).fields if f.role == "headline")

    def headlines(b: Brief) -> list[str]:
        return [copy[headline] for copy in _variants(kit_id, segment, channel, b)]

    launch = headlines(brief)
    assert announces_new(launch[0]) and brief.product in launch[0], launch
    assert len(set(launch)) > 1, launch  # the variants still differ
    plain = brief.model_copy(update={"text": "适合在工位上和通勤路上喝的冷泡茶包。" if kit_id == "chayuan"
                                     else "The Ridgeback rain shell for bike commuters"})
    assert not any(announces_new(h) for h in headlines(plain)), headlines(plain)


@pytest.mark.parametrize("kit_id, segment, channel, brief", [
    ("northpeak", "city-commuters", "x", LAUNCH_EN),
    ("chayuan", "office-cold-brew", "sms", LAUNCH_ZH),
])
def test_a_launch_post_with_no_headline_above_it_opens_with_the_news(kit_id, segment, channel, brief):
    """An X post or a text message has no title to say the product is new: every variant of a launch opens with
    the library's launch line, as a sentence; the rest of the variants still differ, and the same brief without
    the launch never says "new"."""
    from studio.checks.quality.claims import announces_new

    field = get_channel(channel).fields[0].name

    def posts(b: Brief) -> list[str]:
        return [copy[field] for copy in _variants(kit_id, segment, channel, b)]

    launch = posts(brief)
    def opening(post: str) -> str:
        return re.split(r"(?<=[.。])\s*", post)[0]

    assert all(announces_new(opening(p)) and brief.product in opening(p) and p[len(opening(p)) - 1] in ".。"
               for p in launch), launch
    assert len(set(launch)) > 1, launch
    plain = brief.model_copy(update={"text": "适合在工位上和通勤路上喝的冷泡茶包。" if kit_id == "chayuan"
                                     else "The Ridgeback rain shell for bike commuters"})
    assert not any(announces_new(opening(p)) for p in posts(plain)), posts(plain)


@pytest.mark.parametrize("kit_id, segment, channel, brief", [
    ("northpeak", "city-commuters", "x", LAUNCH_EN),
    ("northpeak", "city-commuters", "push", LAUNCH_EN),
    ("chayuan", "office-cold-brew", "push", LAUNCH_ZH),
])
def test_a_one_line_message_names_the_product_once_and_still_carries_the_offer(kit_id, segment, channel, brief):
    """Read in one breath, "New this season: the Ridgeback Shell. ... On the Ridgeback Shell: free first repair."
    stutters: once a line named the product, the offer comes in a module that does not name it again."""
    main = next(f.name for f in get_channel(channel).fields if f.role in ("post", "body"))
    for copy in _variants(kit_id, segment, channel, brief):
        assert copy[main].count(brief.product) <= 1, copy[main]
        assert brief.offer in copy[main] and any(brief.product in text for text in copy.values()), copy


@pytest.mark.parametrize("kit_id, segment, brief", [
    ("northpeak", "trail-regulars",
     Brief(text="Launch of the Ridgeback rain shell for wet trail days", product="Ridgeback Shell", offer="free first repair")),
    ("chayuan", "office-cold-brew", LAUNCH_ZH),
])
def test_a_launch_search_ad_says_the_news_in_its_last_headline_and_leaves_the_others_to_the_library(kit_id, segment,
                                                                                                   brief):
    """A search ad shows two or three of its headlines: every variant of a launch carries the news, in the last
    headline, so the first ones still follow the library's order and what A/B tests taught it."""
    from studio.checks.quality.claims import announces_new

    ads = _variants(kit_id, segment, "search_ad", brief)
    assert all(announces_new(ad["headline_3"]) and brief.product in ad["headline_3"] for ad in ads), ads
    assert not any(announces_new(ad[h]) for ad in ads for h in ("headline_1", "headline_2")), ads
    assert len({ad["headline_1"] for ad in ads}) > 1, ads


@pytest.mark.parametrize("kit_id, segment, channel", [("chayuan", "office-cold-brew", "wechat"),
                                                      ("chayuan", "office-cold-brew", "xiaohongshu"),
                                                      ("northpeak", "city-commuters", "instagram"),
                                                      ("northpeak", "trail-regulars", "email")])
def test_a_headline_or_call_to_action_standing_as_a_paragraph_ends_as_a_sentence(kit_id, segment, channel):
    """A button's words ("今晚泡一瓶试试") set as the last paragraph of an article read as a sentence cut off."""
    from studio.modules.compose import _ENDS, Composer

    loaded = load_kit(kit_id, KITS_DIR)
    ch = get_channel(channel)
    brief = LAUNCH_ZH if kit_id == "chayuan" else LAUNCH_EN
    composer = Composer(loaded.modules, loaded.kit, loaded.kit.segment(segment), ch, brief,
                        market=loaded.kit.markets[0].value, today=date(2026, 11, 30), outcomes={})
    bare = {composer.fill(m) for m in composer.pool if m.role in ("headline", "cta") and composer.fill(m)
            and not _ENDS.search(composer.fill(m))}
    seen = 0
    for seed in range(6):
        for offset in range(3):
            copy, info = composer.compose(seed=seed, offset=offset)
            for f in ch.fields:
                if f.multiline and copy.get(f.name):
                    paragraphs = copy[f.name].split("\n\n")
                    assert not bare & set(paragraphs), (f.name, bare & set(paragraphs))
                    seen += sum(p.rstrip("。.") in bare for p in paragraphs)
    assert seen, "no headline or call to action was set as a paragraph: the test saw nothing"


SMS_BRIEFS = [Brief(text="Launch of the Talus Down Jacket for cold commutes", product="Talus Down Jacket",
                    offer="free shipping this week", objective="launch"),
              Brief(text="Winter sale on the Ridgeback Shell", product="Ridgeback Shell", offer="20% off until Sunday"),
              Brief(text="Bring your worn gear back to life with Northpeak ReCraft", product="Northpeak ReCraft™",
                    offer="first repair free within 3 years of purchase")]


@pytest.mark.parametrize("brief", SMS_BRIEFS, ids=["launch", "sale", "repair"])
def test_an_sms_after_the_senders_name_opens_without_a_second_label_and_names_the_product(brief):
    """'Northpeak: On the Talus Down Jacket: free shipping...' reads as two labels: after the sender's 'Northpeak:'
    the message's first sentence has no colon of its own, for every segment and seed; and it names the product."""
    from studio.channels.placement import apply_disclosures
    from studio.labels import copy_disclosures

    loaded = load_kit("northpeak", KITS_DIR)
    sms = get_channel("sms")
    for segment in [s.id for s in loaded.kit.segments]:
        composer = _compose(loaded, segment=segment, channel="sms", brief=brief)
        for seed in range(4):
            copy, _ = composer.compose(seed=seed, offset=seed)
            final = apply_disclosures(copy, sms, copy_disclosures(loaded.kit, "US", sms))["body"]
            assert final.startswith("Northpeak: "), final
            assert final.count("Northpeak:") == 1, (segment, final)  # one sender, not a second one mid-message
            first_sentence = re.split(r"(?<=[.!?])\s", final[len("Northpeak: "):], maxsplit=1)[0]
            assert ":" not in first_sentence, (segment, final)
            assert brief.product.lower().replace("™", "") in final.lower(), (segment, final)  # (SMS drops ™)


def test_a_facebook_description_says_more_than_the_headline_when_the_library_can():
    """'New: the Talus Down Jacket' over 'Meet the Talus Down Jacket' says the same thing twice: a facebook ad's
    description carries at least two words that neither the product's name nor the ad's headline says, for every
    northpeak segment and three variants each (the library has short lines such as 'RDS certified down')."""
    brief = SMS_BRIEFS[0]
    words = lambda text: {w for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 2}  # noqa: E731
    loaded = load_kit("northpeak", KITS_DIR)
    for segment in [s.id for s in loaded.kit.segments]:
        for copy in _variants("northpeak", segment, "facebook_ad", brief):
            new_words = words(copy["description"]) - words(brief.product) - words(copy["headline"])
            assert len(new_words) >= 2, (segment, copy["headline"], copy["description"])


@pytest.mark.parametrize("channel", ["wechat", "xiaohongshu", "email"])
def test_no_fact_is_said_twice_in_one_variant(channel):
    """'做法只有三步：…冷藏 6 到 8 小时。' and then '冷藏 6 到 8 小时就能喝…' in one note tells the reader the same thing
    twice: no six characters in a row (digits kept, the product and offer aside) recur in two lines of a variant,
    for every chayuan segment and three variants each."""
    brief = Brief(text="园里冷萃™茶包夏季上新，办公室冷泡", product="园里冷萃™茶包", offer="首单立减10元")
    loaded = load_kit("chayuan", KITS_DIR)
    for segment in [s.id for s in loaded.kit.segments]:
        for copy in _variants("chayuan", segment, channel, brief):
            lines = [line for text in copy.values() for line in text.split("\n") if line.strip()]
            seen: dict[str, str] = {}
            for line in lines:
                plain = re.sub(r"[^\u4e00-\u9fff0-9]", "", line.replace(brief.product, "|").replace(brief.offer, "|"))
                for gram in {plain[i:i + 6] for i in range(len(plain) - 5)}:
                    assert seen.setdefault(gram, line) == line, (segment, gram, seen[gram], line)


def test_a_scene_the_products_own_name_says_stays_on_the_briefs_angle():
    """A brief about the 四时礼盒 for 中秋 asks for the gift box whatever else it says: the library's gift-box
    headline ("四时礼盒里有什么？先给你看", scene 礼盒) opens the note, not a gifting line that says nothing of the brief
    ("送礼的茶，早点挑不着急", which the quality gate flags as an off-brief title)."""
    brief = Brief(text="中秋四时礼盒开始预订，送父母和朋友", product="四时礼盒", offer="两盒95折")
    for channel in ("xiaohongshu", "wechat"):
        title = _variants("chayuan", "gift-buyers", channel, brief, n=1)[0]["title"]
        assert brief.product in title, (channel, title)
