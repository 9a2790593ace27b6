"""Persons as the domain takes them and seals them (issue 25, item 4): a person's details are
checked when made and refused without repeating what was given; a sealed person opens only
under its own key, for its own id, unaltered; erased, it opens no more and is never sealed
again."""

from __future__ import annotations

import base64
import dataclasses
from uuid import UUID, uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.application import Thucthi
from domain.narration import Sentence, tell
from domain.personal.erasure import Erasure
from domain.shared.actors import Actor, Role
from domain.shared.clock import SimulatedClock
from domain.shared.errors import InvalidTextError
from domain.shared.personal import (
    InvalidPersonError,
    Person,
    PersonErasedError,
    SealedPerson,
    id_number_of,
)
from domain.shared.sealing import (
    KEY_BYTES,
    MasterKey,
    MemoryKeys,
    MemoryVault,
    PersonalDataKeyError,
    SealBrokenError,
    Vault,
)
from tests.conftest import START
from tests.strategies import id_numbers, persons

PERSON = Person("Nguyễn Thị Hoa", "079185001234", "12 Lê Lợi, phường Bến Thành", "0901 234 567")


def test_a_person_is_kept_trimmed_in_nfc_with_the_number_and_phone_as_digits() -> None:
    """Spaces, dots and hyphens between digit groups, and full-width digits, are taken out."""
    person = Person(
        "  Nguye\u0302\u0303n Văn A ", "０７９ 185.001-234", " 1 Lê Lợi ", "+84 (90) 123-4567"
    )
    assert person == Person("Nguyễn Văn A", "079185001234", "1 Lê Lợi", "+84901234567")
    assert person.id_last4 == "1234"


def test_an_empty_identification_number_is_none() -> None:
    """A form's empty field gives no number, not a malformed one."""
    assert Person("Trần B", "").id_number is None
    assert Person("Trần B").id_last4 is None


@pytest.mark.parametrize(
    "number", ["07918500123", "0791850012345", "07918500123A", "O79185001234", 79185001234]
)
def test_an_identification_number_that_is_not_12_digits_is_refused_without_repeating_it(
    number: object,
) -> None:
    """The refusal says the rule, never the number given: it would reach logs and pages."""
    with pytest.raises(InvalidPersonError) as refused:
        Person("Trần B", number)  # type: ignore[arg-type]
    assert refused.value.case == "id_number"
    assert str(number) not in str(refused.value)
    assert refused.value.values == {}


def test_a_person_without_a_name_is_refused() -> None:
    """A petitioner who signs needs a full name; blanks are no name."""
    with pytest.raises(InvalidPersonError) as refused:
        Person(" \u3000 ", "079185001234")
    assert refused.value.case == "name_needed"


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("full_name", "Nguyễn\x00Văn", "control"),
        ("full_name", "Nguyễn\nVăn", "line_break"),
        ("full_name", "N" * 201, "too_long"),
        ("address", "A" * 501, "too_long"),
        ("address", "phố \u202eabc", "control"),
        ("phone", "0" * 41, "too_long"),
    ],
)
def test_a_person_s_texts_pass_the_rule_of_every_command_s_texts(
    field: str, value: str, problem: str
) -> None:
    """domain.shared.text: the field and what is wrong with it."""
    with pytest.raises(InvalidTextError) as refused:
        dataclasses.replace(PERSON, **{field: value})
    assert (refused.value.field, refused.value.problem) == (field, problem)


@pytest.mark.parametrize("phone", ["1234567", "0901-23456-78901234", "số 0901", "++84901234567"])
def test_a_phone_that_is_not_8_to_15_digits_is_refused_without_repeating_it(phone: str) -> None:
    """After an optional +; separators between groups are allowed, letters are not."""
    with pytest.raises(InvalidPersonError) as refused:
        dataclasses.replace(PERSON, phone=phone)
    assert refused.value.case == "phone"
    assert phone not in str(refused.value)


@given(id_numbers)
def test_every_12_digit_number_is_an_identification_number(number: str) -> None:
    """As written, and written in groups of three."""
    grouped = " ".join(number[i : i + 3] for i in range(0, 12, 3))
    assert id_number_of(number) == id_number_of(grouped) == number


@settings(max_examples=200)
@given(persons)
def test_any_valid_person_opens_as_it_was_sealed(person: Person) -> None:
    """seal then open gives the same person back."""
    vault = MemoryVault()
    person_id = uuid4()
    assert vault.open(vault.seal(person_id, person)) == person


@settings(max_examples=100)
@given(persons)
def test_a_sealed_person_holds_nothing_of_the_person_in_clear(person: Person) -> None:
    """Not the name, the number, the address or the phone, in the text or its bytes."""
    sealed = MemoryVault().seal(uuid4(), person).sealed
    raw = base64.urlsafe_b64decode(sealed + "=" * (-len(sealed) % 4))
    for value in (person.full_name, person.id_number, person.address, person.phone):
        if value and len(value.encode()) >= 4:
            assert value not in sealed
            assert value.encode() not in raw


