"""Claim extraction: one parametrized table per rule, the seed articles, and the BASIL gold set."""

from __future__ import annotations

import importlib.util
import random
import string
from pathlib import Path

import pytest

from claimcheck.extract import (
    DEFAULT_MIN_CHECKWORTHINESS,
    EXTRACTOR_VERSION,
    Extractor,
    extract_claims,
)
from claimcheck.facts import normalise_date
from claimcheck.ingest import make_document
from claimcheck.types import Claim, Document

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    """One extractor (one spaCy load) for the whole module; keeps every claim."""
    return Extractor(min_checkworthiness=0.0)


def doc(text: str, published: str | None = None) -> Document:
    return make_document(text, "test", "test", published=published)


def claims(extractor: Extractor, text: str, published: str | None = None) -> list[Claim]:
    return extractor.extract(doc(text, published))


def find(found: list[Claim], prefix: str) -> Claim:
    """The claim whose text or original starts with `prefix` (case-insensitive)."""
    for claim in found:
        if claim.text.lower().startswith(prefix.lower()) or claim.original.lower().startswith(
            prefix.lower()
        ):
            return claim
    raise AssertionError(f"no claim starts with {prefix!r}: {[c.text for c in found]}")


# --- sentence splitting --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "n_sentences"),
    [
        (
            "Dr. Smith met U.S. officials on Jan. 5 in Washington. The officials discussed trade tariffs.",
            2,
        ),
        (
            "“We won the first round. We will win the second round too,” Smith said. The crowd cheered loudly at the rally.",
            2,
        ),
        (
            "The army is advancing on the city… and it will not stop before the spring, Jones said.",
            1,
        ),
        (
            "The bridge was closed for repairs last week\nOfficials reopened the bridge on Friday morning.",
            2,
        ),
        ("Markets Rally As Rates Fall\n\nStocks rose 3 percent on Monday in New York trading.", 2),
    ],
)
def test_sentences(extractor: Extractor, text: str, n_sentences: int) -> None:
    found = claims(extractor, text)
    assert len({c.sentence for c in found}) == n_sentences, [c.sentence for c in found]
    for claim in found:
        assert claim.sentence.count("“") == claim.sentence.count("”")


def test_headline_not_glued(extractor: Extractor) -> None:
    found = claims(
        extractor,
        "Markets Rally As Rates Fall\n\nStocks rose 3 percent on Monday in New York trading.",
    )
    assert all(not ("Fall" in c.sentence and "Stocks" in c.sentence) for c in found)


