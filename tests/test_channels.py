from pathlib import Path

from studio.channels import all_channels, get_channel, message_length, sms_units

KITS = Path(__file__).resolve().parents[1] / "brand_kits"

CONTRACT_CHANNELS = {"email", "instagram", "linkedin", "x", "facebook_ad", "search_ad", "sms", "push",
                     "landing", "wechat", "xiaohongshu", "douyin"}


def test_every_contract_channel_is_registered_with_fields_and_limits():
    ids = {c.id for c in all_channels()}
    assert CONTRACT_CHANNELS <= ids
    for channel in all_channels():
        assert channel.fields, channel.id
        assert all(f.max_chars for f in channel.fields), f"{channel.id} has a field without a limit"


def test_search_ad_limits_follow_google_rsa():
    rsa = get_channel("search_ad")
    headlines = [f for f in rsa.fields if f.name.startswith("headline")]
    descriptions = [f for f in rsa.fields if f.name.startswith("description")]
    assert len(headlines) >= 3 and all(f.max_chars == 30 for f in headlines)
    assert len(descriptions) >= 2 and all(f.max_chars == 90 for f in descriptions)
    assert rsa.paid and rsa.image is None


def test_sms_counts_gsm7_and_ucs2():
    assert sms_units("Hello there") == (11, 160)
    assert sms_units("Price: 10€")[0] == 11  # the euro sign is an extension character: two septets
    assert sms_units("春季新品上市") == (6, 70)
    assert sms_units("Rain 🌧")[1] == 70 and sms_units("Rain 🌧")[0] == 7  # emoji = surrogate pair
    body = get_channel("sms").field("body")
    assert message_length(body, "x" * 161) == (161, 160)


def test_image_channels_have_sizes():
    assert get_channel("instagram").image.aspect == "1:1"
    assert get_channel("douyin").image.aspect == "9:16"
    assert get_channel("xiaohongshu").image.aspect == "3:4"


def test_unknown_channel_names_the_known_ones():
    import pytest

    with pytest.raises(KeyError, match="known: email"):
        get_channel("fax")


def test_a_video_script_carries_its_labels_on_screen_not_in_the_shot_list():
    from studio.channels.placement import apply_disclosures

    douyin = get_channel("douyin")
    copy = {"hook": "工位上的一杯冷泡茶", "scenes": "镜头1：工位。\n镜头2：泡茶。", "captions": "冷水泡一夜就好。", "voice_over": "周末露营。"}
    final = apply_disclosures(copy, douyin, ["AI生成", "广告"])
    assert final["captions"] == "冷水泡一夜就好。\n\nAI生成\n广告"
    assert final["scenes"] == copy["scenes"] and final["voice_over"] == copy["voice_over"]


def test_a_chinese_sms_opens_with_the_sender_signature_and_stays_one_message():
    from studio.kits import load_kit_dir
    from studio.channels.placement import apply_disclosures
    from studio.labels import copy_disclosures

    sms = get_channel("sms")
    kit = load_kit_dir(KITS / "chayuan").kit
    disclosures = copy_disclosures(kit, "CN", sms)
    long_body = "春山绿冷泡茶包上新了，冷水泡四小时就能喝，放进冰箱一夜更顺口。首单包邮，今晚泡一瓶试试。每批次茶叶都经第三方农残检测。"
    final = apply_disclosures({"body": long_body}, sms, disclosures)["body"]
    # the gateway's signature first, the AI label and opt-out last, and the whole within one UCS-2 message
    assert final.startswith("【茶园里】春山绿冷泡茶包上新了")
    assert final.endswith("AI生成。回T退订")
    length, limit = message_length(sms.field("body"), final)
    assert length <= limit
    # applied twice (a revision of already-labelled copy), nothing doubles
    assert apply_disclosures({"body": final}, sms, disclosures)["body"] == final


def test_an_english_sms_names_the_brand_first():
    from studio.kits import load_kit_dir
    from studio.channels.placement import apply_disclosures
    from studio.labels import copy_disclosures

    sms = get_channel("sms")
    disclosures = copy_disclosures(load_kit_dir(KITS / "northpeak").kit, "US", sms)
    final = apply_disclosures({"body": "Ridgeback Shell, free first repair."}, sms, disclosures)["body"]
    assert final == "Northpeak: Ridgeback Shell, free first repair. AI-generated. Reply STOP to opt out. Msg & data rates may apply."
    # email gets no sender prefix: it has a From line
    email = copy_disclosures(load_kit_dir(KITS / "northpeak").kit, "US", get_channel("email"))
    assert not any(d.startswith("Northpeak:") for d in email)


def test_a_pasted_sms_without_the_signature_is_not_blocked_for_it():
    """The signature is the gateway's convention, which Studio places on generated copy; the checks do not treat
    it as a legal disclosure (a reviewer's pasted SMS with the AI label and opt-out passes)."""
    from studio.checks import get_checker
    from studio.kits import load_kit_dir

    kit = load_kit_dir(KITS / "chayuan")
    report = get_checker(kit).check_text("春山绿冷泡茶包上新，首单包邮。AI生成。回T退订", channel=get_channel("sms"), market="CN")
    assert not [f for f in report.findings if f.category == "missing_disclosure"]
    report = get_checker(kit).check_text("春山绿冷泡茶包上新，首单包邮。AI生成", channel=get_channel("sms"), market="CN")
    missing = [f.message for f in report.findings if f.category == "missing_disclosure"]
    assert len(missing) == 1 and "回T退订" in missing[0]  # the opt-out is a legal notice: still required
