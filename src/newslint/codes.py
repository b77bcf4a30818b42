"""The single table of rule codes.

A code never changes meaning once released. Each rule carries the text of its documentation
page; ``docs/rules/`` is generated from this table by ``scripts/gen_rule_docs.py`` and a test
fails when the two drift apart.

Prefixes: ``A`` attribution, ``C`` claim, ``F`` fact-check, ``N`` narrative, ``P`` persuasion
technique, ``S`` spelling, ``T`` temporal, ``X`` contradiction.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, get_args

Category = Literal[
    "technique",
    "claim",
    "attribution",
    "contradiction",
    "fact-check",
    "narrative",
    "temporal",
    "spelling",
]
CATEGORIES: tuple[Category, ...] = get_args(Category)  # in display order


Status = Literal["preview", "stable", "deprecated"]


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    category: Category
    status: Status
    since: str
    summary: str
    what: str
    why: str
    example: str
    measured: str
    # The lowest score at which a finding of this rule is shown by default (the stable tier);
    # None: every finding is preview. 0.0: the whole rule is stable.
    stable_from: float | None = None
    # At most this many stable findings per 1,000 words of a document (the best-scored first);
    # None: no budget.
    max_per_1000_words: float | None = None

    @property
    def tiers(self) -> str:
        """The rule's two tiers in a few words ("stable", "stable from 0.80", "preview")."""
        if self.stable_from is None:
            return "preview"
        text = "stable" if self.stable_from <= 0 else f"stable from {self.stable_from:.2f}"
        if self.max_per_1000_words is not None:
            text += f", at most {self.max_per_1000_words:g} per 1,000 words"
        return text

    def row(self) -> dict[str, Any]:
        """The rule's listing fields (``newslint rules --format json``, the API's ``/rules``)."""
        return {
            "code": self.code,
            "name": self.name,
            "category": self.category,
            "status": self.status,
            "stable_from": self.stable_from,
            "max_per_1000_words": self.max_per_1000_words,
            "since": self.since,
            "summary": self.summary,
        }

    def page(self) -> str:
        """The rule's documentation page as Markdown."""
        return (
            f"# {self.code} {self.name}\n\n"
            f"*Category:* `{self.category}` · *Status:* {self.tiers} · *Since:* {self.since}\n\n"
            f"{self.summary}\n\n"
            f"## What it flags\n\n{self.what}\n\n"
            f"## Why it matters\n\n{self.why}\n\n"
            f"## Example\n\n{self.example}\n\n"
            f"## How it is measured\n\n{self.measured}\n"
        )


_PTC = (
    "Learned detector trained on the Propaganda Techniques Corpus (SemEval-2020 Task 11, "
    "train split); see `newslint eval ptc` and the technique model card for the measured "
    "span F1 and per-technique F1."
)


_KB_EVAL = (
    "Measured by `python scripts/eval_knowledge_detectors.py` on the project's own labelled "
    "cases (`tests/data/knowledge_detector_cases.tsv`, 55 sentences written for newslint, "
    "against the packaged Russia–Ukraine pack): "
)


# Measurements live apart from the table of codes, in generated data files next to this module.


def _data_file(name: str) -> Any:
    """The parsed JSON of a generated data file shipped next to this module."""
    return json.loads(Path(__file__).with_name(name).read_text(encoding="utf-8"))


# Per-technique F1 of the shipped technique classifier on the held-out 20 % of the PTC train
# articles (74 articles, gold spans given); written by ``scripts/train_techniques.py``.
TECHNIQUE_SCORES_FILE = "technique_scores.json"


def _technique_f1() -> Mapping[str, tuple[float, int]]:
    data = _data_file(TECHNIQUE_SCORES_FILE)["techniques"]
    return MappingProxyType({str(k): (float(v["f1"]), int(v["support"])) for k, v in data.items()})


_TECHNIQUE_F1 = _technique_f1()
_TECHNIQUE_ALL = _data_file(TECHNIQUE_SCORES_FILE)


def _measured(label: str) -> str:
    f1, support = _TECHNIQUE_F1[label]
    return (
        f"{_PTC} Validation (74 held-out PTC train articles): technique-classification F1 "
        f"{f1:.3f} on {support} gold spans; all techniques together: span F1 "
        f"{_TECHNIQUE_ALL.get('si_f1', 0.392):.3f}, classification micro-F1 "
        f"{_TECHNIQUE_ALL.get('tc_micro_f1', 0.609):.3f} (measured with "
        f"{_TECHNIQUE_ALL.get('measured_with', 'scripts/train_techniques.py')}). The score of a "
        "finding is the calibrated chance that its technique is right (fitted on half of those "
        "articles, checked on the other: `python scripts/technique_calibration.py --fit`). "
        "Reproduce the heads with `scripts/finetune_encoder.py`, "
        "`scripts/export_encoder.py --finetuned` and `scripts/train_techniques.py` "
        "(commands in the technique model card)."
    )