def test_a_sealed_record_s_length_says_little_of_the_name_s() -> None:
    """Records are padded to 256 bytes: a short name and address seal as long as longer ones."""
    vault = MemoryVault()
    short = vault.seal(uuid4(), Person("An", "079185001234")).sealed
    longer = vault.seal(
        uuid4(),
        Person("Nguyễn Thị Minh Khai", "079185001234", "123/45 Nguyễn Thị Minh Khai, Quận 1"),
    ).sealed
    assert len(short) == len(longer)


def test_a_tampered_sealed_record_does_not_open() -> None:
    """Any byte changed, the authentication tag fails: an error, not another person or None."""
    vault = MemoryVault()
    sealed = vault.seal(uuid4(), PERSON)
    raw = bytearray(base64.urlsafe_b64decode(sealed.sealed + "=" * (-len(sealed.sealed) % 4)))
    for at in (0, 12, len(raw) - 1):
        altered = bytearray(raw)
        altered[at] ^= 1
        text = base64.urlsafe_b64encode(altered).rstrip(b"=").decode()
        with pytest.raises(SealBrokenError):
            vault.open(SealedPerson(sealed.person_id, text))
    with pytest.raises(SealBrokenError):
        vault.open(SealedPerson(sealed.person_id, sealed.sealed[:-4]))


def test_a_record_moved_onto_another_person_does_not_open() -> None:
    """The person's id is the associated data: another's key and id do not open it."""
    vault = MemoryVault()
    first, second = vault.seal(uuid4(), PERSON), vault.seal(uuid4(), Person("Lê C"))
    with pytest.raises(SealBrokenError):
        vault.open(SealedPerson(second.person_id, first.sealed))


def test_a_record_does_not_open_under_another_vault_s_keys() -> None:
    """A wrong key does not open it, even for the same person id."""
    person_id = uuid4()
    sealed = MemoryVault().seal(person_id, PERSON)
    other = MemoryVault()
    other.seal(person_id, Person("Lê C"))
    with pytest.raises(SealBrokenError):
        other.open(sealed)


def test_a_wrapped_key_does_not_open_under_another_master_key() -> None:
    """The store's copy of a key is useless without the secret outside the database."""
    person_id = uuid4()
    wrapped = MasterKey(bytes(KEY_BYTES)).wrap(person_id, b"k" * KEY_BYTES)
    with pytest.raises(SealBrokenError):
        MasterKey(b"\x01" * KEY_BYTES).unwrap(person_id, wrapped)
    with pytest.raises(SealBrokenError):
        MasterKey(bytes(KEY_BYTES)).unwrap(uuid4(), wrapped)


def test_a_person_sealed_again_keeps_their_key() -> None:
    """The first and the second record both open; the id hash follows the latest number."""
    vault = MemoryVault()
    person_id = uuid4()
    first = vault.seal(person_id, PERSON)
    corrected = dataclasses.replace(PERSON, id_number="079185009999")
    second = vault.seal(person_id, corrected)
    assert vault.open_many([first, second]) == {person_id: corrected}
    assert vault.open(first) == PERSON
    assert vault.persons_with("079185009999") == (person_id,)
    assert vault.persons_with("079185001234") == ()


def test_persons_are_found_by_their_identification_number_however_it_is_written() -> None:
    """Every person sealed with it, the number normalised as a Person's is."""
    vault = MemoryVault()
    ids = [uuid4(), uuid4()]
    for person_id in ids:
        vault.seal(person_id, PERSON)
    vault.seal(uuid4(), dataclasses.replace(PERSON, id_number="079185000000"))
    vault.seal(uuid4(), dataclasses.replace(PERSON, id_number=None))
    assert vault.persons_with("079 185 001 234") == tuple(sorted(ids))
    with pytest.raises(InvalidPersonError):
        vault.persons_with("79185001234")


def test_an_erased_person_opens_no_more_is_found_no_more_and_is_never_sealed_again() -> None:
    """Their key destroyed: None, not found by number, and PersonErasedError on a new seal."""
    vault = MemoryVault()
    person_id, other_id = uuid4(), uuid4()
    sealed, other = vault.seal(person_id, PERSON), vault.seal(other_id, Person("Lê C"))
    assert vault.erase(person_id) is True
    assert vault.open(sealed) is None
    assert vault.open_many([sealed, other]) == {person_id: None, other_id: Person("Lê C")}
    assert vault.persons_with(PERSON.id_number or "") == ()
    with pytest.raises(PersonErasedError):
        vault.seal(person_id, PERSON)
    assert vault.erase(person_id) is False


def test_a_person_erased_before_being_sealed_is_never_sealed() -> None:
    """An order naming an id nobody holds yet still stands for that id."""
    vault = MemoryVault()
    person_id = uuid4()
    assert vault.carry_out([person_id]) == 0
    with pytest.raises(PersonErasedError):
        vault.seal(person_id, PERSON)


