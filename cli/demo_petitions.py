"""The demo year's petitions: matters that citizens bring to the city's agencies, each filed once
or several times, handled by the real ``Petition`` aggregate (every rule enforced), and the
labelled truth of which filings are the same matter.

A *matter* is one grievance with its facts (a decision and a land parcel, a building site, a
noisy workshop, an official's conduct, an allowance). Its petitioner files it at an agency; many
file it again elsewhere within days, or again after being answered (a second-round complaint, or
the same complaint at another agency), or a relative files it for the family. Each filing tells
the same facts in its own words, and some the way people write them: without accents (online),
"P.7, Q.3" for "Phường 7, Quận 3", a mistyped identification number, a long petition quoting the
one before. Other matters are hard the other way: neighbours on the same street complaining of
different things, one person or one family with two different matters, a petition that quotes a
neighbour's about something else. The truth (``Truth``) names every filing's matter and lists
these hard cases, for measuring duplicate detection against (issue 26).

Every draw comes from one seeded ``random.Random``, receipt codes from the desk's seeded
receipts (``domain.petitions.desk.seeded_receipts``) and person ids from the same generator, so a
seed and an end day give the same year. Petitioners are sealed by the application's vault before
an event names them.

The agencies are those of the day (``cli.demo_units``): a matter from 1 July 2025 is in a ward
or commune of the city without districts and goes to its People's Committee, to the Department
of Agriculture and Environment instead of Natural Resources and Environment, to Home Affairs
instead of Labour, Invalids and Social Affairs; a petition still open on that day passes to the
heir of its agency, whose officers take its next steps.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import Any, cast
from uuid import UUID

import orjson

from adapters.database import Database
from cli import demo_petition_corpus as corpus
from cli.common import CliError
from cli.demo_units import DemoUnits
from domain.petitions.law import TERMS, ArchiveGround, NotAcceptedGround, TermName
from domain.petitions.petition import (
    Channel,
    Competence,
    Field,
    Kind,
    Petition,
    Relation,
    Status,
    Verdict,
)
from domain.shared.actors import Actor, Role
from domain.shared.clock import city_date
from domain.shared.personal import Person, SealedPerson
from domain.units.hcmc import REORGANISED_ON

TRUTH_SCHEMA = "thucthi.petitions-truth"
TRUTH_VERSION = 1
DEMO_MATTERS = 250  # ``thucthi demo``'s default
TRUTH_SUFFIX = ".petitions-truth.json"
Seal = Callable[[UUID, Person], SealedPerson]
Moment = Callable[[date, int, int], datetime]


def without_accents(text: str) -> str:
    """The text as typed without diacritics ("Quận 3" → "Quan 3"), case kept."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def add_working_days(day: date, n: int) -> date:
    """``n`` days later counting Monday to Friday only: the demo's plans are made well inside
    or well outside the law's terms, so public holidays need not move them."""
    while n > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def working(day: date) -> date:
    """The day, or the Monday after it if it falls on a weekend."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def reception(agency: str) -> Actor:
    return Actor(f"{agency.lower()}.tiepdan", Role.RECEPTION, agency)


def head(agency: str) -> Actor:
    return Actor(f"{agency.lower()}.thutruong", Role.AGENCY_HEAD, agency)


def officer(agency: str) -> Actor:
    return Actor(f"{agency.lower()}.canbo", Role.DEPARTMENT, agency)


# --- the truth ---------------------------------------------------------------------------------

# The hard cases the truth lists: pairs of filings, of the same matter or not.
SAME_MATTER_CASES = (
    "relatives",
    "mistyped_id",
    "accents_dropped",
    "district_abbreviated",
    "quotes_earlier",
)
OTHER_MATTER_CASES = (
    "same_neighbourhood_different_matter",
    "same_person_different_matter",
    "same_family_different_matter",
    "quotes_other_matter",
)


@dataclass
class Truth:
    """Which filings are the same matter: each receipt's matter, each matter's filings, and the
    hard cases among them."""

    filings: dict[str, str] = field(default_factory=dict)
    matters: dict[str, dict[str, Any]] = field(default_factory=dict)
    hard_cases: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {name: [] for name in (*SAME_MATTER_CASES, *OTHER_MATTER_CASES)}
    )
    many_signers: list[str] = field(default_factory=list)
    linked: list[str] = field(default_factory=list)  # filings the reception linked (``follows``)

    def pair(self, case: str, earlier: str, later: str) -> None:
        same = self.filings[earlier] == self.filings[later]
        self.hard_cases[case].append({"filings": [earlier, later], "same_matter": same})

    def multi_filing_matters(self) -> list[str]:
        return [m for m, about in self.matters.items() if len(about["filings"]) > 1]

    def document(self, *, seed: int, end: date) -> dict[str, Any]:
        """The truth as the JSON file ``thucthi demo --truth`` writes (docs/petitions-demo.md)."""
        return {
            "schema": TRUTH_SCHEMA,
            "version": TRUTH_VERSION,
            "seed": seed,
            "end": end.isoformat(),
            "filings": self.filings,
            "matters": self.matters,
            "hard_cases": self.hard_cases,
            "many_signers": self.many_signers,
            "linked_by_reception": self.linked,
        }


# --- a matter and its filings ------------------------------------------------------------------


class Script(Enum):
    """How often, and when, a matter is filed."""

    SINGLE = "single"
    SHOTGUN = "shotgun"  # at several agencies within days
    AFTER_ANSWER = "after_answer"  # again once answered (a second round, or elsewhere)
    SHOTGUN_THEN_AGAIN = "shotgun_then_again"
    SAME_AGENCY_TWICE = "same_agency_twice"


_FAVOURED = tuple(d.unit in {"UBND-Q1", "UBND-Q3"} for d in corpus.DISTRICTS)
# From 1 July 2025 a matter is in a ward or commune the registry holds.
_WEIGHTS = tuple(2 if w else 1 for w in _FAVOURED)
_WEIGHTS_2025 = tuple(
    w if d.since_2025 else 0 for w, d in zip(_WEIGHTS, corpus.DISTRICTS, strict=True)
)
_SCRIPTS = (
    (Script.SINGLE, 42),
    (Script.SHOTGUN, 22),
    (Script.AFTER_ANSWER, 20),
    (Script.SHOTGUN_THEN_AGAIN, 9),
    (Script.SAME_AGENCY_TWICE, 7),
)


@dataclass(frozen=True, slots=True)
class Place:
    """Where a matter is, as its petitioners write it: before the reorganisation a ward of a
    district, from it a ward or commune of the city; and the local People's Committee that
    decides on it."""

    district: corpus.District  # the district it is or was in: its streets and projects
    local: str  # the unit of the local People's Committee
    authority: str  # as "Ủy ban nhân dân {authority}" names it: "Quận 1", "phường Sài Gòn"
    ward: tuple[str, str]  # in full and shortened
    area: str  # the end of an address: "Quận 1", "Thành phố Hồ Chí Minh"
    area_short: tuple[str, ...]
    two_level: bool  # of the city from 1 July 2025

    @classmethod
    def in_district(cls, district: corpus.District, ward: tuple[str, str]) -> Place:
        return cls(district, district.unit, district.full, ward, district.full, district.short,
                   two_level=False)  # fmt: skip

    @classmethod
    def in_city(cls, district: corpus.District, ward: tuple[str, str, str]) -> Place:
        unit, full, short = ward
        return cls(district, unit, full, (full, short), corpus.CITY, corpus.CITY_SHORT,
                   two_level=True)  # fmt: skip


@dataclass
class Matter:
    """One grievance: its facts, who brings it, which agency is competent, its filings."""

    id: str
    topic: Field
    kind: Kind
    place: Place
    street: str
    facts: dict[str, Any]
    petitioner: Person | None  # None: anonymous
    competent: str
    templates: tuple[str, ...]
    subject: str
    about: str
    many: tuple[Person, ...] = ()  # the co-signers of a collective petition
    signers: int | None = None
    filings: list[Filed] = field(default_factory=list)


@dataclass
class _Draft:
    """A filing being written: its facts as this petitioner writes them, who signs, the text,
    how it came, and the hard cases it makes."""

    facts: dict[str, Any]
    people: tuple[Person, ...] = ()
    text: str = ""
    channel: Channel = Channel.IN_PERSON
    tags: list[str] = field(default_factory=list)
    quoted: str | None = None  # the receipt of another matter's petition it quotes
    by_petitioner: bool = True


@dataclass
class Filed:
    """A filing made: the petition as its life left it, and how it was written."""

    receipt: str
    agency: str
    petition: Petition
    content: str
    day: date
    by_petitioner: bool = True  # signed by the matter's petitioner, number written right


class _Year:
    """The simulation of the year's petitions, one matter at a time."""

    def __init__(
        self,
        rng: random.Random,
        *,
        start: date,
        end: date,
        seal: Seal,
        receipts: Callable[[date], str],
        moment: Moment,
        units: DemoUnits,
        links: random.Random | None = None,
    ) -> None:
        self.rng = rng
        self.units = units
        # The officers' same-matter links draw from their own generator, so that adding them
        # changed none of the year's other draws (nor the truth).
        self.links = links or random.Random(0)
        self.start = start
        self.end = end
        self.seal = seal
        self.receipts = receipts
        self.moment = moment
        self.truth = Truth()
        self.matters: list[Matter] = []
        # The matters of each side of the reorganisation: before it (False) and from it on.
        self.sides: dict[bool, list[Matter]] = {False: [], True: []}
        self.petitions: list[Petition] = []
        self.used_receipts: set[str] = set()
        self.number = 0  # decision and document numbers, city-wide

    # --- people ---------------------------------------------------------------------------------

    def person_id(self) -> UUID:
        return UUID(int=self.rng.getrandbits(128), version=4)

    def person(
        self,
        place: Place,
        street: str,
        *,
        family: str | None = None,
        house: int | None = None,
        born: int | None = None,
    ) -> Person:
        rng = self.rng
        female = rng.random() < 0.5
        family = family or rng.choice(corpus.FAMILY_NAMES)
        middle = rng.choice(corpus.FEMALE_MIDDLE if female else corpus.MALE_MIDDLE)
        given = rng.choice(corpus.FEMALE_GIVEN if female else corpus.MALE_GIVEN)
        born = born or rng.randint(1945, 2002)
        century = 0 if born < 2000 else 2
        id_number = f"079{century + int(female)}{born % 100:02d}{rng.randrange(10**6):06d}"
        house = house or rng.randint(1, 420)
        phone = rng.choice(corpus.PHONE_PREFIXES) + f"{rng.randrange(10**7):07d}"
        return Person(
            full_name=f"{family} {middle} {given}",
            id_number=id_number,
            address=f"{house} {street}, {place.ward[0]}, {place.area}",
            phone=phone,
        )

    def relative(self, of: Person, place: Place) -> Person:
        """A member of the family: the same home, another name and number."""
        family = of.full_name.split()[0] if self.rng.random() < 0.7 else None
        made = self.person(place, "", family=family)
        return replace(made, address=of.address)

    def mistyped(self, number: str) -> str:
        """The number with one digit wrong or two neighbours swapped (never its province code)."""
        digits = list(number)
        at = self.rng.randrange(3, 11)
        if self.rng.random() < 0.5 and digits[at] != digits[at + 1]:
            digits[at], digits[at + 1] = digits[at + 1], digits[at]
        else:
            digits[at] = str((int(digits[at]) + self.rng.randint(1, 9)) % 10)
        return "".join(digits)

    # --- matters --------------------------------------------------------------------------------

    def two_level(self, day: date) -> bool:
        """Whether ``day`` is of the city without districts, in this period."""
        return self.units.change_at is not None and day >= REORGANISED_ON

    def somewhere(self, two_level: bool) -> tuple[Place, str]:
        """A place and a street drawn for a matter: Quận 1 and Quận 3 more often (the demo's
        accounts include theirs, and their heirs')."""
        rng = self.rng
        if two_level:
            district = rng.choices(corpus.DISTRICTS, _WEIGHTS_2025)[0]
            place = Place.in_city(district, rng.choice(district.since_2025))
            return place, rng.choice(district.streets)
        district = rng.choices(corpus.DISTRICTS, _WEIGHTS)[0]
        ward, street = rng.choice(district.wards), rng.choice(district.streets)
        return Place.in_district(district, ward), street

    def matter(self, number: int, first_day: date) -> Matter:
        """A new matter; some share a street with an earlier one, or its petitioner, or a
        petitioner's family (of the same side of the reorganisation)."""
        rng = self.rng
        # Of the same side of the reorganisation: a street written in the other city's words
        # is not the same place.
        side = self.sides[two_level := self.two_level(first_day)]
        neighbour = side[-rng.randint(1, min(8, len(side)))] if side else None
        close = neighbour is not None and rng.random() < 0.25
        if close and neighbour is not None:
            place, street = neighbour.place, neighbour.street
        else:
            place, street = self.somewhere(two_level)
        kind_field = rng.choices(
            [
                (Kind.COMPLAINT, Field.LAND),
                (Kind.COMPLAINT, Field.COMPENSATION),
                (Kind.PROPOSAL, Field.CONSTRUCTION),
                (Kind.PROPOSAL, Field.ENVIRONMENT),
                (Kind.DENUNCIATION, Field.CONDUCT),
                (Kind.PROPOSAL, Field.SOCIAL_POLICY),
                (Kind.COMPLAINT, Field.SOCIAL_POLICY),
                (Kind.MIXED, Field.COMPENSATION),
            ],
            [18, 18, 17, 15, 12, 8, 5, 7],
        )[0]
        kind, topic = kind_field
        if close and neighbour is not None and topic is neighbour.topic:
            topic = Field.CONSTRUCTION if topic is not Field.CONSTRUCTION else Field.ENVIRONMENT
            kind = Kind.PROPOSAL
        anonymous = kind is Kind.DENUNCIATION and rng.random() < 0.35
        petitioner: Person | None = None
        reused: tuple[str, str] | None = None  # the hard case, and the earlier matter
        if not anonymous:
            earlier = [m for m in side if m.petitioner is not None]
            if earlier and rng.random() < 0.06:
                source = rng.choice(earlier)
                petitioner = source.petitioner
                reused = ("same_person_different_matter", source.id)
                place, street = source.place, source.street
            elif earlier and rng.random() < 0.05:
                source = rng.choice(earlier)
                petitioner = self.relative(cast("Person", source.petitioner), source.place)
                reused = ("same_family_different_matter", source.id)
                place, street = source.place, source.street
            else:
                petitioner = self.person(place, street)
        if reused is not None:
            close = False  # the earlier matter's place, not the neighbour's
        facts = self.facts(place, street, topic, kind)
        decided = first_day - timedelta(days=rng.randint(15, 75))
        facts["decision_day"] = _day(decided)
        facts["_known"] = decided + timedelta(days=rng.randint(2, 6))
        templates, subject, competent = self.wording(place, topic, kind, anonymous, facts)
        competent = self.units.current(competent, first_day)
        if petitioner is not None:
            facts["name"] = petitioner.full_name
            facts["address"] = petitioner.address
        made = Matter(
            id=f"M{number:04d}",
            topic=topic,
            kind=kind,
            place=place,
            street=street,
            facts=facts,
            petitioner=petitioner,
            competent=competent,
            templates=templates,
            subject=subject.format(**facts),
            about=self.about(topic, kind, facts),
        )
        if topic is Field.COMPENSATION and petitioner is not None and rng.random() < 0.3:
            made.many = tuple(self.person(place, street) for _ in range(rng.randint(4, 9)))
            made.signers = len(made.many) + 1 + rng.randint(0, 30)
        made.facts["_close"] = neighbour.id if close and neighbour is not None else None
        made.facts["_reused"] = reused
        self.matters.append(made)
        side.append(made)
        return made

    def facts(self, place: Place, street: str, topic: Field, kind: Kind) -> dict[str, Any]:
        rng = self.rng
        self.number += rng.randint(3, 40)
        business, nuisance = rng.choice(corpus.BUSINESSES)
        allowance, eligible = rng.choice(corpus.ALLOWANCES)
        first, family = rng.choice(corpus.FEMALE_MIDDLE), rng.choice(corpus.FAMILY_NAMES)
        suffix = "QĐ-UBND" if kind in {Kind.COMPLAINT, Kind.MIXED} else "UBND"
        return {
            "district": place.area,
            "ward": place.ward[0],
            "authority": place.authority,
            "street": street,
            "parcel": rng.randint(3, 480),
            "sheet": rng.randint(1, 60),
            "decision": f"{self.number}/{suffix}",
            "since": rng.randint(1978, 2012),
            "area": rng.choice((18.5, 32, 45.6, 60, 72.3, 96, 120, 154.8, 210)),
            "amount": rng.choice((2, 3, 5, 8, 10, 15, 20, 150, 320, 780)),
            "project": rng.choice(corpus.PROJECTS[place.district.unit]),
            "site_no": rng.randint(2, 400),
            "permit_floors": rng.randint(2, 4),
            "built_floors": rng.randint(5, 7),
            "encroach": rng.choice((0.5, 0.8, 1.2, 1.5, 2)),
            "business": business,
            "nuisance": nuisance,
            "hour": rng.choice((23, 24, 1, 2)),
            "canal": rng.choice(corpus.CANALS),
            "official": rng.choice(corpus.OFFICIALS),
            "procedure": rng.choice(corpus.PROCEDURES),
            "allowance": allowance,
            "eligible": eligible,
            "relative_name": f"{family} {first} {rng.choice(corpus.FEMALE_GIVEN)}",
            "age": rng.randint(61, 92),
            "topic": topic.value,
        }

    def wording(  # noqa: PLR0911 - one answer per kind of matter reads best as one list
        self,
        place: Place,
        topic: Field,
        kind: Kind,
        anonymous: bool,
        facts: dict[str, Any],
    ) -> tuple[tuple[str, ...], str, str]:
        """What such a matter's petitions say, its subject, and the agency competent for it."""
        rng = self.rng
        local = place.local
        if kind is Kind.MIXED:
            return corpus.MIXED, corpus.SUBJECT_DECISION, local
        if topic is Field.LAND:
            return corpus.LAND_COMPLAINT, corpus.SUBJECT_DECISION, local
        if topic is Field.COMPENSATION:
            return corpus.COMPENSATION_COMPLAINT, corpus.SUBJECT_DECISION, local
        if topic is Field.CONSTRUCTION:
            competent = corpus.CONSTRUCTION if rng.random() < 0.3 else local
            return corpus.CONSTRUCTION_FEEDBACK, corpus.SUBJECT_SITE, competent
        if topic is Field.ENVIRONMENT:
            if facts["business"] in {"cơ sở giặt nhuộm", "xưởng in lụa", "tiệm rửa xe"}:
                return corpus.POLLUTION_FEEDBACK, corpus.SUBJECT_SITE, corpus.ENVIRONMENT
            return corpus.NOISE_FEEDBACK, corpus.SUBJECT_SITE, local
        if topic is Field.CONDUCT:
            competent = corpus.INSPECTORATE if rng.random() < 0.4 else local
            texts = corpus.ANONYMOUS_DENUNCIATION if anonymous else corpus.CONDUCT_DENUNCIATION
            return texts, corpus.SUBJECT_OFFICIAL, competent
        competent = corpus.SOCIAL if rng.random() < 0.4 else local
        if kind is Kind.COMPLAINT:
            return corpus.SOCIAL_COMPLAINT, corpus.SUBJECT_DECISION, local
        return corpus.SOCIAL_PROPOSAL, corpus.SUBJECT_ALLOWANCE, competent

    @staticmethod
    def about(topic: Field, kind: Kind, facts: dict[str, Any]) -> str:
        """A short line saying what the matter is, for people reading the truth."""
        if topic in {Field.LAND, Field.COMPENSATION} or kind is Kind.MIXED:
            return (
                f"{kind.value} {facts['decision']}, thửa {facts['parcel']} tờ {facts['sheet']}, "
                f"{facts['ward']}, {facts['district']}"
            )
        if topic in {Field.CONSTRUCTION, Field.ENVIRONMENT}:
            return f"{topic.value} {facts['site_no']} {facts['street']}, {facts['ward']}"
        if topic is Field.CONDUCT:
            return f"{kind.value} {facts['official']} {facts['ward']}, {facts['district']}"
        return f"{topic.value} {facts['allowance']} ({facts['relative_name']})"

    # --- the filings of a matter ----------------------------------------------------------------

    def agencies_for(self, matter: Matter) -> list[str]:
        """Where else people take such a matter."""
        local = matter.place.local
        others = {
            Field.LAND: [corpus.ENVIRONMENT, corpus.INSPECTORATE],
            Field.COMPENSATION: [corpus.ENVIRONMENT, corpus.INSPECTORATE],
            Field.CONSTRUCTION: [corpus.CONSTRUCTION, local, corpus.INSPECTORATE],
            Field.ENVIRONMENT: [corpus.ENVIRONMENT, local],
            Field.CONDUCT: [corpus.INSPECTORATE, local],
            Field.SOCIAL_POLICY: [corpus.SOCIAL, local, corpus.INSPECTORATE],
        }[matter.topic]
        # The agencies of the matter's side of the reorganisation.
        day = REORGANISED_ON if matter.place.two_level else self.start
        agencies = [matter.competent, *others]
        return list(dict.fromkeys(self.units.current(a, day) for a in agencies))

    def run(self, count: int) -> None:
        for number in range(1, count + 1):
            first_day = working(
                self.start
                + timedelta(days=self.rng.randrange(0, max((self.end - self.start).days - 20, 1)))
            )
            matter = self.matter(number, first_day)
            script = self.rng.choices([s for s, _ in _SCRIPTS], [w for _, w in _SCRIPTS])[0]
            if matter.petitioner is None:
                script = Script.SINGLE if self.rng.random() < 0.7 else Script.SHOTGUN
            self.file_matter(matter, script, first_day)
            self.note_matter(matter)

    def file_matter(self, matter: Matter, script: Script, day: date) -> None:
        rng = self.rng
        places = self.agencies_for(matter)
        first_agency = matter.competent if rng.random() < 0.65 else rng.choice(places)
        self.file(matter, first_agency, day)
        if script in {Script.SHOTGUN, Script.SHOTGUN_THEN_AGAIN}:
            others = [a for a in places if a != first_agency]
            rng.shuffle(others)
            for agency in others[: rng.randint(1, 2)]:
                day = working(day + timedelta(days=rng.randint(2, 15)))
                self.file(matter, agency, day)
        if script is Script.SAME_AGENCY_TWICE:
            day = working(day + timedelta(days=rng.randint(5, 40)))
            self.file(matter, first_agency, day)
        if script in {Script.AFTER_ANSWER, Script.SHOTGUN_THEN_AGAIN}:
            answered = [f for f in matter.filings if f.petition.status is Status.RESOLVED]
            if answered:
                last = max(answered, key=lambda f: f.petition.resolved_on or f.day)
                on = last.petition.resolved_on or last.day
                day = working(on + timedelta(days=rng.randint(5, 28)))
                answered_by = self.units.current(last.agency, on)
                second_round = (
                    matter.kind in {Kind.COMPLAINT, Kind.MIXED}
                    and answered_by != corpus.INSPECTORATE
                    and answered_by == self.units.current(matter.competent, on)
                    and rng.random() < 0.6
                )
                if second_round:
                    self.file(matter, corpus.INSPECTORATE, day, follows=last)
                else:
                    held = self.units.current(last.agency, day)
                    others = [a for a in places if self.units.current(a, day) != held] or places
                    self.file(matter, rng.choice(others), day, after=last)

    def note_matter(self, matter: Matter) -> None:
        """The matter in the truth, with the hard cases of other matters it makes."""
        if not matter.filings:
            return
        truth = self.truth
        truth.matters[matter.id] = {
            "filings": [f.receipt for f in matter.filings],
            "field": matter.topic.value,
            "kind": matter.kind.value,
            "competent": matter.competent,
            "about": matter.about,
            "place": f"{matter.street}, {matter.place.ward[0]}, {matter.place.area}",
        }
        first = matter.filings[0].receipt
        close = matter.facts.get("_close")
        if close is not None:
            other = next((m for m in self.matters if m.id == close and m.filings), None)
            if other is not None:
                truth.pair("same_neighbourhood_different_matter", other.filings[0].receipt, first)
        reused = matter.facts.get("_reused")
        if reused is not None:
            case, source = reused
            other = next((m for m in self.matters if m.id == source and m.filings), None)
            if other is not None:
                truth.pair(case, other.filings[0].receipt, first)

    # --- one filing -----------------------------------------------------------------------------

    def file(
        self,
        matter: Matter,
        agency: str,
        day: date,
        *,
        follows: Filed | None = None,
        after: Filed | None = None,
    ) -> None:
        """Write and receive one filing of the matter at ``agency`` on ``day``, then run its
        life to its end or the year's."""
        if day > self.end:
            return
        rng = self.rng
        agency = self.units.current(agency, day)  # the agency of the day
        earlier = matter.filings[-1] if matter.filings else None
        draft = self.who(matter, earlier)
        self.where(draft, matter, earlier)
        self.words(draft, matter, earlier, follows, after, day=day)
        self.typed(draft, earlier)
        receipt = self.receipt(day)
        sealed = tuple(self.seal(self.person_id(), p) for p in draft.people)
        # The reception links the earlier petition when the petitioner brings its answer: a
        # second round always, a repeat sometimes (otherwise finding it is issue 26's job).
        previous = follows or (after if after is not None and rng.random() < 0.2 else None)
        relation = None
        if previous is not None:
            p = previous.petition
            relation = (
                Relation.SECOND_ROUND
                if p.kind in {Kind.COMPLAINT, Kind.MIXED}
                and p.status is Status.RESOLVED
                and p.relation is not Relation.SECOND_ROUND
                else Relation.REPEAT
            )
        known = None
        if matter.kind in {Kind.COMPLAINT, Kind.MIXED}:
            known = matter.facts["_known"]
            if relation is Relation.SECOND_ROUND and previous is not None:
                # A second round complains of the first round's decision, known when issued.
                resolved = previous.petition.resolved_on or day
                known = resolved + timedelta(days=rng.randint(1, 5))
            known = min(known, day)
        at = self.moment(day, 0, rng.randrange(0, 30))
        petition = Petition.receive(
            receipt=receipt,
            agency=agency,
            channel=draft.channel,
            received_on=day,
            petitioners=sealed,
            anonymous=matter.petitioner is None,
            signers=matter.signers,
            content=draft.text,
            subject=matter.subject,
            decision_known_on=known,
            follows=None if previous is None else previous.petition.id,
            follows_receipt=None if previous is None else previous.receipt,
            relation=relation,
            actor=reception(agency),
            request_id=self.request_id(),
            at=at,
        )
        filed = Filed(receipt, agency, petition, draft.text, day, by_petitioner=draft.by_petitioner)
        life = _Life(self, petition, at)
        self.live(matter, filed, life)
        life.finish()
        matter.filings.append(filed)
        self.petitions.append(petition)
        self.noted(matter, filed, draft, earlier, linked=previous is not None)

    def noted(
        self, matter: Matter, filed: Filed, draft: _Draft, earlier: Filed | None, *, linked: bool
    ) -> None:
        """The filing in the truth: its matter, and the hard cases it makes."""
        truth = self.truth
        truth.filings[filed.receipt] = matter.id
        if matter.signers is not None and matter.signers >= 5:
            truth.many_signers.append(filed.receipt)
        if linked:
            truth.linked.append(filed.receipt)
        if earlier is not None:
            # A relative and a mistyped number are told apart from the petitioner's own filing.
            own = next(f for f in reversed(matter.filings[:-1]) if f.by_petitioner)
            for tag in draft.tags:
                if tag in SAME_MATTER_CASES:
                    before = own if tag in {"relatives", "mistyped_id"} else earlier
                    truth.pair(tag, before.receipt, filed.receipt)
        if draft.quoted is not None:
            truth.pair("quotes_other_matter", draft.quoted, filed.receipt)

    def who(self, matter: Matter, earlier: Filed | None) -> _Draft:
        """Who signs this filing: the petitioner, a relative for the family, or the petitioner
        with a mistyped number; and the co-signers of a collective petition."""
        rng = self.rng
        draft = _Draft(facts=dict(matter.facts))
        if matter.petitioner is None:
            return draft
        person = matter.petitioner
        if earlier is not None and rng.random() < 0.22:
            person = self.relative(matter.petitioner, matter.place)
            draft.tags.append("relatives")
            draft.by_petitioner = False
        elif earlier is not None and rng.random() < 0.18 and person.id_number:
            person = replace(person, id_number=self.mistyped(person.id_number))
            draft.tags.append("mistyped_id")
            draft.by_petitioner = False
        draft.people = (person, *matter.many)
        draft.facts["name"] = person.full_name
        draft.facts["address"] = person.address
        return draft

    def where(self, draft: _Draft, matter: Matter, earlier: Filed | None) -> None:
        """The place written short ("P.7, Q.3") in the text and the addresses, sometimes."""
        rng = self.rng
        if rng.random() >= (0.35 if earlier is not None else 0.12):
            return
        place = matter.place
        short = rng.choice(place.area_short)
        draft.facts["district"] = short
        draft.facts["ward"] = place.ward[1]
        # The People's Committee written as its place is: the district's, or the ward's.
        draft.facts["authority"] = place.ward[1] if place.two_level else short
        draft.people = tuple(
            replace(
                p,
                address=p.address.replace(place.ward[0], place.ward[1]).replace(place.area, short),
            )
            for p in draft.people
        )
        if draft.people:
            draft.facts["address"] = draft.people[0].address
        if earlier is not None:
            draft.tags.append("district_abbreviated")

    def words(
        self,
        draft: _Draft,
        matter: Matter,
        earlier: Filed | None,
        follows: Filed | None,
        after: Filed | None,
        *,
        day: date,
    ) -> None:
        """The text: the matter's facts in one of its wordings (of ``day``), said by a
        relative, after an answer or as a second round, and perhaps quoting the petition before
        it or a neighbour's about something else."""
        rng = self.rng
        template = corpus.worded(rng.choice(matter.templates), self.two_level(day))
        text = template.format(**draft.facts)
        if "relatives" in draft.tags and matter.petitioner is not None:
            said = rng.choice(corpus.RELATIVE).format(
                relation=rng.choice(corpus.RELATIONS),
                first_name=matter.petitioner.full_name,
                name=draft.facts["name"],
            )
            text = said + text
        if follows is not None and follows.petition.resolved_on is not None:
            text = (
                corpus.SECOND_ROUND.format(
                    answer_ref=follows.petition.decision_reference or draft.facts["decision"],
                    answered_on=_day(follows.petition.resolved_on),
                    decided_by=self.agency_name(follows.petition.agency),
                )
                + text
            )
        elif after is not None and after.petition.resolved_on is not None:
            text = (
                rng.choice(corpus.AFTER_ANSWER).format(
                    answered_on=_day(after.petition.resolved_on),
                    answered_by=self.agency_name(after.agency),
                    answer_ref=after.petition.decision_reference or "văn bản trả lời",
                )
                + text
            )
        if earlier is not None and rng.random() < 0.16:
            quote = corpus.QUOTING[0].format(
                first_day=_day(earlier.day),
                first_agency=self.agency_name(earlier.agency),
                first_text=earlier.content,
            )
            text = quote + " " + text
            draft.tags.append("quotes_earlier")
        close = matter.facts.get("_close")
        if earlier is None and close is not None and rng.random() < 0.3:
            neighbour = next((m for m in self.matters if m.id == close and m.filings), None)
            if neighbour is not None:
                first = neighbour.filings[0]
                text = corpus.QUOTING_NEIGHBOUR[0].format(first_text=first.content) + text
                draft.quoted = first.receipt
        draft.text = text

    def typed(self, draft: _Draft, earlier: Filed | None) -> None:
        """How it came: in person, by post or online; a later one sometimes typed online
        without accents, names and addresses too."""
        rng = self.rng
        draft.channel = rng.choice(
            (Channel.IN_PERSON, Channel.IN_PERSON, Channel.POST, Channel.ONLINE)
        )
        if earlier is None or rng.random() >= 0.2:
            return
        draft.channel = Channel.ONLINE
        draft.text = without_accents(draft.text)
        draft.people = tuple(
            replace(p, full_name=without_accents(p.full_name), address=without_accents(p.address))
            for p in draft.people
        )
        draft.tags.append("accents_dropped")

    def receipt(self, day: date) -> str:
        while True:
            code = self.receipts(day)
            if code not in self.used_receipts:
                self.used_receipts.add(code)
                return code

    def request_id(self) -> str:
        return str(UUID(int=self.rng.getrandbits(128), version=4))

    def agency_name(self, code: str) -> str:
        """The agency's name as the registry has it: "Ủy ban nhân dân Quận 1"."""
        unit = self.units.units.get(code)
        return code if unit is None else unit.name_vi

    # --- a filing's life ------------------------------------------------------------------------

    def live(self, matter: Matter, filed: Filed, life: _Life) -> None:
        """Run the petition's life: classification, the head's decision, the handling, as far as
        the year goes."""
        rng = self.rng
        agency = filed.agency
        competent = self.units.current(matter.competent, filed.day)
        # A second-round complaint is the city's to decide, through its inspectorate.
        ours = agency == competent or filed.petition.relation is Relation.SECOND_ROUND
        competence = Competence.OURS if ours else Competence.CITY_AGENCY
        outside = matter.topic is Field.SOCIAL_POLICY and rng.random() < 0.12
        if outside:
            competence = Competence.OUTSIDE_CITY
        several = matter.kind is Kind.DENUNCIATION and rng.random() < 0.2
        day = add_working_days(filed.day, rng.choice((0, 0, 1, 1, 2)))
        if rng.random() < 0.03:
            life.at(
                day, 1, "withdraw", reception(agency), reason=rng.choice(corpus.WITHDRAW_REASONS)
            )
            return
        if not life.at(
            day,
            1,
            "classify",
            reception(agency),
            kind=matter.kind,
            field=matter.topic,
            competence=competence,
            several_places=several,
        ):
            return
        wrong = self.mark_at_intake(matter, filed, life, day)
        term = filed.petition.deadline()
        due = term.due(_CALENDAR) if term is not None else day
        late_decision = rng.random() < 0.08
        decide = (
            add_working_days(due, rng.randint(1, 8))
            if late_decision
            else add_working_days(day, rng.randint(1, 5))
        )
        chief = head(agency)
        if wrong is not None:  # the head finds the reception's link wrong and undoes it
            life.link(
                decide,
                2,
                "unmark_same_matter",
                chief,
                earlier=wrong,
                reason=self.links.choice(corpus.UNDO_SAME_MATTER),
            )
        bodies = corpus.outside_bodies(self.two_level(decide))
        if competence is Competence.OUTSIDE_CITY:
            if rng.random() < 0.5:
                life.at(decide, 2, "guide", chief, body=rng.choice(bodies))
            else:
                life.at(decide, 2, "transfer", chief, body=rng.choice(bodies))
            return
        if competence is Competence.CITY_AGENCY:
            if rng.random() < 0.55:
                if life.at(decide, 2, "transfer", chief, to_agency=matter.competent):
                    self.taken_on(matter, filed, life, decide)
            else:
                competent = self.units.current(matter.competent, decide)
                life.at(decide, 2, "guide", chief, body=self.agency_name(competent))
            return
        self.decide_ours(matter, filed, life, decide, agency)

    def mark_at_intake(self, matter: Matter, filed: Filed, life: _Life, day: date) -> str | None:
        """The reception, classifying a filing, marks most repeats as the same matter as the
        filing before (or the last one already answered); now and then it links the first
        filing of a matter to a neighbour's about something else, a wrong link: its receipt."""
        draw = self.links
        if matter.filings:
            if draw.random() >= 0.85:
                return None
            answered = [
                f
                for f in matter.filings
                if f.petition.resolved_on is not None and f.petition.resolved_on < day
            ]
            earlier = answered[-1] if answered else matter.filings[-1]
            reason = draw.choice(corpus.SAME_MATTER)
            life.link(day, 1, "mark_same_matter", reception(filed.agency), earlier=earlier.petition,
                      reason=reason)  # fmt: skip
            return None
        close = matter.facts.get("_close")
        neighbour = next((m for m in self.matters if m.id == close and m.filings), None)
        if neighbour is None or neighbour.filings[0].day >= filed.day or draw.random() >= 0.3:
            return None
        other = neighbour.filings[0]
        marked = life.link(
            day,
            1,
            "mark_same_matter",
            reception(filed.agency),
            earlier=other.petition,
            reason=corpus.WRONG_SAME_MATTER[0],
        )
        return other.receipt if marked else None

    def answerable(self, filed: Filed, here: list[Filed], day: date) -> Filed | None:
        """A filing at this agency that resolved the matter before ``day``, whose result may
        answer this repeat of a proposal or a denunciation (``Petition.answer_with_earlier``)."""
        if filed.petition.kind not in {Kind.PROPOSAL, Kind.DENUNCIATION}:
            return None
        done = [
            f
            for f in here
            if f.petition.status is Status.RESOLVED
            and f.petition.resolved_on is not None
            and f.petition.resolved_on < day
        ]
        return max(done, key=lambda f: f.petition.resolved_on or f.day) if done else None

    def taken_on(self, matter: Matter, filed: Filed, life: _Life, moved: date) -> None:
        """The competent agency takes on a case transferred to it and decides it."""
        rng = self.rng
        agency = filed.petition.agency  # where the transfer took it
        day = add_working_days(moved, rng.randint(1, 3))
        if not life.at(
            day,
            1,
            "classify",
            reception(agency),
            kind=matter.kind,
            field=matter.topic,
            competence=Competence.OURS,
        ):
            return
        self.decide_ours(matter, filed, life, add_working_days(day, rng.randint(1, 5)), agency)

    def decide_ours(
        self, matter: Matter, filed: Filed, life: _Life, day: date, agency: str
    ) -> None:
        """The head's decision on a petition of its own competence, and its handling."""
        rng = self.rng
        petition = filed.petition
        chief = head(agency)
        here = [f for f in matter.filings if f.agency == agency and f is not filed]
        if here and rng.random() < 0.8 and petition.relation is not Relation.SECOND_ROUND:
            answered = any(f.petition.status is Status.RESOLVED for f in here)
            ground = ArchiveGround.ALREADY_ANSWERED if answered else ArchiveGround.DUPLICATE
            earlier = self.answerable(filed, here, day)
            if earlier is None:
                life.at(day, 2, "archive", chief, ground=ground)
                return
            if earlier.receipt not in petition.same_matter:
                life.link(day, 2, "mark_same_matter", chief, earlier=earlier.petition,
                          reason=corpus.SAME_MATTER[3])  # fmt: skip
            # In the archive's place, with the same draws: the year's other draws stay.
            life.at(day, 2, "answer_with_earlier", chief, earlier=earlier.petition,
                    note=corpus.ANSWERED_WITH_EARLIER[0])  # fmt: skip
            return
        if petition.anonymous and rng.random() < 0.85:
            life.at(day, 2, "archive", chief, ground=ArchiveGround.ANONYMOUS)
            return
        limit = TERMS[
            TermName.COMPLAINT_SECOND_ROUND_FILING_LIMIT
            if petition.relation is Relation.SECOND_ROUND
            else TermName.COMPLAINT_FILING_LIMIT
        ].days
        known = petition.decision_known_on
        if (
            petition.kind in {Kind.COMPLAINT, Kind.MIXED}
            and known is not None
            and (petition.received_on - known).days > limit
        ):
            life.at(day, 2, "not_accept", chief, ground=NotAcceptedGround.TIME_LIMIT)
            return
        if petition.kind is not Kind.PROPOSAL and rng.random() < 0.07:
            refusal = (
                rng.choice((NotAcceptedGround.UNSIGNED, NotAcceptedGround.NO_INTEREST))
                if petition.kind is not Kind.DENUNCIATION
                else NotAcceptedGround.NO_BASIS
            )
            life.at(day, 2, "not_accept", chief, ground=refusal)
            return
        if not life.at(day, 2, "accept", chief, handler=officer(agency).user_id):
            return
        self.handle(matter, filed, life, day, agency)

    def handle(
        self, matter: Matter, filed: Filed, life: _Life, accepted: date, agency: str
    ) -> None:
        """Verification, a dialogue for a complaint, perhaps a suspension or an extension, and
        the result on time, late, or not by the year's end."""
        rng = self.rng
        petition = filed.petition
        chief = head(agency)
        fate = rng.choices(
            ["on_time", "late", "extended", "stalled", "withdrawn"], [55, 15, 12, 13, 5]
        )[0]
        if fate == "extended" and petition.extensions_allowed() == 0:
            fate = "on_time"
        verified = self.examine(petition, life, accepted, agency)
        if verified is None or fate == "stalled":
            return
        if fate == "withdrawn":
            quit_day = working(verified + timedelta(days=rng.randint(3, 15)))
            life.at(quit_day, 5, "withdraw", reception(agency),
                    reason=rng.choice(corpus.WITHDRAW_REASONS))  # fmt: skip
            return
        if fate != "extended" and rng.random() < 0.08:
            # Tạm đình chỉ: the handling waits, and its days do not count against the term.
            wait = working(verified + timedelta(days=rng.randint(1, 5)))
            back = working(wait + timedelta(days=rng.randint(7, 25)))
            if not (
                life.at(wait, 5, "suspend", chief, reason=rng.choice(corpus.SUSPENSIONS))
                and life.at(back, 5, "resume", chief, note=rng.choice(corpus.RESUMPTIONS))
            ):
                return
        if fate == "extended":
            ask = working(accepted + timedelta(days=max(self.span(petition, accepted) - 4, 1)))
            if not life.at(ask, 5, "extend", chief, reason=rng.choice(corpus.EXTENSIONS)):
                return
        span = self.span(petition, accepted)
        if fate == "late":
            resolve = accepted + timedelta(days=span + rng.randint(3, 40))
        else:
            resolve = accepted + timedelta(days=rng.randint(span * 3 // 5, max(span - 1, 1)))
        self.result(petition, life, working(resolve), agency)

    @staticmethod
    def span(petition: Petition, accepted: date) -> int:
        """Days from acceptance to the handling term in force (extensions and suspensions in)."""
        term = petition.handling_term()
        due = term.due(_CALENDAR) if term is not None else accepted
        return max((due - accepted).days, 2)

    def examine(self, petition: Petition, life: _Life, accepted: date, agency: str) -> date | None:
        """The handling officer's verification, and a dialogue for a complaint; the day of the
        verification, or None if the year ends first."""
        rng = self.rng
        handler = officer(agency)
        span = self.span(petition, accepted)
        verify = working(accepted + timedelta(days=rng.randint(1, max(span // 3, 1))))
        if not life.at(verify, 3, "record_verification", handler,
                       summary=rng.choice(corpus.VERIFICATIONS)):  # fmt: skip
            return None
        if petition.kind in {Kind.COMPLAINT, Kind.MIXED}:
            talk = working(verify + timedelta(days=rng.randint(2, max(span // 3, 2))))
            if not life.at(talk, 4, "hold_dialogue", handler, held_on=talk,
                           summary=rng.choice(corpus.DIALOGUES)):  # fmt: skip
                return None
        return verify

    def result(self, petition: Petition, life: _Life, day: date, agency: str) -> None:
        """The head signs the result, and most often publishes it."""
        rng = self.rng
        chief = head(agency)
        verdict = (
            Verdict.ANSWERED
            if petition.kind is Kind.PROPOSAL
            else rng.choices([Verdict.RIGHT, Verdict.PARTLY_RIGHT, Verdict.WRONG], [15, 35, 50])[0]
        )
        self.number += rng.randint(1, 9)
        reference = f"{self.number}/{_suffix(agency, petition.kind)}"
        if not life.at(day, 6, "resolve", chief, verdict=verdict,
                       summary=rng.choice(corpus.RESULTS[verdict.value]),
                       decision_reference=reference):  # fmt: skip
            return
        if rng.random() < 0.7:
            life.at(working(day + timedelta(days=rng.randint(1, 6))), 7, "publish_result", chief)


class _Calendar:
    """Monday to Friday; calendar days as they are (``add_working_days``)."""

    def add_working_days(self, start: date, n: int) -> date:
        return add_working_days(start, n)

    def add_days(self, start: date, n: int) -> date:
        return start + timedelta(days=n)


_CALENDAR = _Calendar()


class _Life:
    """Runs the commands of one petition in order, each at a moment after the one before, and
    none after the year's last day. A petition received before the reorganisation and still
    open at its moment is handed over then, and each later step is taken by the agency that
    holds it: the same person of the heir's desk (``held``)."""

    def __init__(self, year: _Year, petition: Petition, received: datetime) -> None:
        self.year, self.petition, self.last = year, petition, received
        self.handing = year.units.due_for_hand_over(received, None)

    def at(self, day: date, rank: int, command: str, actor: Actor, **payload: Any) -> bool:
        """Run ``command`` on ``day`` (or the first moment after the last step); False if that
        is after the year's end, and then nothing more happens to the petition."""
        year = self.year
        moment = max(
            year.moment(day, rank + 1, year.rng.randrange(0, 15)),
            self.last + timedelta(minutes=1),
        )
        if city_date(moment) > year.end:
            return False
        return self.run(moment, command, actor, year.request_id(), payload)

    def link(self, day: date, rank: int, command: str, actor: Actor, **payload: Any) -> bool:
        """As ``at``, for an officer's same-matter link: its moment and request id drawn from
        the links' own generator."""
        year = self.year
        draw = year.links
        moment = max(
            year.moment(day, rank + 1, draw.randrange(0, 15)), self.last + timedelta(minutes=1)
        )
        if city_date(moment) > year.end:
            return False
        request_id = str(UUID(int=draw.getrandbits(128), version=4))
        return self.run(moment, command, actor, request_id, payload)

    def run(
        self, moment: datetime, command: str, actor: Actor, request_id: str, payload: dict[str, Any]
    ) -> bool:
        units = self.year.units
        if self.handing and units.due_for_hand_over(self.last, moment):
            units.hand_over(self.petition)
            self.handing = False
        held = self.held(actor, moment)
        if held is not actor and "handler" in payload:
            payload["handler"] = officer(self.petition.agency).user_id
        if "to_agency" in payload:
            payload["to_agency"] = units.current(payload["to_agency"], moment)
            if payload["to_agency"] == self.petition.agency:
                return False  # the agency it was to go to is the one now holding it
        getattr(self.petition, command)(actor=held, request_id=request_id, at=moment, **payload)
        self.last = moment
        return True

    def held(self, actor: Actor, moment: datetime) -> Actor:
        """The actor, or, once the actor's agency handed the petition over, the same person of
        the heir's desk: its reception, its head, or the officer it assigned (the head, if the
        officer assigned was the old agency's)."""
        agency = self.petition.agency
        if actor.unit is None or actor.unit == agency:
            return actor
        if self.year.units.current(actor.unit, moment) != agency:
            return actor  # not a hand-over: the petition itself judges who may act
        if actor.role is Role.RECEPTION:
            return reception(agency)
        if actor.role is Role.DEPARTMENT and self.petition.handler in {
            None,
            officer(agency).user_id,
        }:
            return officer(agency)
        return head(agency)

    def finish(self) -> None:
        """The hand-over of a petition still open when the reorganisation came after its last
        step."""
        if self.handing and self.year.units.due_for_hand_over(self.last, None):
            self.year.units.hand_over(self.petition)
            self.handing = False


def _day(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def _suffix(agency: str, kind: Kind | None) -> str:
    """The number's sign of what an agency issues: a decision on a complaint, a conclusion on
    a denunciation, an answer otherwise."""
    sign = {
        corpus.CONSTRUCTION: "SXD",
        corpus.ENVIRONMENT: "STNMT",
        corpus.SOCIAL: "SLĐTBXH",
        corpus.INSPECTORATE: "TTTP",
        "SO-NNMT": "SNNMT",  # the heirs of the two above, from 1 July 2025
        "SO-NV": "SNV",
    }.get(agency, "UBND")
    if kind in {Kind.COMPLAINT, Kind.MIXED}:
        return f"QĐ-{sign}"
    if kind is Kind.DENUNCIATION:
        return f"KL-{sign}"
    return f"{sign}-TCD"


@dataclass(frozen=True, slots=True)
class PetitionYear:
    """The year's petitions: their events in the order of their moments, and the truth."""

    events: list[Petition.Event]
    petitions: int
    truth: Truth


def petition_year(
    *,
    seed: int,
    start: date,
    end: date,
    matters: int,
    seal: Seal,
    receipts: Callable[[date], str],
    moment: Moment,
    rng: random.Random | None = None,
    units: DemoUnits | None = None,
) -> PetitionYear:
    """Simulate ``matters`` matters over the period from ``start`` to ``end``, with the
    agencies of ``units`` (by default the city's of 2024, reorganised on 1 July 2025 if the
    period includes it: ``DemoUnits.of_city``)."""
    year = _Year(
        rng or random.Random(f"{seed}/petitions"),
        start=start,
        end=end,
        seal=seal,
        receipts=receipts,
        moment=moment,
        units=units or DemoUnits.of_city(start, end),
        links=random.Random(f"{seed}/same-matter"),
    )
    year.run(matters)
    events: list[tuple[datetime, int, int, Petition.Event]] = []
    for n, petition in enumerate(year.petitions):
        for event in petition.collect_events():
            made = cast("Petition.Event", event)
            events.append((made.timestamp, n, made.originator_version, made))
    events.sort(key=lambda e: e[:3])
    return PetitionYear([e[3] for e in events], len(year.petitions), year.truth)


def timed(events: list[Petition.Event]) -> Iterator[tuple[datetime, Petition.Event]]:
    for event in events:
        yield event.timestamp, event


def truth_path(given: str | None, database: Database) -> Path | None:
    """Where the truth of the demo's petitions goes: the file given, else beside a SQLite
    database file (``thucthi.db`` → ``thucthi.petitions-truth.json``); None for a server's."""
    if given:
        return Path(given)
    if database.backend == "sqlite" and database.path and database.path != ":memory:":
        db = Path(database.path)
        return db.with_name(db.stem + TRUTH_SUFFIX)
    return None


def write_truth(truth: Truth | None, path: Path | None, seed: int, end: date) -> str:
    """Write the truth as JSON; what to tell the user ("" when the demo made no petitions)."""
    if truth is None:
        return ""
    if path is None:
        return "the same matter: not written (give --truth FILE)"
    document = truth.document(seed=seed, end=end)
    try:
        path.write_bytes(orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS))
    except OSError as e:
        raise CliError(f"cannot write the truth to {path}: {e.strerror}") from None
    return (
        f"the same matter: {len(truth.filings)} petitions in {len(truth.matters)} matters, "
        f"{len(truth.multi_filing_matters())} filed more than once, written to {path}"
    )