# --- what is not a claim -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "forbidden", "kept"),
    [
        (
            "Photo: AFP/Getty ImagesThe president signed the spending bill on Monday.",
            "Getty",
            "The president signed",
        ),
        (
            "By John Smith\n\nThe company cut 500 jobs in March, its filing shows.",
            "John Smith",
            "The company cut",
        ),
        (
            "Did the government raise taxes last year? The government raised taxes by 2 percent.",
            "Did the",
            "The government raised",
        ),
        (
            "Sign up for our newsletter to get the latest news.\nThe mayor resigned on Tuesday.",
            "Sign up",
            "The mayor resigned",
        ),
        (
            "WASHINGTON (Reuters) - The Senate passed the budget bill on Tuesday.",
            "Reuters",
            "The Senate passed",
        ),
        (
            "KYIV, Ukraine, March 11 (AFP) - An explosion at a chemical plant killed seven workers on Tuesday.",
            "AFP",
            "An explosion at",
        ),
        (
            "NEW YORK, N.Y., Monday, March 11 (AP) - The Senate passed the budget bill on Monday.",
            "N.Y.",
            "The Senate passed",
        ),
        (
            "BEIJING, China, 2024-03-11 (Xinhua) -- China cut its growth target to 4.5 percent on Monday.",
            "Xinhua",
            "China cut its",
        ),
        (
            "“Tell me who you are,” the congressman said. The video was posted online on Monday.",
            "Tell me",
            "The video was",
        ),
        # Publishing notices: agency copy carries them into every outlet that prints it.
        (
            ("The port handled 2.4 million containers last year.\nCopyright 2024 The Associated Press. All rights "
             "reserved. This material may not be published, broadcast, rewritten or redistributed."),
            "Associated Press",
            "The port handled",
        ),
        (
            ("The port handled 2.4 million containers last year.\nThis material may not be published, broadcast, "
             "rewritten or redistributed."),
            "material",
            "The port handled",
        ),
        (
            "The port handled 2.4 million containers last year. The Associated Press contributed to this report.",
            "contributed",
            "The port handled",
        ),
        (
            "The port handled 2.4 million containers last year.\nAdditional reporting by Tom Brown in London.",
            "Tom Brown",
            "The port handled",
        ),
        (
            "The port handled 2.4 million containers last year.\nRelated: Oil prices slip on demand worries.",
            "Oil prices",
            "The port handled",
        ),
        (
            ("The port handled 2.4 million containers. If you value our coverage, please consider becoming a "
             "supporter for $5 a month."),
            "supporter",
            "The port handled",
        ),
        (
            "The port handled 2.4 million containers.\nContact our newsroom on 01632 960 412 or email the desk.",
            "newsroom",
            "The port handled",
        ),
        # The credit under a pull quote, an appeal, an embedded post's signature (QA pass).
        (
            "The company lost $430 million in the quarter.\nDana Whitlock, Brightwave CEO.",
            "Whitlock",
            "The company lost",
        ),
        (
            "Roads near the plant were closed on Tuesday.\nPlease continue to avoid the area.",
            "avoid the area",
            "Roads near the plant",
        ),
        (
            "Nine people died in the blast.\nHarwick Fire Service (@HarwickFire) March 12, 2025.",
            "HarwickFire",
            "Nine people died",
        ),
        (
            "This article was originally published on The Conversation. The port handled 2.4 million containers.",
            "Conversation",
            "The port handled",
        ),
    ],
)
def test_not_claims(extractor: Extractor, text: str, forbidden: str, kept: str) -> None:
    found = claims(extractor, text)
    assert not [c for c in found if forbidden.lower() in c.text.lower()]
    assert find(found, kept)


@pytest.mark.parametrize(
    "text",
    [
        "Facebook changed its privacy policy on Monday after complaints from regulators.",
        "The report may not be published until after the election, officials said.",
        "The article was published in Nature on Monday and found that sea levels rose 20 centimetres.",
        "UPDATE: White House spokesman Eric Schultz said he hoped the disclosure would end the dispute.",
        "CORRECTION: The original brief stated incorrectly that Shlomo Tawil was the director of the centre.",
        # Code review: each of these was dropped by the first version of the notice patterns.
        "Research by the University of Oxford found that 40 percent of workers were affected.",
        "Reporting by the Guardian revealed that the firm paid no tax in 2023.",
        "Copyright lawsuits against AI companies rose sharply last year.",
        "Terms of service changes announced by the company angered users on Monday.",
        "Ukraine's bid to become a member of the European Union was discussed on Thursday.",
        "The judge ruled that the names of the victims may not be published or broadcast until the trial ends.",
        "The fund will support independent journalism in Hungary, its director said.",
        "The kidnappers did not contact us for three days, the family said.",
    ],
)
def test_statements_like_notices_stay(extractor: Extractor, text: str) -> None:
    """Only notices about the publication go: a statement that speaks of a policy, a report or a
    published study is a claim, and so is what an update or a correction says."""
    assert claims(extractor, text)


def test_credit_glued_keeps_span(extractor: Extractor) -> None:
    document = doc("Photo: AFP/Getty ImagesThe president signed the spending bill on Monday.")
    claim = Extractor(0.0).extract(document)[0] if False else extractor.extract(document)[0]
    assert document.text[claim.start : claim.end] == claim.sentence
    assert claim.sentence.startswith("The president")


