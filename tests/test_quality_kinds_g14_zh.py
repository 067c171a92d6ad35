"""Chinese kinds the quality gate missed on blind15 (issue 13, G14), written anew for other teas and wording
(evals/quality/kinds_g14_zh.jsonl): the brief's words stuttered (its name said twice, a character of it doubled, an
amount said twice); a copy template's notes to the writer left in; a list cut off in its last item;
a six- to eight-digit number with no label or unit; three clauses made of the same words turned around. And the
look-alikes a writer uses (慢慢, 尝一尝, 休息休息, 瓶瓶罐罐, a name repeated with commas; a spec sheet's labels, Q&A,
a post's field labels, a bracketed condition, 标题 and 这里写着 in prose; lists of one-character items and whole lists without a stop;
labelled order, batch, certificate and hotline numbers, years; parallel clauses, a chiasmus), which must stay clean.
Each test checks what a reviewer sees: the verdict's categories."""

from __future__ import annotations

import pytest

from tests.quality_kinds import kit_checker, quality_categories

DANCONG = {"text": "国庆前推荐凤凰单丛蜜兰香，适合办公室下午泡。", "product": "凤凰单丛", "offer": "第二罐半价"}
DIANHONG = {"text": "冬天推荐滇红金芽，早上冲一杯暖身。", "product": "滇红金芽", "offer": "满159元送玻璃杯"}
JASMINE = {"text": "夏天推荐茉莉银毫，冷泡热泡都可以。", "product": "茉莉银毫", "offer": "新客立减10元"}
ROCK = {"text": "岩上桂中火焙，适合周末在家用盖碗泡。", "product": "岩上桂", "offer": "满199元送茶则一只"}
GIFT = {"text": "中秋四时礼盒开始预订，送给客户和家人。", "product": "四时礼盒", "offer": "三盒起88折"}
BAGS = {"text": "夏天推荐园里冷萃™茶包，办公室冷水泡两小时就能喝。", "product": "园里冷萃™茶包", "offer": "买三送一"}
SUN = {"text": "冬天推荐临沧晒红，围炉煮着喝。", "product": "临沧晒红", "offer": "满2罐包邮"}
GREEN = {"text": "清明前后推荐春山绿，适合办公室玻璃杯泡。", "product": "春山绿", "offer": "老会员领15元券"}
PUER = {"text": "推荐易武古树普洱饼，适合收藏和自饮。", "product": "易武普洱饼", "offer": "两饼包邮"}


@pytest.fixture(scope="module")
def chayuan():
    return kit_checker("chayuan")


def categories(checker, text, brief, channel="wechat"):
    return quality_categories(checker, text, market="CN", brief=brief, channel=channel)


GARBLED = [
    ("凤凰单丛丛，蜜兰香，下午泡一壶，第二罐半价。", DANCONG, "the name's last character doubled"),
    ("滇滇红金芽芽早上冲一杯，满159元送玻璃杯。", DIANHONG, "characters of the name doubled"),
    ("围炉煮一壶临沧沧晒红，满2罐包邮。", SUN, "a character inside the name doubled"),
    ("园里冷萃™茶包包，冷水泡两小时，买三送一送一。", BAGS, "the name's last character doubled"),
    ("岩上桂岩上桂中火焙焙，周末盖碗泡。", ROCK, "the name said twice"),
    ("春山绿玻璃杯泡，老会员领15元券领15元券。", GREEN, "the offer's amount said twice"),
    ("四时礼盒礼盒中秋预订，三盒起88折88折，送客户。", GIFT, "an amount said twice"),
    ("标题：四时礼盒 正文：（此处写200字，突出送礼）", GIFT, "a template's labels and a note"),
    ("滇红金芽（这里写产品卖点），满159元送玻璃杯。", DIANHONG, "a note to the writer"),
    ("岩上桂中火焙，满199元送茶则一只。【此处补充价格】", ROCK, "a placeholder in brackets"),
    ("【茶园里】岩上桂满199元送茶则一只，泡法：温壶、投茶、注", ROCK, "a list cut in its last item"),
    ("四时礼盒三盒起88折，里面有春山绿、岩上桂、临沧晒红、临", GIFT, "the last name cut"),
    ("茉莉银毫新客立减10元，冷泡步骤：取茶、加水、冷藏、过", JASMINE, "the last step cut"),
    ("普洱饼更换了839201，到分数中间。", PUER, "six digits with no label or unit"),
    ("茉莉银毫选择第2290617号，继续表示成功。", JASMINE, "a seven-digit ordinal"),
    ("到茶友打分了1182736, 晒红收回。", SUN, "seven digits then a comma"),
    ("茉莉的香气是夏天的心情，心情让夏天有了香气，香气在夏天里遇见心情。新客立减10元。", JASMINE, "three clauses, the same words"),
    ("冷泡的自在是一种生活方式，方式让自在变成生活，生活在自在里找到方式。买三送一。", BAGS, "the same words turned around"),
]