class CountingKeys(MemoryKeys):
    def __init__(self) -> None:
        super().__init__()
        self.reads = 0

    def wrapped_keys(self, person_ids: object) -> dict[UUID, bytes]:
        self.reads += 1
        return super().wrapped_keys(person_ids)  # type: ignore[arg-type]


def test_many_persons_open_with_one_read_of_the_key_store() -> None:
    """open_many asks the store once, whatever the number of persons."""
    store = CountingKeys()
    secret = bytes(range(KEY_BYTES))
    vault = Vault(store, lambda _create: secret)
    sealed = [vault.seal(uuid4(), Person(f"Người {i}")) for i in range(50)]
    opened = vault.open_many(sealed)
    assert store.reads == 1
    assert [opened[s.person_id] for s in sealed] == [Person(f"Người {i}") for i in range(50)]


def test_a_vault_given_another_secret_than_the_one_recorded_refuses() -> None:
    """Rather than make everyone look erased, it says the key is not the one in use."""
    store = MemoryKeys()
    Vault(store, lambda _create: bytes(KEY_BYTES)).seal(uuid4(), PERSON)
    with pytest.raises(PersonalDataKeyError):
        Vault(store, lambda _create: b"\x02" * KEY_BYTES).seal(uuid4(), PERSON)


def test_the_secret_may_be_made_only_while_the_store_has_recorded_none() -> None:
    """A lost key file is never silently replaced: only a fresh store lets one be made."""
    store = MemoryKeys()
    asked: list[bool] = []

    def secret(create: bool) -> bytes:
        asked.append(create)
        return bytes(KEY_BYTES)

    Vault(store, secret).seal(uuid4(), PERSON)
    Vault(store, secret).open_many([SealedPerson(uuid4(), "AAAA")])
    Vault(store, secret).persons_with("079185001234")
    assert asked == [True, False]


@given(st.binary(min_size=0, max_size=64).filter(lambda b: len(b) != KEY_BYTES))
def test_a_secret_of_another_length_is_refused(secret: bytes) -> None:
    """The personal-data key is 32 bytes."""
    with pytest.raises(PersonalDataKeyError):
        MasterKey(secret)


def application() -> Thucthi:
    return Thucthi({"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=SimulatedClock(START))


ADMIN = Actor("admin", Role.ADMIN)


def test_a_bare_application_keeps_persons_in_memory_and_erases_them_as_an_event() -> None:
    """Without a vault given, the application seals in memory; an erasure by number is
    recorded, then carried out."""
    app = application()
    hoa, other = app.vault.seal(uuid4(), PERSON), app.vault.seal(uuid4(), Person("Lê C"))
    position = app.erase_personal_data(
        id_number="079185001234", reason="Theo đơn", actor=ADMIN, request_id="r"
    )
    assert position == app.max_notification_id() == 1
    assert app.vault.open(hoa) is None
    assert app.vault.open(other) == Person("Lê C")
    assert app.complete_erasures() == 0
    assert app.vault.erased_up_to() == 1


def test_an_order_saved_but_not_carried_out_is_carried_out_by_complete_erasures() -> None:
    """Found in the log from where the vault last noted it had carried out every order."""
    app = application()
    sealed = [app.vault.seal(uuid4(), Person(f"Người {i}")) for i in range(3)]
    erasure = Erasure.order(
        erasure_id=uuid4(),
        person_ids=(sealed[0].person_id, sealed[2].person_id),
        reason="Theo đơn",
        by_id_number=False,
        actor=ADMIN,
        request_id="r",
        at=START,
    )
    app.writer.save(erasure)  # and then the process stopped
    assert app.complete_erasures() == 2
    assert [app.vault.open(s) for s in sealed] == [None, Person("Người 1"), None]
    assert app.complete_erasures() == 0


def test_an_erasure_s_persons_are_recorded_once_each_in_order() -> None:
    """The order names each person once, sorted, whatever was given."""
    first, second = uuid4(), uuid4()
    erasure = Erasure.order(
        erasure_id=uuid4(),
        person_ids=(second, first, second),
        reason=" Theo đơn ",
        by_id_number=False,
        actor=ADMIN,
        request_id="r",
        at=START,
    )
    assert erasure.person_ids == tuple(sorted((first, second)))
    assert erasure.reason == "Theo đơn"


def test_the_trail_tells_an_erasure_in_both_languages_by_its_count_of_persons() -> None:
    """Who erased how many persons' data; never who they were."""
    erasure = Erasure.order(
        erasure_id=uuid4(),
        person_ids=(uuid4(), uuid4()),
        reason="Theo đơn",
        by_id_number=True,
        actor=ADMIN,
        request_id="r",
        at=START,
    )
    (ordered,) = erasure.collect_events()
    assert tell(ordered, ADMIN, {}) == Sentence(
        "Quản trị hệ thống xóa dữ liệu cá nhân của 2 người",
        "The system administrator erased the personal data of 2 persons",
    )