# --- attribution ---------------------------------------------------------------------------

ASSAD = "Bashar al-Assad met French lawmakers in Damascus on Sunday. "


@pytest.mark.parametrize(
    ("text", "prefix", "speaker", "verb"),
    [
        (
            "“We will continue to attack terrorists…,” Assad said.",
            "We will continue to attack",
            "Assad",
            "said",
        ),
        (
            "Assad said that the army had retaken the city of Aleppo.",
            "The army had retaken",
            "Assad",
            "said",
        ),
        (
            "The army had retaken the city of Aleppo, Assad said.",
            "The army had retaken",
            "Assad",
            "said",
        ),
        (
            "“The army has retaken the city of Aleppo,” said Assad.",
            "The army has retaken",
            "Assad",
            "said",
        ),
        (
            "Smith told reporters that the plant would close in May.",
            "The plant would close",
            "Smith",
            "told",
        ),
        (
            "The economy grew 3 percent last year, according to the Commerce Department.",
            "The economy grew",
            "Commerce Department",
            "according to",
        ),
        (
            "According to the police, three people were injured in the crash.",
            "Three people were injured",
            "police",
            "according to",
        ),
        (
            "The company reported a loss of $2.5 billion in 2019.",
            "The company reported",
            None,
            None,
        ),
        (
            ASSAD
            + 'Damascus is "ready to negotiate" with some 91 armed opposition groups, he was quoted as saying by Syria’s official news agency, SANA.',
            "Damascus is",
            "Assad",
            "was quoted as saying",
        ),
        (
            "Former Mexican President Vicente Fox, who said Mexico will not pay for a border wall, spoke on Thursday.",
            "Mexico will not pay",
            "Vicente Fox",
            "said",
        ),
    ],
)
def test_attribution(
    extractor: Extractor, text: str, prefix: str, speaker: str | None, verb: str | None
) -> None:
    claim = find(claims(extractor, text), prefix)
    if speaker is None:
        assert claim.speaker is None
    else:
        assert claim.speaker is not None and speaker in claim.speaker
    assert claim.verb == verb


def test_a_passive_report_that_names_its_speaker_keeps_it(extractor: Extractor) -> None:
    claim = find(claims(extractor, "Vladimir Putin was reported as saying that the war would end by March."), "The war")
    assert claim.speaker is not None and "Putin" in claim.speaker


@pytest.mark.parametrize(
    "text",
    [
        "The foreign ministry denied that any talks on gas supplies had taken place.",
        "The governor has not confirmed that the bridge will be rebuilt.",
        "The minister falsely claimed that the bridge had been inspected last year.",
        "Transport Minister Arjun Patel denied that he had been warned about the cracks.",
    ],
)
def test_a_report_its_speaker_does_not_assert_stays_whole(extractor: Extractor, text: str) -> None:
    """Taking out "talks had taken place" as the ministry's claim would state what it denies."""
    claim = find(claims(extractor, text), text.split()[0])
    assert claim.text == text and claim.speaker is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('The storm brought winds of 140 km/h to the port of Kelby, "the worst\nin decades", forecasters said.',
         'The storm brought winds of 140 km/h to the port of Kelby, "the worst in decades"'),
        ('The incident occurred after a "long day," Etheridge said.', 'The incident occurred after a "long day"'),
        # a closing mark whose opening one is elsewhere is not "closed" again
        ('Critics faulted Nuland for removing a line from the final draft."', 'Critics faulted Nuland for removing a line from the final draft."'),
        # left open by the source, no attribution cut: not closed by us (review)
        ('The mayor called the budget "a disgrace and vowed to veto it by Friday.',
         'The mayor called the budget "a disgrace and vowed to veto it by Friday.'),
    ],
)
def test_a_quotation_cut_from_its_attribution_keeps_its_closing_mark(extractor: Extractor, text: str,
                                                                      expected: str) -> None:
    assert find(claims(extractor, text), expected[:12]).text == expected