@pytest.mark.parametrize("text,brief,why", GARBLED)
def test_written_failures_are_garbled(chayuan, text, brief, why):
    assert "garbled" in categories(chayuan, text, brief), why


FINE = [
    ("凤凰单丛慢慢泡，香气一层层出来，第二罐半价。", DANCONG, "慢慢 and 一层层"),
    ("茉莉银毫，先闻闻香，再尝一尝，新客立减10元。", JASMINE, "闻闻 and 尝一尝"),
    ("春山绿，春山绿，还是春山绿：清明前后就喝它，老会员领15元券。", GREEN, "the name repeated with commas"),
    ("上班累了就休息休息，泡一包园里冷萃™茶包，买三送一。", BAGS, "休息休息"),
    ("家里瓶瓶罐罐多了，四时礼盒只放四罐茶，三盒起88折。", GIFT, "瓶瓶罐罐"),
    ("易武普洱饼，饼面紧实，两饼包邮，常常喝也不心疼。", PUER, "a character again across a comma"),
    ("产地：云南临沧\n工艺：日光晒干\n临沧晒红满2罐包邮。", SUN, "a spec sheet's labels"),
    ("副标题：茉莉银毫上新 摘要：新客立减10元", JASMINE, "a post's field labels, as writers hand it in"),
    ("导语：凤凰单丛蜜兰香\n正文：下午泡一壶\n按钮：第二罐半价", DANCONG, "three field labels"),
    ("霍山黄芽芽头细嫩，限时9折。", {"text": "推荐霍山黄芽。", "product": "霍山黄芽", "offer": "限时9折"}, "the name, then 芽头"),
    ("滇红金芽茶包包装换新了，满159元送玻璃杯。", DIANHONG, "包包装 is packaging"),
    ("问：春山绿怎么泡？\n答：玻璃杯，热水就好。老会员领15元券。", GREEN, "question and answer"),
    ("园里冷萃™茶包买三送一（每人限买一次），冷水泡两小时。", BAGS, "a bracketed condition"),
    ("四时礼盒的标题是“四季”，三盒起88折，卡片可以写你想说的话。", GIFT, "标题 in prose"),
    ("这里写着“茉莉银毫”的罐子，冷泡热泡都可以，新客立减10元。", JASMINE, "这里写着 in prose"),
    ("临沧晒红满2罐包邮，适合春、夏、秋、冬", SUN, "one-character items throughout"),
    ("岩上桂满199元送茶则一只，泡法：温壶、投茶、出汤", ROCK, "a whole list without a stop"),
    ("易武普洱饼两饼包邮，适合自饮、收藏、送礼", PUER, "a whole list without a stop"),
    ("四时礼盒三盒起88折，订单号202609100123可查物流。", GIFT, "a labelled order number"),
    ("春山绿通过中国有机产品认证，证书编号136OP2600457，老会员领15元券。", GREEN, "a certificate number"),
    ("凤凰单丛第二罐半价，客服电话4008201234。", DANCONG, "a hotline"),
    ("易武普洱饼两饼包邮，批次号20260315印在饼纸上。", PUER, "a batch number"),
    ("一包茶，一瓶水，一个下午。园里冷萃™茶包，买三送一。", BAGS, "parallel clauses"),
    ("冷泡有冷泡的清爽，热泡有热泡的香气，茉莉银毫两种都好喝，新客立减10元。", JASMINE, "parallel contrast"),
    ("早上冲一杯滇红金芽，一杯下去，早上就暖了，满159元送玻璃杯。", DIANHONG, "words again across clauses"),
]


@pytest.mark.parametrize("text,brief,why", FINE)
def test_well_formed_copy_stays_clean(chayuan, text, brief, why):
    assert categories(chayuan, text, brief) == set(), why
