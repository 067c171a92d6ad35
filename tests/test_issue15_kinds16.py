"""Issue 15, stop 34: personal data and crude wording in forms a helper's dev set (evals/checks/issue15_kinds16.jsonl)
showed the checks missing, EN and ZH, through the real checker. Each kind is asserted on texts written for this test
(not the dataset's rows nor the packs' examples), with the words the finding points at; each look-alike (a business's
own line, a registration number, a word that only looks crude) must get no warning or block of the category."""

from __future__ import annotations

import pytest

from tests.check_kinds import reviewer_flagged_at


@pytest.mark.parametrize("text, market, category, span", [
    # a full postal address of a named person: a flat, or a state and ZIP code
    ("Cheers to Nora Diaz, 610 Willow Dr, Tulsa, OK 74104, our 500th subscriber!", "US", "pii", "610 Willow Dr"),
    ("Package for Ian Cole, 9 Mill Lane, Flat 3, Leeds is on the van.", "EU", "pii", "9 Mill Lane"),
    # a phone spelled in words; a Chinese mobile in numerals
    ("Call my cell: two one two, five five five, zero one nine eight", "US", "pii", "two one two, five five five, zero one nine eight"),
    ("有需要找我表哥，电话一三八 一二三四 五六七八", "CN", "pii", "一三八 一二三四 五六七八"),
    # a vehicle plate tied to its owner
    ("Congrats Mia, your plate 8KLM 204 is now on our wall of fame.", "US", "pii", "8klm 204"),
    ("车主李先生的粤B·6F2K9，今天来店做了镀晶", "CN", "pii", "粤b·6f2k9"),
    # a recipient named without a colon; a group leader's WeChat ID; a building, unit and room
    ("收货人刘洋 广州市越秀区中山五路", "CN", "pii", "收货人刘洋"),
    ("拼团找团长赵姐，微信号 zhaojie_88", "CN", "pii", "zhaojie_88"),
    ("她家在回龙观8号楼4单元602，离店很近", "CN", "pii", "8号楼4单元602"),
    # swearing spelled apart or respelled; a masked body word; innuendo
    ("S H I T, these prices are low.", "US", "profanity", "s h i t"),
    ("Fookin cheap flights this week.", "EU", "profanity", "fookin"),
    ("Want to get laid? Our aftershave helps.", "US", "profanity", "get laid"),
    ("tmd，这价格也太狠了", "CN", "profanity", "tmd"),
])
def test_the_kind_is_flagged_where_it_is_said(text, market, category, span):
    words = [w.lower() for w in reviewer_flagged_at(text, category, market)]
    assert any(span.lower() in w for w in words), words


@pytest.mark.parametrize("text, market, category", [
    # a business's own lines and numbers
    ("Customer service: +49 30 1234 5678, Mon-Fri 9-17.", "EU", "pii"),
    ("合作请发邮件至 bd@yunshan-tea.cn", "CN", "pii"),
    ("统一社会信用代码：310115000123456", "CN", "pii"),
    ("Acme Gear LLC, 55 Canal St, Boston, MA 02114. Unsubscribe anytime.", "US", "pii"),
    # numbers and plates that belong to no one; a plate of food
    ("收件人信息请填写完整，以免影响发货", "CN", "pii"),
    ("A plate of 6 dumplings for $8.", "US", "pii"),
    # words that only look crude
    ("Laid-back fits for weekends.", "US", "profanity"),
    ("Big bang for your buck on every bundle.", "US", "profanity"),
    ("张医生（MD）每周三坐诊", "CN", "profanity"),
])
def test_the_look_alike_is_not_flagged(text, market, category):
    assert reviewer_flagged_at(text, category, market) == []