def test_a_name_after_the_port_of_is_a_place_not_the_mayor(extractor: Extractor) -> None:
    """spaCy's small model reads "Kelby" in "the port of Kelby" as a person; "the mayor" in the
    next paragraph must not become Kelby."""
    text = ("The storm brought winds of 140 km/h to the port of Kelby on Tuesday.\n\n"
            'The mayor said the bridge "will reopen in May", officials confirmed.')
    assert find(claims(extractor, text), "The mayor said").text.startswith("The mayor said the bridge")
    # a person's name after "the island of" is still a person (review)
    text = ("Little St. James, the private island of Jeffrey Epstein, was sold in 2023 for $60 million. "
            "He bought the island in 1998 for $7.95 million.")
    assert find(claims(extractor, text), "Jeffrey Epstein bought").text.startswith("Jeffrey Epstein bought the island")


def test_channel(extractor: Extractor) -> None:
    text = (
        ASSAD
        + 'Damascus is "ready to negotiate" with some 91 armed opposition groups, he was quoted as saying by Syria’s official news agency, SANA.'
    )
    claim = find(claims(extractor, text), "Damascus is")
    assert claim.channel is not None and "SANA" in claim.channel
    assert "quoted" not in claim.text and claim.text.startswith("Damascus")


def test_split_quote_keeps_both_halves(extractor: Extractor) -> None:
    found = claims(
        extractor,
        "“The plant will close in May,” Smith said, “and 200 workers will lose their jobs.”",
    )
    assert any("200 workers" in c.text and c.speaker == "Smith" for c in found)
    assert any("plant will close" in c.text and c.speaker == "Smith" for c in found)


def test_added_clause_is_a_second_report(extractor: Extractor) -> None:
    found = claims(
        extractor,
        "“Support has grown,” Assad said, and added that his forces will continue the offensive.",
    )
    assert find(found, "Assad’s forces will continue").speaker == "Assad"


# --- self-contained ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "prefix", "original", "speaker"),
    [
        (
            "Angela Merkel arrived in Paris on Monday. She met the French president at the palace.",
            "Angela Merkel met",
            "She met",
            None,
        ),
        (
            ASSAD + 'Assad also said he was "counting a lot" on the talks in Kazakhstan.',
            "Bashar al-Assad was",
            "He was",
            "Bashar al-Assad",
        ),
        (
            ASSAD + "“We are on the path to victory,” the 51-year-old Syrian leader said.",
            "We are on the path",
            None,
            "Bashar al-Assad",
        ),
        (
            "Bob Etheridge grabbed the camera. “He has lost it,” said Jon Thompson, a Republican spokesman.",
            "Bob Etheridge has lost it",
            "He has lost it",
            "Jon Thompson",
        ),
        (
            ASSAD
            + "“We are winning the war,” Assad said. “The enemy is retreating on every front.”",
            "The enemy is retreating",
            None,
            "Bashar al-Assad",
        ),
        (
            "The text of the resolution welcomes the truce. It also calls for rapid access for aid.",
            "The text of the resolution also calls",
            "It also calls",
            None,
        ),
        (
            "Tea Party groups rejected the resolution on Tuesday. They called it a partisan attack.",
            "Tea Party groups called",
            "They called",
            None,
        ),
        (
            "The council adopted a draft resolution submitted by Russia. The resolution excludes two groups.",
            "The draft resolution submitted by Russia excludes",
            "The resolution excludes",
            None,
        ),
    ],
)
def test_resolution(
    extractor: Extractor, text: str, prefix: str, original: str | None, speaker: str | None
) -> None:
    claim = find(claims(extractor, text), prefix)
    assert claim.text.startswith(prefix)
    if original is not None:
        assert claim.original.startswith(original)
    assert claim.speaker == speaker


