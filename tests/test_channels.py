from studio.channels import all_channels, get_channel, message_length, sms_units

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
