"""One lexicon of reporting verbs for attributions and quotes.

Each verb is listed once with its inflections (``FORMS``); the roles are sets of those forms:

* ``REPORTING`` — verbs that credit a statement to a source ("officials *said*", "experts
  *expect*"); attributions read them after a source noun;
* ``SPEECH`` — verbs that credit speech even after an ordinary noun phrase (used for named
  attributions: "the mayor *warned*"); "show", "find", "expect"... only count after a source noun;
* ``QUOTING`` — verbs that introduce or follow a direct or reported quotation ("..., she
  *replied*"), including forms that only make sense next to a quote ("tweeted", "asked").
"""

from __future__ import annotations

FORMS: tuple[tuple[str, ...], ...] = (
    ("say", "says", "said"),
    ("tell", "tells", "told"),
    ("claim", "claims", "claimed"),
    ("argue", "argues", "argued"),
    ("warn", "warns", "warned"),
    ("believe", "believes", "believed"),
    ("report", "reports", "reported"),
    ("state", "states", "stated"),
    ("note", "notes", "noted"),
    ("suggest", "suggests", "suggested"),
    ("insist", "insists", "insisted"),
    ("confirm", "confirms", "confirmed"),
    ("allege", "alleges", "alleged"),
    ("maintain", "maintains", "maintained"),
    ("assert", "asserts", "asserted"),
    ("contend", "contends", "contended"),
    ("expect", "expects", "expected"),
    ("estimate", "estimates", "estimated"),
    ("predict", "predicts", "predicted"),
    ("indicate", "indicates", "indicated"),
    ("show", "shows", "showed", "shown"),
    ("reveal", "reveals", "revealed"),
    ("agree", "agrees", "agreed"),
    ("fear", "fears", "feared"),
    ("think", "thinks", "thought"),
    ("add", "adds", "added"),
    ("explain", "explains", "explained"),
    ("acknowledge", "acknowledges", "acknowledged"),
    ("admit", "admits", "admitted"),
    ("concede", "concedes", "conceded"),
    ("find", "finds", "found"),
    ("announce", "announces", "announced"),
    ("write", "writes", "wrote", "written"),
    ("describe", "describes", "described"),
    ("deny", "denies", "denied"),
    ("stress", "stresses", "stressed"),
    ("caution", "cautions", "cautioned"),
    ("point", "points", "pointed"),
    ("testify", "testifies", "testified"),
    ("observe", "observes", "observed"),
    ("recall", "recalls", "recalled"),
    ("accuse", "accuses", "accused"),
    ("brief", "briefs", "briefed"),
    ("speculate", "speculates", "speculated"),
    # only next to a quotation
    ("ask", "asks", "asked"),
    ("boast", "boasts", "boasted"),
    ("complain", "complains", "complained"),
    ("conclude", "concludes", "concluded"),
    ("continue", "continues", "continued"),
    ("counter", "counters", "countered"),
    ("declare", "declares", "declared"),
    ("disclose", "discloses", "disclosed"),
    ("post", "posts", "posted"),
    ("remark", "remarks", "remarked"),
    ("reply", "replies", "replied"),
    ("respond", "responds", "responded"),
    ("tweet", "tweets", "tweeted"),
)

_QUOTE_ONLY = frozenset(w for forms in FORMS[-13:] for w in forms)
ALL_FORMS: frozenset[str] = frozenset(w for forms in FORMS for w in forms)
REPORTING: frozenset[str] = ALL_FORMS - _QUOTE_ONLY


def _forms(words: str) -> frozenset[str]:
    out = frozenset(words.split())
    unknown = out - ALL_FORMS
    if unknown:  # every role draws on FORMS, so an inflection is written once
        raise ValueError(f"not in the lexicon: {sorted(unknown)}")
    return out


SPEECH: frozenset[str] = _forms(
    "acknowledge acknowledged acknowledges add added adds admit admits admitted allege alleged "
    "alleges announce announced announces argue argued argues assert asserted asserts claim "
    "claimed claims concede conceded concedes confirm confirmed confirms contend contended "
    "contends denied denies deny explain explained explains insist insisted insists maintain "
    "maintained maintains note noted notes observe observed observes report reported reports "
    "said say says state stated states stress stressed stresses tell tells testified testifies "
    "testify told warn warned warns write writes wrote"
)
QUOTING: frozenset[str] = _forms(
    "acknowledged acknowledges added adds admits admitted allege alleged alleges announced "
    "announces argue argued argues asked asks asserted asserts believe believes boasted boasts "
    "claim claimed claims complained complains conceded concedes concluded concludes confirmed "
    "confirms continued continues countered counters declared declares denied denies disclosed "
    "discloses estimate estimated estimates explained explains fear fears insist insisted "
    "insists maintain maintained maintains noted notes observed observes posted predicted "
    "predicts recalled recalls remarked remarks replied replies report reported reports "
    "responded responds revealed reveals said say says stated states suggested suggests tells "
    "testified testifies told tweeted warn warned warns writes wrote"
)


def alternation(forms: frozenset[str]) -> str:
    """A regex alternation of ``forms``, longest first so that no form hides a longer one."""
    return "|".join(sorted(forms, key=lambda w: (-len(w), w)))