# --- atomic claims -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "n_claims"),
    [
        ("The company cut 500 jobs in March, and its shares fell 10 percent in April.", 2),
        ("Prices rose sharply in March, while wages fell slightly in April.", 2),
        ("Unemployment fell to 4 percent; inflation rose to 3 percent.", 2),
        ("The president praised Russia, Iran and Hezbollah for their support.", 1),
        ("The minister visited Paris and met the president on Monday.", 1),
    ],
)
def test_atomic(extractor: Extractor, text: str, n_claims: int) -> None:
    assert len(claims(extractor, text)) == n_claims


# --- structured facts ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("Damascus is ready to negotiate with some 91 armed opposition groups.", 91.0, "groups"),
        ("The company reported a loss of $2.5 billion in the last quarter.", 2.5e9, "USD"),
        ("The economy grew 3.2 percent in the first quarter of the year.", 3.2, "percent"),
        ("Nineteen soldiers were killed in the attack near the border.", 19.0, "soldiers"),
        ("The bank raised rates by 0.5 percentage points on Thursday.", 0.5, "percentage points"),
        ("The plan would create 1.6 million jobs over the next decade.", 1.6e6, "jobs"),
        ("Etheridge, a seven-term House member, apologized on Monday.", 7.0, "term"),
    ],
)
def test_quantities(extractor: Extractor, text: str, value: float, unit: str) -> None:
    quantities = [q for c in claims(extractor, text) for q in c.quantities]
    assert any(q.value == value and q.unit is not None and unit in q.unit for q in quantities), (
        quantities
    )


@pytest.mark.parametrize(
    ("text", "published", "iso"),
    [
        ("December 22, 2016", None, "2016-12-22"),
        ("on January 23", "2017-01-15", "2017-01-23"),
        ("January 23", None, None),
        ("Sunday", "2017-01-10", "2017-01-08"),
        ("last month", "2017-01-10", "2016-12"),
        ("yesterday", "2020-03-01", "2020-02-29"),
        ("March 2015", None, "2015-03"),
        ("2016", None, "2016"),
        ("5 May 2018", None, "2018-05-05"),
        ("two years ago", "2012-04-23", "2010"),
        ("a month ago", "2012-04-23", "2012-03"),
        ("Christmas", "2012-04-23", "2012-12-25"),
        ("December 31", "2017-01-03", "2016-12-31"),
    ],
)
def test_normalise_date(text: str, published: str | None, iso: str | None) -> None:
    assert normalise_date(text, published) == iso


def test_dates_and_entities_on_claims(extractor: Extractor) -> None:
    found = claims(
        extractor, "Syrian President Bashar al-Assad spoke in Damascus on Sunday.", "2017-01-10"
    )
    claim = found[0]
    assert ("Sunday", "2017-01-08") in [(d.text, d.iso) for d in claim.dates]
    assert any(e.label == "PERSON" and "Assad" in e.text for e in claim.entities)


# --- API and the seed articles -------------------------------------------------------------


def test_api_contract(extractor: Extractor) -> None:
    docs = [
        doc("The mayor resigned on Tuesday after a long scandal."),
        doc("Photo: AP"),
        doc("Officials said the bridge would reopen in June."),
    ]
    out = list(extractor.extract_many(docs))
    assert [d for d, _ in out] == docs
    assert out[1][1] == []
    for document, found in out:
        for claim in found:
            assert document.text[claim.start : claim.end] == claim.sentence
            assert claim.doc_id == document.doc_id and claim.source == document.source
            assert 0.0 <= claim.checkworthiness <= 1.0
    assert isinstance(EXTRACTOR_VERSION, str) and EXTRACTOR_VERSION


def test_threshold_drops_low_scores() -> None:
    text = "I love my wonderful family so much. The plant closed in 2019, cutting 300 jobs."
    kept = extract_claims(doc(text), min_checkworthiness=0.5)
    assert all(c.checkworthiness >= 0.5 for c in kept)


