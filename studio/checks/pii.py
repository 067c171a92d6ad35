"""Personal data in copy: emails, phone numbers, Chinese resident ID numbers, payment card numbers.

Each matcher yields (start, end, severity, message) over the normalised text. Checksums keep
precision: an 18-digit run is an ID only with a valid ISO 7064 MOD 11-2 check digit, a 13-19 digit
run is a card only if it passes Luhn.

Decisions (see the package docstring): a contact that is plainly a business line (role mailboxes
such as support@ or hello@, toll-free 800/888/... numbers, Chinese 400/800 service numbers) is
reported as `info`, not a problem; text inside the kit's own disclosure lines is never PII (the
engine drops those spans).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

EMAIL = re.compile(r"(?<![\w.+-])[a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?![\w])", re.I)
ROLE_MAILBOX = re.compile(r"^(?:support|hello|hi|info|help|care|service|customerservice|customer-service|contact|team|press|"
                          r"media|sales|noreply|no-reply|orders|returns|billing|accounts|invoices|finance|privacy|legal|"
                          r"jobs|careers|hr|marketing|partners|partnerships|feedback|enquiries|inquiries|office|admin|"
                          r"bookings|reservations|shop|store|service-cn|kefu|bd|biz|business|hezuo|cooperation|ir|pr|events)@")
CN_MOBILE = re.compile(r"(?:\+(?<!\d\+)86[\s-]?1|8(?<!\d8)6[\s-]?1|1(?<!\d1))[3-9]\d(?:[\s-]?\d{4}){2}(?![\d])")
# not a change in per cent ("+340% this month", "+25% points"): a phone is never followed by "%"
INTL_PHONE = re.compile(r"\+(?<![\w+]\+)\d{1,3}(?:[\s.-]?\(?\d{1,4}\)?){2,5}(?![\d%]|\s?%)")
# UK (07xxx xxxxxx), French (06/07 xx xx xx xx) and German (015x/016x/017x) mobiles, written nationally.
EU_MOBILE = re.compile(r"0(?<!\d0)(?:7\d{3}[\s-]?\d{3}[\s-]?\d{3}|[67](?:[\s.-]?\d{2}){4}|1[5-7]\d[\s-]?\d{7,8})(?!\d)")
US_PHONE = re.compile(r"(?:1(?<!\w1)[\s.-]\(?\d{3}|\((?<!\w\()\d{3}|\d(?<!\w\d)\d{2})\)?[\s.-]\d{3}[\s.-]\d{4}(?![\d])")
CN_SERVICE = re.compile(r"[48](?<!\d[48])00[\s-]?\d{3}[\s-]?\d{4}(?![\d])")
CN_ID = re.compile(r"\d(?<![\dA-Za-z]\d)\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dA-Za-z])")
# "身份证号：", "ID number" just before an ID-shaped number: it is an ID even when its check digit is wrong.
ID_LABEL = re.compile(r"(?:身份证|证件)(?:号码?)?\s*[:：]?\s*$|\b(?:id|identity card) (?:number|no\.)\s*[:：]?\s*$")
# "卡号", "card number" just before a card-shaped number: a card even when the Luhn check fails.
CARD_LABEL = re.compile(r"(?:卡号|银行卡|信用卡|储蓄卡|借记卡|这张卡|\bcard (?:number|no\.))\s*[:：]?\s*$")
# An expiry date or security code right after a card-shaped number: a card even when the Luhn check fails.
CARD_EXPIRY = re.compile(r"\W{0,3}(?:exp(?:iry|ires|\.)?|valid (?:thru|through)|cvv|cvc|有效期)")
# "Order #", "订单号", "company no." just before a phone- or card-shaped number: a reference of the business, not a
# person's phone or card.
REFERENCE_LABEL = re.compile(r"\b(?:order|invoice|tracking|ticket|case|ref(?:erence)?|sku|item|model|serial|booking|confirmation)"
                             r"\s*(?:#|no\.?|number|id)?\s*[:：#]?\s*$|\b(?:company|registration|reg\.?|vat|tax|ein)\s*(?:no\.?|number|id|#)\s*[:：#]?\s*$"
                             r"|(?:订单|单号|编号|快递单|运单|工单|流水|注册号|信用代码|执照号?|税号)号?\s*[:：]?\s*$")
CARD = re.compile(r"\d(?<!\d\d)(?:[ -]?\d){12,18}(?![\d])")
# Four groups of four digits with one separator ("6034 1120 8876 5521", "7788-1203-5561-9040") is how a payment, gift,
# loyalty or member card is printed: a card number even when it fails the Luhn check (store cards often do not use it),
# when it is someone's: a holder or a card programme is named within 60 characters ("your gift card", "member card ...
# holds 2,000 miles", "credited with 500 points", "charged $24"); a test number said to be invalid, a reference after its label
# (a tracking number) or a run of years ("2019 2020 2021 2022") is not.
GROUPED_CARD = re.compile(r"\d{4}([ -])\d{4}\1\d{4}\1\d{4}")
_HOLDER_CUE = re.compile(r"\b(?:your|my|his|her|their|member(?:ship)?|loyalty|rewards?|gift|fuel|store|club|points|miles|"
                         r"credited|topped up|balance|renews?|holds?|account|acct|hi|dear|"
                         # a payment taken from it ("Card 4532 7712 0098 3321 charged $24.00"): a real card in use
                         r"charged|debited|billed|payment (?:of|from|taken)|taken from)\b", re.I)
_YEAR_GROUP = re.compile(r"(?:19|20)\d\d")
_DIGIT = re.compile(r"\d")
# "Customer support: +44 20 7946 0000", "客服热线：021-..." : the number just after is the business's line.
SERVICE_LABEL = re.compile(r"\b(?:customer (?:support|service|care)|support|helpline|hotline|help desk|service line|"
                           r"call centre|call center|reservations|bookings|head office|switchboard)\s*(?:line|number|team)?"
                           r"\s*[:：]?\s*$|(?:客服|服务|售后|咨询|预约|订房|订座)(?:热线|电话|专线)?\s*[:：]?\s*$", re.I)
TOLL_FREE = re.compile(r"^(?:\+?1[\s.-]?)?\(?8(?:00|88|77|66|55|44|33)\)?")

# A look-behind at the start of a pattern is written after its first character instead ("(?<!\d)\d" as
# "\d(?<!\d\d)"): the same test, but re can then skip straight to the digits (or "+", "4"/"8"). An
# optional opening becomes one alternative per first character, in the order re tried them:
# CN_MOBILE was (?<![\d])(?:\+?86[\s-]?)?1[3-9]..., US_PHONE (?<![\w])(?:1[\s.-])?\(?\d{3}\)?...
# (tests/test_checks.py compares them on random digit strings).

_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"


def cn_id_valid(number: str) -> bool:
    """ISO 7064 MOD 11-2 check digit of an 18-character resident ID number."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == number[17].upper()