def _technique(code: str, name: str, label: str, summary: str, why: str, example: str) -> Rule:
    return Rule(
        code=code,
        name=name,
        category="technique",
        status="preview",
        since="0.1.0",
        summary=summary,
        what=f"Fragments that use the persuasion technique `{label}` (PTC label).",
        why=why,
        example=example,
        measured=_measured(label),
    )


# Real-news precision: hand verdicts on findings in text nobody here wrote (PTC news articles,
# EUvsDisinfo case summaries and disproofs, CheckThat! debate sentences), kept in
# ``tests/data/review/real_news.tsv`` (ids and offsets only; see ``scripts/review_sample.py``).
# code -> (blind judged, blind right, base judged, base right): "blind" counts the verdicts on
# blind-part findings that the measured run (REVIEW_RUN, the code as released) still raises;
# "base" counts the verdicts on what the code raised before any tuning on real news
# (REVIEW_BASE, both parts). The counts are a generated data file (REAL_NEWS_FILE, written by
# ``python scripts/review_sample.py table --write``); a test fails when it drifts from the review
# files.
REVIEW_FILE = "tests/data/review/real_news.tsv"
REVIEW_RUN = "tests/data/review/run_blind.tsv"
REVIEW_BASE = "9f984f3"
STABLE_PRECISION = 0.9
STABLE_LOWER_BOUND = 0.8
REAL_NEWS_FILE = "real_news.json"


def _real_news() -> Mapping[str, tuple[int, int, int, int]]:
    data = _data_file(REAL_NEWS_FILE)["codes"]
    return MappingProxyType(
        {str(k): (int(a), int(b), int(c), int(d)) for k, (a, b, c, d) in data.items()}
    )


_REAL_NEWS = _real_news()


def wilson_lower_bound(right: int, judged: int) -> float:
    """Lower end of the 95 % Wilson score interval (0 when nothing was judged)."""
    if judged <= 0 or right <= 0:
        return 0.0
    z = 1.959963984540054
    p = right / judged
    denom = 1 + z * z / judged
    centre = (p + z * z / (2 * judged)) / denom
    half = z * math.sqrt(p * (1 - p) / judged + z * z / (4 * judged * judged)) / denom
    return max(0.0, centre - half)


def real_news_precision(code: str) -> tuple[int, int, int, int]:
    """(blind judged, blind right, base judged, base right) for ``code``; zeros when unjudged."""
    return _REAL_NEWS.get(code, (0, 0, 0, 0))


def meets_stable_bar(code: str) -> bool:
    """True when the rule's blind real-news precision is >= 0.9 with a lower bound >= 0.8."""
    judged, right, _, _ = real_news_precision(code)
    return (
        judged > 0
        and right / judged >= STABLE_PRECISION
        and wilson_lower_bound(right, judged) >= STABLE_LOWER_BOUND
    )


def _real_news_text(code: str, status: str) -> str:
    judged, right, base_judged, base_right = real_news_precision(code)
    how = (
        "Real-news precision is judged by hand: findings on text nobody here wrote (news "
        "articles, EUvsDisinfo case texts, debate sentences), each marked right or wrong, with a "
        "blind half of the documents kept for this figure (`newslint eval precision "
        f"{REVIEW_FILE} --split blind --findings {REVIEW_RUN}`). "
    )
    if judged == 0:
        figure = "**Real-news precision: not measured** (no blind finding judged)."
    else:
        low = wilson_lower_bound(right, judged)
        figure = (
            f"**Real-news precision: {right / judged:.2f}** ({right} right of {judged} blind "
            f"judgements, 95 % interval from {low:.2f})."
        )
    if base_judged:
        figure += (
            f" Before tuning on real news (commit {REVIEW_BASE}): {base_right} right of "
            f"{base_judged}."
        )
    if status == "preview":
        figure += (
            " Preview rule: a rule becomes stable only at a blind precision of at least "
            f"{STABLE_PRECISION} with a lower bound of at least {STABLE_LOWER_BOUND}; until then "
            "it runs only with `--preview` (or `preview = true`) or when selected by its code."
        )
    return how + figure


# Operating points: per rule, the lowest score shown by default and how it was chosen. A generated
# data file (``scripts/operating_points.py --write``), not code: measurements live apart from the
# table of codes.
OPERATING_POINTS_FILE = "operating_points.json"


