"""An independent implementation of the two deterministic ids, from their documentation only.

CompletionEventId: docs/catalog.md, "Canonical form" (version ce1). CredentialId: the doc comment of
functions/Pipeline.Core/Credentials/CredentialId.cs. Reads JSON lines on stdin, one case each:
  {"kind": "event", "source", "learner", "activity", "local": "yyyy-MM-ddTHH:mm:ss.fffffff", "offsetMinutes",
   "outcome", "grade" (or null), "score" (decimal text, or null)}
  {"kind": "credential", "issuer", "achievement", "learner", "period" (or null)}
and writes one line per case: the event id, or the credential's short form and URN separated by a space.
"""
import base64
import datetime
import decimal
import hashlib
import json
import sys
import unicodedata
import uuid

# .NET's char.IsWhiteSpace: what string.Trim removes (Python's str.strip would also remove U+001C..U+001F).
WHITE_SPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680" + "".join(chr(c) for c in range(0x2000, 0x200B)) + "\u2028\u2029\u202f\u205f\u3000"
SHORT = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def escape(text):
    """System.Text.Json with UnsafeRelaxedJsonEscaping, as docs/catalog.md describes it."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch in SHORT:
            out.append(SHORT[ch])
        elif code > 0xFFFF:
            code -= 0x10000
            out.append("\\u%04X\\u%04X" % (0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF)))
        elif code < 0x20 or code == 0x7F or (ch != " " and unicodedata.category(ch) in ("Cc", "Zs", "Zl", "Zp")):
            out.append("\\u%04X" % code)
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def canonical(items):
    return "[" + ",".join("null" if item is None else escape(item) for item in items) + "]"


def utc(local, offset_minutes):
    seconds, fraction = local.split(".")
    moment = datetime.datetime.strptime(seconds, "%Y-%m-%dT%H:%M:%S") - datetime.timedelta(minutes=offset_minutes)
    fraction = fraction.rstrip("0")
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + ("." + fraction if fraction else "") + "Z"


def score_text(text):
    if text is None:
        return ""
    value = decimal.Decimal(text)
    if value == 0:
        return "0"
    return format(value.normalize(), "f")


def event_id(case):
    items = [
        "ce1",
        case["source"].strip(WHITE_SPACE),
        case["learner"].strip(WHITE_SPACE),
        case["activity"].strip(WHITE_SPACE),
        utc(case["local"], case["offsetMinutes"]),
        case["outcome"].lower(),
        (case["grade"] or "").strip(WHITE_SPACE),
        score_text(case["score"]),
    ]
    return "ce1-" + hashlib.sha256(canonical(items).encode("utf-8")).hexdigest()[:32]


def credential_id(case):
    text = canonical(["ob3-credential/v1", case["issuer"], case["achievement"], case["learner"], case["period"]])
    raw = bytearray(hashlib.sha256(text.encode("utf-8")).digest()[:16])
    raw[6] = (raw[6] & 0x0F) | 0x80
    raw[8] = (raw[8] & 0x3F) | 0x80
    short = base64.urlsafe_b64encode(bytes(raw)).decode("ascii").rstrip("=")
    return short + " urn:uuid:" + str(uuid.UUID(bytes=bytes(raw)))


for line in sys.stdin:
    if line.strip():
        case = json.loads(line)
        print(event_id(case) if case["kind"] == "event" else credential_id(case))