@pytest.fixture(scope="module")
def seed_claims(extractor: Extractor) -> dict[str, list[Claim]]:
    out = {}
    for path in sorted((REPO / "seeds").glob("*.txt")):
        out[path.name] = extract_claims(doc(path.read_text(encoding="utf-8").strip()))
    return out


def test_seeds_quotes_and_credits(seed_claims: dict[str, list[Claim]]) -> None:
    for name, found in seed_claims.items():
        assert found, name
        for claim in found:
            assert claim.sentence.count("“") == claim.sentence.count("”"), claim.sentence
            assert claim.sentence.count('"') % 2 == 0, claim.sentence
            assert "Getty" not in claim.text and "Photo:" not in claim.text
            if claim.sentence.lstrip().startswith("“"):
                assert claim.speaker, f"unattributed quotation: {claim.sentence}"


def test_seed_he_resolved(seed_claims: dict[str, list[Claim]]) -> None:
    found = [c for cs in seed_claims.values() for c in cs]
    sana = find(found, "Damascus is")
    assert "Assad" in (sana.speaker or "") and "SANA" in (sana.channel or "")
    counting = find(found, "He was")
    assert counting.text.startswith("Bashar al-Assad was") and "Assad" in (counting.speaker or "")
    leader = find(found, "It is a critical moment")
    assert "Assad" in (leader.speaker or "")


# --- gold precision / recall on BASIL (skips without ../shared/data) -----------------------


def test_basil_gold(shared_data: Path, extractor: Extractor) -> None:
    spec = importlib.util.spec_from_file_location(
        "eval_extract", REPO / "bench" / "eval_extract.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    extractor.min_checkworthiness = DEFAULT_MIN_CHECKWORTHINESS  # the shipped default
    try:
        scores = module.score_gold(extractor, shared_data)
    finally:
        extractor.min_checkworthiness = 0.0
    assert scores["precision"] >= 0.9 and scores["recall"] >= 0.9, scores
    assert scores["not_claim_leaks"] == 0


def test_never_crashes_on_odd_text(extractor: Extractor) -> None:
    rng = random.Random(7)
    alphabet = string.ascii_letters + " .,;:!?\"'“”‘’…-—\n$%0123456789()"
    words = [
        "the",
        "president",
        "said",
        "“",
        "”",
        "he",
        "she",
        "it",
        "was",
        "91",
        "groups",
        "according",
        "to",
        ",",
        ".",
        "and",
        "while",
        ";",
        "Assad",
        "told",
        "reporters",
        "that",
        "on",
        "Sunday",
        "last",
        "month",
        "$",
        "2.5",
        "billion",
        "percent",
    ]
    texts = ["", "\n\n", "“", "Photo: AFP", "“Unclosed quote. And on", "According to", "’s"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 200))) for _ in range(40)]
    texts += [" ".join(rng.choice(words) for _ in range(rng.randint(1, 40))) for _ in range(40)]
    docs = [
        Document(str(i), "t", "t", None, None, "2017-01-10", t, "h") for i, t in enumerate(texts)
    ]
    for document, found in extractor.extract_many(docs):
        for claim in found:
            assert document.text[claim.start : claim.end] == claim.sentence


def test_year_from_article_without_publication_date(extractor: Extractor) -> None:
    text = (
        "The army took Aleppo on December 22, 2016, officials said.\n"
        "Talks between the government and rebels will open in Astana on January 23."
    )
    found = claims(extractor, text)
    isos = [d.iso for c in found for d in c.dates if d.text.endswith("January 23")]
    assert isos == ["2017-01-23"]


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        (
            "“We are winning the war,” Assad said in an interview with the French RTL television station.",
            "RTL",
        ),
        ("“We are winning the war,” Assad said in a televised address on Sunday.", None),
    ],
)
def test_interview_channel(extractor: Extractor, text: str, channel: str | None) -> None:
    claim = find(claims(extractor, text), "We are winning")
    if channel is None:
        assert claim.channel is None
    else:
        assert claim.channel is not None and channel in claim.channel