def _operating_points() -> Mapping[str, Mapping[str, Any]]:
    data = _data_file(OPERATING_POINTS_FILE)
    return MappingProxyType({str(k): MappingProxyType(v) for k, v in data["rules"].items()})


OPERATING_POINTS = _operating_points()


def _operating_point_text(code: str) -> str:
    op = OPERATING_POINTS.get(code)
    if not op or not op.get("how"):
        return ""
    return f"**Operating point.** {op['how']}"


def _with_real_news(rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
    """The rules with their operating point and real-news precision added."""
    out = []
    for r in rules:
        op = OPERATING_POINTS.get(r.code, {})
        stable_from = op.get("stable_from")
        status: Status = "stable" if stable_from is not None else "preview"
        measured = f"{r.measured}\n\n{_real_news_text(r.code, status)}"
        extra = _operating_point_text(r.code)
        out.append(
            replace(
                r,
                status=status,
                measured=f"{measured}\n\n{extra}" if extra else measured,
                stable_from=None if stable_from is None else float(stable_from),
                max_per_1000_words=op.get("max_per_1000_words"),
            )
        )
    return tuple(out)


RULES: tuple[Rule, ...] = (
    # --- attribution -------------------------------------------------------------------
    Rule(
        "A101",
        "unnamed-source",
        "attribution",
        "stable",
        "0.1.0",
        "A claim is credited to sources that are not named.",
        'Phrases such as "according to sources", "sources say", "a source close to the '
        'ministry" or "insiders claim" that carry a statement without saying who said it.',
        "A reader cannot judge a source that is not named, and a writer can put any claim "
        "behind one. Proper attribution names the person or the document, their role, and "
        "when they said it.",
        "> The deal is already signed, *according to sources* in the capital.\n\n"
        "Better: *according to Deputy Minister Ana Lind, speaking to reporters on 3 May*.",
        "Rule-based patterns over spaCy tags and entities (`newslint.nlp.attributions`). "
        "`python scripts/eval_attribution.py` scores the project's own sentences: "
        "`tests/data/attribution_sentences.tsv` (268 sentences, 104 vague / 164 sourced or "
        "none, split into dev and test halves by alternating row pairs) and "
        "`tests/data/attribution_sentences_blind.tsv` (70 sentences, 40 vague), written after "
        "the patterns were first frozen. Detection of any A-code on the blind set, measured "
        "once before it was used for fixes: precision 0.95, recall 0.93, F1 0.94, right code "
        "on 0.93 of the vague sentences; A101 precision/recall 1.00/1.00 (8 sentences). After "
        "the fixes, dev, test and blind all score 1.00, which says more about the author "
        "writing both the rules and the sentences than about real text. On real news "
        "(Propaganda Techniques Corpus training articles, shuffled with seed 7; "
        "`python scripts/eval_attribution.py --spotcheck ../shared/data/ptc/train-articles "
        "--start 40 --count 40`, and `--start 80`), findings judged by hand were right in "
        "32 of 38 (0.84, before fixes) and 24 of 31 (0.77, untouched) cases; pooled A101 "
        "precision 10/10. Recall on real articles has not been measured.",
    ),
    Rule(
        "A102",
        "vague-report",
        "attribution",
        "preview",
        "0.1.0",
        'A claim rests on unspecified reports or on what is "widely believed".',
        'Impersonal or passive constructions such as "reports indicate", "it is reported '
        'that", "it is widely believed", "many say" or "it has been claimed".',
        "These wordings present a claim as established while hiding who made it, so the claim "
        "cannot be traced or checked.",
        "> *Reports indicate* that the factory was closed for safety reasons.\n\n"
        "Better: name the report (publisher, title, date) or the person.",
        "Same sets and commands as A101. Blind set before fixes: precision/recall "
        "0.88/0.88 (8 sentences); hand-judged precision on real articles: 9/12.",
    ),
    Rule(
        "A103",
        "unnamed-authority",
        "attribution",
        "preview",
        "0.1.0",
        "A claim is credited to experts, officials or analysts who are not named.",
        '"Experts argue", "analysts say", "officials warned", "scientists believe" '
        "with no name, institution or study attached.",
        "Borrowing the weight of expertise without a checkable expert is a common way to make a "
        "contested view look settled (see also P110 appeal-to-authority).",
        "> *Legal experts argue* that the treaty is void.\n\n"
        "Better: *Prof. Mara Okoye (University of Lagos) argues...*, with the publication.",
        "Same sets and commands as A101. Blind set before fixes: precision/recall "
        "1.00/1.00 (8 sentences); hand-judged precision on real articles: 10/15.",
    ),
    Rule(
        "A104",
        "unsourced-hedge",
        "attribution",
        "preview",
        "0.1.0",
        "A hedge word carries a claim without any source.",
        '"Reportedly", "allegedly", "supposedly", "rumoured", "is said to" used on a '
        "factual statement in a sentence that names no source.",
        "The hedge signals that someone else claimed it, but not who; the claim still reaches "
        "the reader as information.",
        "> The minister *reportedly* owns three villas abroad.",
        "Same sets and commands as A101. Blind set before fixes: precision/recall "
        "1.00/1.00 (8 sentences); hand-judged precision on real articles: 21/23.",
    ),
    Rule(
        "A105",
        "group-attribution",
        "attribution",
        "preview",
        "0.1.0",
        "A claim is credited to a whole group, country or side rather than a person or document.",
        '"According to Ukrainian sources", "Western media claim", "Russian officials say", '
        '"local residents report" when no member or document is named.',
        "A group cannot be asked what it said; such attributions often cover figures that no "
        "member of the group actually published.",
        "> Losses exceed 20,000, *according to Western sources*.\n\n"
        "Better: the named ministry, agency or outlet, with the date of its statement.",
        "Same sets and commands as A101. Blind set before fixes: precision/recall "
        "0.86/0.75 (8 sentences); hand-judged precision on real articles: 6/9.",
    ),
    # --- claims ------------------------------------------------------------------------
    Rule(
        "C101",
        "check-worthy-claim",
        "claim",
        "preview",
        "0.1.0",
        "A factual statement worth checking, scored, ranked and taken apart.",
        "Sentences that assert something checkable: a figure, an event, a date, a record, what a "
        "person or body did or said. Each finding has a calibrated check-worthiness score, a "
        "rank within the article and the claim's anatomy: quantities (value, range, unit, "
        "qualifier such as *over* or *about*), the time it refers to, places, other entities, "
        "the speaker when the sentence is quoted or reported speech, and the claimant (the "
        'author, a named source, or a vague or group source). Opinions ("I think the plan is '
        'unfair"), predictions ("prices will fall next year") and rhetorical questions '
        '("who could believe that?") are not factual claims: the model is trained to score '
        "them low, and fragments without a verb (datelines, headings) are never reported.",
        "Fact-checkers start from the statements that can be checked and matter; ranking them "
        "and splitting out the figures, dates and sources saves the first part of every check "
        "and shows which claims rest on a source the reader cannot identify.",
        "> Exports of grain fell by *31 percent in 2023*, the farm ministry said.\n\n"
        "Anatomy: quantity 31 percent; time 2023; claimant *the farm ministry* (not the "
        "author).",
        "A one-hidden-layer network over the shared MiniLM sentence embedding and 32 lexical "
        "features, stacked with a TF-IDF n-gram logistic regression and Platt-calibrated; "
        "trained on CheckThat! 2024 English train (US election debates, research use). On a "
        "10 % validation split of that train set: F1 0.727 (P 0.692, R 0.765) at the threshold "
        "chosen there (0.33); on CheckThat! 2024 English dev, never used for training or "
        "choices: F1 0.873 (P 0.827, R 0.924). `newslint eval checkworthy FILE.tsv` prints the "
        "F1 of the positive class. Anatomy: 0.99 field-level accuracy on the project's own 119 "
        "labelled sentences (`python scripts/eval_claim_anatomy.py`). See "
        "`detectors/models/claims/MODEL_CARD.md`.",
    ),
    # --- contradiction -----------------------------------------------------------------
    Rule(
        "X101",
        "quantity-contradicts-reference",
        "contradiction",
        "preview",
        "0.1.0",
        "A figure conflicts with a reference fact in the knowledge base.",
        "A quantity about the same thing, place and period as a reference fact (a fact keyword "
        "in the sentence, the same unit, the same kind of count: deaths, injured or losses of "
        "civilians, of everyone, or of one side's forces; the fact's place named nearby), where "
        'the figure read with its qualifier ("over", "about", "up to", "nearly") '
        "misses the reference by more than 25%. Verified minimums (`:min` facts) are "
        "contradicted only by lower figures. Also flagged: a sum of money that equals a "
        "multi-year total but is presented as the money for one short event inside that period.",
        "Inflated or shrunken numbers are among the most repeated distortions. The message gives "
        "the reference figure, who published it and, when the claim fits another measure (all "
        "deaths rather than civilian deaths), says so; the evidence links the source.",
        "> The war in Donbas killed *over 14,000 civilians* between 2014 and 2021.\n\n"
        'The UN monitors counted 3,404 civilians among 14,200-14,400 deaths in all; "over '
        '14,000 people" or "about 14,000 people" would not be flagged.',
        _KB_EVAL + "precision 1.00 (4/4), recall 1.00; 0 false positives on the 30 "
        "negative cases, which include figures the sources support.",
    ),
    Rule(
        "X102",
        "date-contradicts-reference",
        "contradiction",
        "preview",
        "0.1.0",
        "A date given for a known event conflicts with the reference date.",
        "An event from the knowledge base, named by a distinctive alias, with a date attached "
        'to it ("the 1994 Budapest Memorandum", "Minsk II, signed in 2017") whose year '
        "differs from the reference, when no other event of the same name fits the date and "
        "(for one-word aliases) a party of the event is named nearby.",
        "Wrong dates move causes after their effects and make timelines misleading.",
        "> The Budapest Memorandum, *signed in 1997*, ...\n\nThe reference gives 5 December 1994.",
        _KB_EVAL + "precision 1.00 (2/2), recall 0.67.",
    ),
    Rule(
        "X103",
        "role-contradicts-reference",
        "contradiction",
        "preview",
        "0.1.0",
        "A claim about someone's office or its term conflicts with the reference.",
        "Statements that a person's mandate or term expired, lapsed or ran out, when a reference "
        "fact (`measure: office-term:<entity>`) says the term continues, e.g. Ukraine's "
        "constitution (Art. 108) and martial-law statute (Art. 19). Negated or conditional "
        'wording ("would have ended", "has not expired") and sentences that call the '
        "claim false are not flagged; claims reported from others score lower.",
        "Claims of illegitimacy often rest on a misstatement of term rules.",
        "> Zelensky's *mandate expired* in May 2024.\n\nUnder martial law no election can be held "
        "and the president serves until a successor takes office.",
        _KB_EVAL + "precision 1.00 (2/2), recall 1.00.",
    ),
    Rule(
        "X104",
        "claimant-mismatch",
        "contradiction",
        "preview",
        "0.1.0",
        "A figure is credited to a source that does not publish it.",
        'A quantity attributed ("according to Ukrainian sources", "according to Kyiv") to a '
        "party whose own published figures (facts with a `reported:` measure naming that party "
        "among their claimants) are more than 25% below it. A party's own figures are used only "
        "for this check, never to call a figure wrong.",
        "Putting a number in an opponent's mouth makes it look like an admission.",
        "> Kyiv's own officials admit that *two million troops* have been lost.\n\n"
        "Ukraine's own figures were 31,000 killed (Feb 2024) and 43,000 killed and 370,000 "
        "wounded (Dec 2024).",
        _KB_EVAL + "precision 1.00 (1/1), recall 0.50.",
    ),
    # --- fact-checks and narratives -----------------------------------------------------
    Rule(
        "F101",
        "matches-fact-check",
        "fact-check",
        "preview",
        "0.1.0",
        "The statement matches a claim that has already been fact-checked.",
        "Sentences whose meaning is close to a ClaimReview record in the knowledge base "
        "(retrieval with the shared encoder plus re-ranking). The finding gives the rating, "
        "the reviewer, the date and the link.",
        "Reusing an earlier check is the fastest way to verify a repeated claim.",
        "> A claim that matches a reviewed claim rated *False* by a fact-checker.",
        "`newslint eval claim-retrieval` (CheckThat! 2020 task 2 English, models fitted on "
        "train, 197 dev tweets against 10,375 verified claims): hybrid MAP@5 0.852 (MAP@1 "
        "0.777, MRR 0.858) against 0.763 for plain BM25 and 0.818 for the encoder alone. The "
        "11-feature ranking model reaches 0.880 MAP@5 in 5-fold cross-validation on train "
        "(0.863 with the three absolute features alone), but dev stays where the earlier "
        "three-feature model was (0.853): below the 0.93 of the best 2020 systems, which "
        "fine-tuned BERT-size re-rankers; here the shared MiniLM encoder is used as is, and 16 "
        "of the 44 dev top-1 misses are textual duplicates of the gold claim. At the tweet "
        "threshold (0.45, chosen on train for 0.8 precision) 42% of dev tweets get their "
        "correct fact-check and 14% of tweets whose fact-check is removed from the collection "
        "still match a near-duplicate check. `scripts/train_factcheck_ranker.py`, "
        "`knowledge/models/MODEL_CARD.md`.\n\n"
        "On news sentences the detector uses its own threshold (`news_threshold` 0.63 in "
        "`factcheck_ranker.json`, the lowest reaching 0.95 precision on the tuning set). "
        "`python scripts/eval_factcheck_news.py` against the 63 EUvsDisinfo records of the "
        "packaged starter pack, on sentences written for newslint (a firing counts as correct "
        "only when it names an accepted record): tuning set "
        "(`tests/data/factcheck_sentences.tsv`, 32 paraphrases of checked claims, 33 neutral or "
        "accurate war-reporting sentences) precision 0.96 (24/25), recall 0.75, against 0.87 / "
        "0.84 at the former tweet threshold 0.47 (now 0.45); a blind set written after the "
        "choice and scored once "
        "(`--cases tests/data/factcheck_sentences_blind.tsv`, 12 + 12) precision 1.00 (4/4), "
        "recall 0.33, against 0.86 / 0.50 at 0.47. Loose paraphrases and long sentences that "
        "wrap a claim in other clauses are often missed; sentences that rebut a checked claim "
        'on the same topic ("the UN declared the Crimea vote invalid") are the usual false '
        "alarms. A stance head (EUvsDisinfo summaries assert, disproofs rebut; "
        "`scripts/train_stance.py`) marks each match with its rebut probability and drops "
        "none: at 0.64 (best on the review tune split: 3 of 11 wrong removed, 0 of 11 right "
        "lost; blind 4 of 11, 0 of 11) plain assertions of a checked claim were dropped too.",
    ),
    Rule(
        "N101",
        "echoes-narrative",
        "narrative",
        "preview",
        "0.1.0",
        "The passage echoes a known disinformation narrative.",
        "Passages close in meaning to a catalogued narrative (EUvsDisinfo, VoxCheck and the "
        "project's own narrative pack), with the narrative's name, why it misleads and sources.",
        "Narratives are reused across thousands of articles; naming the pattern lets a reader "
        "find the existing debunks.",
        "> A passage presenting a popular uprising as a coup staged from abroad.",
        "`newslint eval narratives` (VoxCheck cases, 13 narratives; an encoder-vector head "
        "and a TF-IDF word + character n-gram head fitted on the knowledge-base side), on our "
        "own 80/20 stratified split of the training file (seed 13, 85 held-out cases): "
        "accuracy 0.66, macro-F1 0.62 (five seeds: accuracy 0.62-0.75, mean 0.69; macro-F1 "
        "mean 0.64), below the 0.80 target; the "
        'narratives overlap ("Russia is not an aggressor" / "Russia needs to protect itself" '
        '/ "Ukraine is conducting an aggressive policy"). Firing threshold (similarity 0.49): '
        "0.6% of 1,181 ordinary sentences and none of 20 neutral war-reporting sentences fire "
        "against the starter pack; 94% of held-out VoxCheck cases fire, 53% with the right "
        "narrative. `scripts/tune_narrative_detector.py`. On news text the detector fires "
        "with stricter news settings (similarity 0.57; sentences that reject a claim, e.g. "
        '"no evidence", "debunked", skipped), chosen on 148 news-style war sentences written '
        "for the project (74 echoes of the starter pack's 18 narratives, 74 neutral or "
        "rebutting, hard negatives): precision 0.95, recall 0.77, right narrative 0.98 of "
        "true positives (the VoxCheck threshold alone: precision 0.73, recall 0.91). Blind "
        "set, scored once (22 + 22): precision 1.00, recall 0.86, right narrative 1.00 "
        "(VoxCheck threshold: 0.88 / 0.95). A best-minus-mean-of-all-narratives margin and "
        "skipping headlines did not help and are off; Maidan-coup paraphrases score low "
        "(recall 0/4 on the tuning set). `scripts/eval_narrative_news.py`. A stance head "
        "(EUvsDisinfo summaries assert, disproofs rebut; `scripts/train_stance.py`) skips "
        "sentences it calls rebuttals (probability >= 0.78, chosen on the review tune split): "
        "judged EUvsDisinfo findings, tune 10 of 52 wrong removed, 1 of 40 right lost; blind "
        "19 of 65 wrong removed, 1 of 36 right lost.",
    ),
    # --- temporal ----------------------------------------------------------------------
    Rule(
        "T101",
        "event-after-publication",
        "temporal",
        "preview",
        "0.1.0",
        "The article describes an event that happened after its own publication date.",
        "Explicit dates later than the publication date whose nearest verb is in a past tense, "
        "and known events from the knowledge base (named by a distinctive alias, with a party "
        "named nearby, not shared with an earlier event) that took place after publication. "
        'Sentences about the future ("will", "next", "planned") are skipped. Without a '
        "publication date (from the CLI, metadata or the article's header) nothing is flagged.",
        "An article that reports the future as past has been edited later, mis-dated or "
        "fabricated.",
        "> A piece dated 26 October 2024 that mentions Trump and Putin meeting at a *summit in "
        "Alaska* (held 15 August 2025).",
        _KB_EVAL + "precision 1.00 (3/3), recall 0.75.",
    ),
    Rule(
        "T102",
        "role-anachronism",
        "temporal",
        "preview",
        "0.1.0",
        "A role title does not fit the person at the article's date.",
        '"Former <title> X" when X held that office on the publication date (or only took it '
        'later), and "<title> X" for someone who had left or not yet taken it, per the entity '
        'roles in the knowledge base. "Then-", "the late", a date or an event from X\'s '
        "time in office in the same sentence mark a historical reference and are not flagged. "
        "Needs a publication date.",
        "Wrong titles reveal recycled or mis-dated text.",
        "> *Former President Volodymyr Zelensky* said... (in an article dated 2024, while he "
        "was in office).",
        _KB_EVAL + "precision 1.00 (4/4), recall 1.00.",
    ),
    Rule(
        "T103",
        "date-arithmetic",
        "temporal",
        "preview",
        "0.1.0",
        "A stated duration or age does not match the dates given.",
        '"N years after/since YEAR" whose sum misses another year in the same sentence (or, '
        'in present-tense sentences, the publication year) by more than one; "N years later" '
        'between two stated years; "YEAR, N years ago" against the publication year.',
        "Arithmetic slips are a cheap signal of careless or machine-assembled text.",
        "> *Ten years after the 2014* revolution, in 2019, ...",
        _KB_EVAL + "precision 1.00 (2/2), recall 1.00.",
    ),
    # --- spelling ----------------------------------------------------------------------
    Rule(
        "S101",
        "misspelled-entity",
        "spelling",
        "preview",
        "0.1.0",
        "A known name is misspelled.",
        'Known misspellings listed for an entity ("Dombas" for Donbas), and capitalised proper '
        "nouns one edit (two for names of nine letters or more) from an accepted name with the "
        "same first letter, that are not accepted forms of any entity, not derived words "
        '("Crimean") and not preceded by a first name foreign to the entity. Accepted variants '
        "and transliterations (Zelenskyy, Zelensky, Zelenskiy, Zelenski; Kyiv, Kiev) are never "
        "flagged.",
        "Misspelled names make text unsearchable and often mark hastily produced content.",
        "> Fighting continued in *Dombas*. (Known name: Donbas.)",
        _KB_EVAL + "precision 1.00 (4/4), recall 1.00; none of the 5 sentences with accepted "
        "variants was flagged.",
    ),
    # --- persuasion techniques (SemEval-2020 Task 11) -----------------------------------
    _technique(
        "P101",
        "loaded-language",
        "Loaded_Language",
        "Words chosen for their emotional charge rather than their content.",
        "Strong emotional words make the reader feel before they think.",
        "> The *brutal*, *shameless* plan will *devastate* honest families.",
    ),
    _technique(
        "P102",
        "name-calling",
        "Name_Calling,Labeling",
        "A label attached to a person or group to make the audience fear, hate or admire them.",
        "A label stands in for an argument and sticks to its target.",
        "> The *career bureaucrats* in the capital want your savings.",
    ),
    _technique(
        "P103",
        "repetition",
        "Repetition",
        "The same message repeated so that it is accepted.",
        "Familiarity breeds belief: repeated statements feel truer.",
        "> Strong borders. Safe towns. Strong borders, safe towns.",
    ),
    _technique(
        "P104",
        "exaggeration-minimisation",
        "Exaggeration,Minimisation",
        "Something made bigger or smaller than it is.",
        "Distorted scale changes what a reader thinks is at stake.",
        "> This is *the greatest disaster in history*. / It was *just a minor scuffle*.",
    ),
    _technique(
        "P105",
        "doubt",
        "Doubt",
        "Questioning someone's or something's credibility without support.",
        "Doubt is cheap to raise and costly to dispel.",
        "> Can we *really trust* an agency that has been wrong before?",
    ),
    _technique(
        "P106",
        "appeal-to-fear",
        "Appeal_to_fear-prejudice",
        "Support sought by instilling anxiety or playing on prejudice.",
        "Fear narrows attention and makes drastic options look reasonable.",
        "> If this passes, *your children will not be safe in their own schools*.",
    ),
    _technique(
        "P107",
        "flag-waving",
        "Flag-Waving",
        "Appeal to group pride or identity to justify an idea.",
        "It turns disagreement into disloyalty.",
        "> *Every true patriot* knows we must support this.",
    ),
    _technique(
        "P108",
        "causal-oversimplification",
        "Causal_Oversimplification",
        "One cause given for an outcome that has many.",
        "A single culprit is easier to believe and to blame.",
        "> Prices rose *because of the new mayor*, and for no other reason.",
    ),
    _technique(
        "P109",
        "slogans",
        "Slogans",
        "A brief, striking phrase standing in for an argument.",
        "Slogans are easy to repeat and hard to argue with.",
        "> *Our land, our rules!*",
    ),
    _technique(
        "P110",
        "appeal-to-authority",
        "Appeal_to_Authority",
        "A claim taken as true because an authority said it.",
        "Authority substitutes for evidence, especially when the authority is vague (see A103).",
        "> *Top scientists agree* this is the only way forward.",
    ),
    _technique(
        "P111",
        "black-and-white-fallacy",
        "Black-and-White_Fallacy",
        "Two options presented as the only ones.",
        "A false dilemma hides the middle ground and forces a choice.",
        "> *Either we close every border, or we lose the country.*",
    ),
    _technique(
        "P112",
        "thought-terminating-cliche",
        "Thought-terminating_Cliches",
        "A stock phrase that discourages further thought.",
        "It ends the discussion instead of answering it.",
        "> *It is what it is.* *That's just how things are done.*",
    ),
    _technique(
        "P113",
        "whataboutism-straw-man-red-herring",
        "Whataboutism,Straw_Men,Red_Herring",
        "An argument deflected: to the opponent's hypocrisy, to a distorted version of it, or to "
        "an irrelevant topic.",
        "The original question is never answered.",
        "> *And what about their own record?* Why focus on us?",
    ),
    _technique(
        "P114",
        "bandwagon-reductio-ad-hitlerum",
        "Bandwagon,Reductio_ad_hitlerum",
        "Join-the-crowd appeals, or rejecting an idea because a hated group favours it.",
        "Social proof and guilt by association both bypass the argument itself.",
        "> *Everyone is already switching.* / *That is exactly what the dictators did.*",
    ),
)
RULES = _with_real_news(RULES)


TECHNIQUE_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "Loaded_Language": "P101",
        "Name_Calling,Labeling": "P102",
        "Repetition": "P103",
        "Exaggeration,Minimisation": "P104",
        "Doubt": "P105",
        "Appeal_to_fear-prejudice": "P106",
        "Flag-Waving": "P107",
        "Causal_Oversimplification": "P108",
        "Slogans": "P109",
        "Appeal_to_Authority": "P110",
        "Black-and-White_Fallacy": "P111",
        "Thought-terminating_Cliches": "P112",
        "Whataboutism,Straw_Men,Red_Herring": "P113",
        "Bandwagon,Reductio_ad_hitlerum": "P114",
    }
)

