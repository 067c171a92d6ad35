"""A whole ad pasted into `studio check` with its parts labelled ("Headline 1: ...") is measured field by field."""

from __future__ import annotations

import json

from studio.channels import get_channel
from studio.checks.command import run_check_command
from studio.checks.pasted import pasted_fields

SEARCH_AD = ("Headline 1: Waterproof Walking Boots\n"
             "Headline 2: Resoled, Not Replaced\n"
             "Description 1: Leather uppers, a Vibram sole and free resoling for the first two years of wear.\n")


def _check(tmp_path, capsys, text: str, channel: str, market: str = "US") -> dict:
    path = tmp_path / "ad.txt"
    path.write_text(text, encoding="utf-8")
    run_check_command(str(path), None, channel, market, None, True)
    return json.loads(capsys.readouterr().out)


def test_each_labelled_part_is_measured_against_its_own_field(tmp_path, capsys):
    assert len(SEARCH_AD) > 90, "as one text it is longer than a description may be"
    report = _check(tmp_path, capsys, SEARCH_AD, "search_ad")
    assert not [f for f in report["findings"] if f["category"] == "channel_limit"], report


def test_an_overlong_headline_is_marked_where_it_was_pasted(tmp_path, capsys):
    text = SEARCH_AD.replace("Resoled, Not Replaced", "Resoled By Hand In Our Portland Workshop")
    report = _check(tmp_path, capsys, text, "search_ad")
    limits = [f for f in report["findings"] if f["category"] == "channel_limit"]
    assert [f["field"] for f in limits] == ["headline_2"]
    finding = limits[0]
    assert text[finding["start"]:finding["end"]] == finding["text"] and finding["text"] in "Resoled By Hand In Our Portland Workshop"


def test_a_claim_in_a_part_points_into_the_pasted_text(tmp_path, capsys):
    text = "Primary text: Our tea cures insomnia in a week.\nHeadline: Evening tea\n"
    report = _check(tmp_path, capsys, text, "facebook_ad")
    health = [f for f in report["findings"] if f["category"] == "health_claim"]
    assert health and all(text[f["start"]:f["end"]] == f["text"] for f in health)


def test_prose_and_repeated_labels_are_checked_as_one_text():
    ad = get_channel("search_ad")
    assert pasted_fields("Our best boots yet.\nHeadline 1: not a label line here", ad) is None
    assert pasted_fields("Headline 1: One\nHeadline 1: Two", ad) is None
    parts = pasted_fields("标题：春山绿上新\n正文：明前采摘，冷泡四小时。\n第二段。", get_channel("xiaohongshu"))
    assert [(p.name, p.text) for p in parts] == [("title", "春山绿上新"), ("body", "明前采摘，冷泡四小时。\n第二段。")]


def test_an_email_pasted_as_subject_line_then_body_measures_the_subject_alone(tmp_path, capsys):
    """The way an email is written down: "Subject: …", a blank line, the body. The subject is its line, the rest
    is the body (60 characters is the subject's limit, not the whole email's)."""
    text = ("Subject: Your shell has a few more seasons in it\n\n"
            "If the water beads less than it used to, a wash and a low tumble dry bring the finish back. "
            "Send it to ReCraft when a seam lets go.")
    parts = pasted_fields(text, get_channel("email"))
    assert [(p.name, p.text) for p in parts] == [("subject", "Your shell has a few more seasons in it"),
                                                 ("body", text.split("\n\n", 1)[1])]
    assert all(text[p.start:p.start + len(p.text)] == p.text for p in parts)
    report = _check(tmp_path, capsys, text, "email")
    assert not [f for f in report["findings"] if f["category"] == "channel_limit"], report
    # an overlong subject is still one, and marked in its own line
    long_subject = "Subject: " + "Rain " * 15 + "\n\nA short body that says what the shell does in the rain."
    report = _check(tmp_path, capsys, long_subject, "email")
    [limit] = [f for f in report["findings"] if f["category"] == "channel_limit"]
    assert limit["field"] == "subject" and long_subject[limit["start"]:limit["end"]].strip().startswith("Rain")