def test_a_possessive_is_never_a_person(extractor: Extractor) -> None:
    # The small NER model labels "’s Asia" PERSON here; "the president" must not become "s Asia",
    # nor the press secretary named since (another role).
    text = ("Speaking to reporters following the president’s Asia trip on Air Force One, White House "
            "Press Secretary Sarah Sanders cautioned against a rush to judgment.\n\n"
            "“Like most Americans, the president believes we cannot allow a mere allegation to destroy "
            "a person’s life,” Sanders said.")
    quote = find(claims(extractor, text), "Like most Americans")
    assert quote.text.startswith("Like most Americans, the president believes")
    assert quote.speaker == "Sarah Sanders"


def test_the_vice_president_is_not_the_presidents_son(extractor: Extractor) -> None:
    text = ("The messages went from WikiLeaks to the president’s son, Donald Trump Jr., during the campaign.\n\n"
            "“The vice president was never aware of anyone associated with the campaign being in contact "
            "with WikiLeaks,” said Pence press secretary Alyssa Farah.")
    quote = find(claims(extractor, text), "The vice president was never aware")
    assert "Trump" not in quote.text


def test_a_possessive_with_two_candidates_is_left_as_it_is(extractor: Extractor) -> None:
    text = ("Senator Shelley Moore Capito said the talks would go on.\n\n"
            "The Democratic bill received more votes than the bill backed by Mr. Trump, which "
            "included $5.7 billion for his proposed border wall.")
    bill = find(claims(extractor, text), "The Democratic bill")
    assert "Capito" not in bill.text and "his proposed border wall" in bill.text
    alone = find(claims(extractor, "Senator Shelley Moore Capito spoke on Monday.\n\n"
                                   "The bill included $5 billion for his proposed border wall."), "The bill")
    assert "Shelley Moore Capito’s proposed border wall" in alone.text  # one candidate: resolved


def test_a_pronoun_is_not_resolved_to_a_name_the_claim_already_has(extractor: Extractor) -> None:
    text = ("Anthony Weiner said his account was hacked.\n\n"
            "The woman told the New York Daily News that she had never met Weiner.")
    met = find(claims(extractor, text), "She had never met")
    assert met.text == "She had never met Weiner." and met.speaker == "The woman"


def test_she_is_not_a_man_the_article_calls_mr(extractor: Extractor) -> None:
    text = ("At his announcement, Mr. Christie sought political rebirth.\n\n"
            "Later on, the first speaker was booed when she disclosed that she was a Democrat.")
    assert not any("Christie was a Democrat" in c.text for c in claims(extractor, text))
    united = find(claims(extractor, "Ms. Pelosi won the vote.\n\nShe said the party was united."), "The party")
    assert united.speaker == "Pelosi"  # the same gender: resolved as before


def test_she_after_a_mr_stays_she(extractor: Extractor) -> None:
    text = ("Donald J. Trump announced his run in June.\n\n"
            "At his announcement, Mr. Christie sought political rebirth.\n\n"
            "Later on, the first speaker was booed when she disclosed that she was a Democrat.")
    assert not any("Trump was a Democrat" in c.text or "Christie was a Democrat" in c.text
                   for c in claims(extractor, text))


def test_a_relative_clause_after_a_prepositional_phrase_names_the_right_speaker(extractor: Extractor) -> None:
    found = claims(extractor, "The Post found three other women who were teenagers at the time who claimed "
                              "Moore pursued them when he was in his 30s.")
    assert find(found, "Moore pursued them").speaker == "three other women"  # not "the time"
    found = claims(extractor, "Mr. Assad, who said the talks had failed, left the room.")
    assert find(found, "The talks had failed").speaker == "Assad"
    assert find(found, "Mr. Assad").text == "Mr. Assad left the room."  # no comma left from the clause
    found = claims(extractor, "The comments echo those of his successor, Felipe Calderón, who a week ago asserted "
                              "that Mexico will not pay for a border wall.")
    assert find(found, "Mexico will not pay").speaker == "Felipe Calderón"