_BY_CODE: Mapping[str, Rule] = MappingProxyType({r.code: r for r in RULES})


def rule(code: str) -> Rule:
    """The rule for ``code``; raises ``KeyError`` for an unknown code."""
    try:
        return _BY_CODE[code]
    except KeyError:
        raise KeyError(f"unknown rule code {code!r}") from None


def find_rule(code_or_name: str) -> Rule | None:
    """Look a rule up by code (case-insensitive) or by its slug."""
    key = code_or_name.strip()
    r = _BY_CODE.get(key.upper())
    if r is not None:
        return r
    for candidate in RULES:
        if candidate.name == key.lower():
            return candidate
    return None


def all_codes() -> tuple[str, ...]:
    return tuple(r.code for r in RULES)


def unknown_prefixes(prefixes: tuple[str, ...]) -> tuple[str, ...]:
    """The prefixes (``ALL`` aside) that match no rule code."""
    codes = all_codes()
    return tuple(p for p in prefixes if p != "ALL" and not any(c.startswith(p) for c in codes))


def check_code_prefixes(**named: tuple[str, ...]) -> None:
    """Raise ``UsageError`` naming every option whose prefixes match no rule."""
    from newslint.errors import UsageError

    problems = []
    for option, prefixes in named.items():
        bad = unknown_prefixes(prefixes)
        if bad:
            flag = "--" + option.replace("_", "-")
            problems.append(f"{flag} {','.join(bad)}")
    if problems:
        raise UsageError(
            f"no rule matches {'; '.join(problems)} (see 'newslint rules' for the codes)"
        )