def luhn_valid(digits: str) -> bool:
    if not digits.isdigit() or not 13 <= len(digits) <= 19:
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def find_pii(text: str) -> Iterator[tuple[int, int, str, str, str]]:
    """(start, end, kind, severity, message) for each piece of personal data in normalised text."""
    if "@" in text:
        for m in EMAIL.finditer(text):
            if ROLE_MAILBOX.match(m.group().lower()):
                yield m.start(), m.end(), "email", "info", "a role mailbox of the business, not a person's address"
            else:
                yield m.start(), m.end(), "email", "warn", "an email address that may belong to a person"
    if not _DIGIT.search(text):  # every pattern below needs a \d digit
        return
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    for m in CN_ID.finditer(text):
        if cn_id_valid(m.group()):
            taken.append(m.span())
            yield m.start(), m.end(), "cn_id", "block", "a Chinese resident ID number (valid check digit)"
        elif ID_LABEL.search(text, max(0, m.start() - 16), m.start()):  # a mistyped ID is still someone's ID
            taken.append(m.span())
            yield m.start(), m.end(), "cn_id", "block", "a Chinese resident ID number (labelled as one)"
    for m in CARD.finditer(text):
        if not free(*m.span()):
            continue
        if REFERENCE_LABEL.search(text, max(0, m.start() - 24), m.start()):  # a registration or order number
            continue
        if luhn_valid(re.sub(r"\D", "", m.group())):
            taken.append(m.span())
            yield m.start(), m.end(), "card", "block", "a payment card number (passes the Luhn check)"
        elif CARD_LABEL.search(text, max(0, m.start() - 16), m.start()) or CARD_EXPIRY.match(text, m.end()):
            taken.append(m.span())
            yield m.start(), m.end(), "card", "block", "a payment card number (labelled as one)"
        elif GROUPED_CARD.fullmatch(m.group()) \
                and not all(_YEAR_GROUP.fullmatch(g) for g in re.split(r"[ -]", m.group())) \
                and _HOLDER_CUE.search(text, max(0, m.start() - 60), min(len(text), m.end() + 60)):
            taken.append(m.span())
            yield m.start(), m.end(), "card", "warn", "a card or account number (printed in four groups of four digits)"
    for m in CN_SERVICE.finditer(text):
        if free(*m.span()):
            taken.append(m.span())
            yield m.start(), m.end(), "phone", "info", "a 400/800 customer-service number of the business"
    for pattern in (CN_MOBILE, INTL_PHONE, US_PHONE, EU_MOBILE):
        for m in pattern.finditer(text):
            if not free(*m.span()):
                continue
            taken.append(m.span())
            if REFERENCE_LABEL.search(text, max(0, m.start() - 24), m.start()):
                continue
            if TOLL_FREE.match(m.group()):
                yield m.start(), m.end(), "phone", "info", "a toll-free business number"
            elif SERVICE_LABEL.search(text, max(0, m.start() - 30), m.start()):
                yield m.start(), m.end(), "phone", "info", "the business's service line (labelled as one)"
            else:
                yield m.start(), m.end(), "phone", "warn", "a phone number that may belong to a person"