@pytest.mark.parametrize(("text", "speaker"), [
    ("LIVINGSTON, N.J. — Gov. Chris Christie declared his candidacy on Tuesday, vowing that “I say what I mean.”",
     "Chris Christie"),
    ("BERKELEY HEIGHTS, N.J. — President Trump said on Saturday that conservative voices were being censored.", "Trump"),
])
def test_a_dateline_is_not_the_speaker(extractor: Extractor, text: str, speaker: str) -> None:
    found = claims(extractor, text)
    assert [c.speaker for c in found if c.speaker] and all(c.speaker == speaker for c in found if c.speaker)
    assert all(not c.sentence.startswith(text.split()[0]) for c in found)  # the dateline is not in the sentence


def test_a_short_statement_with_a_figure_is_a_claim(extractor: Extractor) -> None:
    text = ("Police arrested 40 protesters.\nOfficials said 12 people died.\nIt was 5.\n"
            "© 2014 CBS Interactive Inc.\nCristina Kirchner (@CFKArgentina) December 23, 2014")
    texts = [c.text for c in extractor.extract(doc(text))]
    assert texts == ["Police arrested 40 protesters.", "12 people died."]


def test_a_town_the_small_model_calls_a_person_is_not_the_speaker(extractor: Extractor) -> None:
    said = extractor.extract(doc("The storm killed 12 people in Brindle, the mayor said."))
    assert [(c.text, c.speaker) for c in said] == [("The storm killed 12 people in Brindle.", "the mayor")]
    mayor = extractor.extract(doc("Brindle's mayor said 12 people died in the storm."))
    assert [c.speaker for c in mayor] == ["Brindle's mayor"]


def test_a_hard_wrapped_sentence_is_one_claim(extractor: Extractor) -> None:
    # QA pass: "... city centre" / "holds 50,000 fans" gave "The new stadium in the city centre."
    # and "Holds 50,000 fans ..."; "It will open in" / "March 2025" gave nothing.
    text = ("The new stadium in the city centre\nholds 50,000 fans and cost 300 million dollars, the council said.\n"
            "It will open in\nMarch 2025, officials said.\n")
    found = [c.text for c in claims(extractor, text)]
    assert any(c.startswith("The new stadium in the city centre holds 50,000 fans") for c in found), found
    assert any("open in March 2025" in c for c in found), found
    # A heading in title case stays apart from the line under it.
    heading = "5. The App Was Only Added to Apple TV a Few Days Ago\nroku vs. apple tv, best tv dongle\n"
    assert not any("Ago roku" in c.text for c in claims(extractor, heading))


def test_a_line_too_long_for_the_parser_is_cut_at_sentence_ends() -> None:
    # QA pass: a file of one 2.2 MB line stopped the whole build with spaCy's E088 traceback.
    from claimcheck.extract_sentences import MAX_LINE_CHARS, split_lines

    text = "Headline\n\n" + "The port handled 3 million containers last year. " * 5000
    lines = list(split_lines(text))
    assert [line.kind for line in lines] == ["title", "body", "body", "body"]
    assert all(len(line.text) <= MAX_LINE_CHARS for line in lines)
    assert all(text[line.start : line.start + len(line.text)] == line.text for line in lines)
    assert all(line.text.endswith("last year.") for line in lines[1:])
    # Without sentence ends, at a space; without spaces, anywhere.
    for blob in ("word " * 50_000, "x" * 250_000):
        pieces = list(split_lines(blob))
        assert all(len(p.text) <= MAX_LINE_CHARS for p in pieces)
        assert "".join(p.text for p in pieces).replace(" ", "") == blob.replace(" ", "")
