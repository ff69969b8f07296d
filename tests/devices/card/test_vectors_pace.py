"""ICAO 9303-11 Appendix G.1 (PACE-ECDH-GM, brainpoolP256r1, AES-128) and the AES secure
messaging vectors reproduced exactly."""

from __future__ import annotations

from card_fakes import ScriptedTransport, h, vector

from kiosk.devices.card import crypto
from kiosk.devices.card.apdu import CommandApdu
from kiosk.devices.card.ec import BRAINPOOL_P256R1
from kiosk.devices.card.mrz import MrzKey
from kiosk.devices.card.pace import PACE_ECDH_GM_AES_128, establish_pace, pace_infos
from kiosk.devices.card.sm import SecureMessaging

G1 = vector("pace_ecdh_gm.json")
SM_AES = vector("sm_aes_nonicao.json")


def test_card_access_announces_pace_gm_brainpool() -> None:
    """The wrapped PACEInfo parses to the CCCD's protocol, version 2, parameter 13."""
    (info,) = pace_infos(h(G1["EF_CardAccess_wrapped"]))
    assert (info.protocol, info.version, info.parameter_id) == (PACE_ECDH_GM_AES_128, 2, 13)
    assert info.supported


def test_password_key_k_pi() -> None:
    """K_pi from SHA-1 of the MRZ information matches G.1."""
    assert crypto.kdf(h(G1["K_password"]), 3, "AES") == h(G1["K_pi"])


def test_curve_points_from_private_keys() -> None:
    """Our brainpoolP256r1 arithmetic gives the printed mapping public key."""
    curve = BRAINPOOL_P256R1
    point = curve.multiply(int(G1["map_terminal_private_key"], 16), curve.g)
    assert point == (int(G1["map_terminal_public_key"]["x"], 16),
                     int(G1["map_terminal_public_key"]["y"], 16))


def test_full_pace_exchange_g1() -> None:
    """PACE with the printed terminal keys sends the printed APDUs (except the MSE, which
    we send without DO84 exactly as the spec does) and derives the printed KSenc/KSmac."""
    apdus = G1["apdus"]
    transport = ScriptedTransport([
        (h(apdus["mse_set_at_command"]), h(apdus["mse_set_at_response"])),
        (h(apdus["ga1_get_nonce_command"]), h(apdus["ga1_get_nonce_response"])),
        (h(apdus["ga2_map_nonce_command"]), h(apdus["ga2_map_nonce_response"])),
        (h(apdus["ga3_key_agreement_command"]), h(apdus["ga3_key_agreement_response"])),
        (h(apdus["ga4_mutual_auth_command"]), h(apdus["ga4_mutual_auth_response"])),
    ])
    keys = iter([int(G1["map_terminal_private_key"], 16), int(G1["eph_terminal_private_key"], 16)])
    (info,) = pace_infos(h(G1["EF_CardAccess_wrapped"]))
    mrz = MrzKey("T22000129", "640812", "101031")
    assert mrz.key_input() == G1["mrz"]["MRZ_information"]
    channel = establish_pace(transport, mrz, info, private_key=lambda curve: next(keys))
    assert bytes(channel._ks_enc) == h(G1["KSenc"])
    assert bytes(channel._ks_mac) == h(G1["KSmac"])
    assert channel.ssc == bytes(16)
    assert not transport.script


def test_aes_secure_messaging_vectors() -> None:
    """AES SM with a 16-byte SSC: protect and unprotect match gmrtd's captured values."""
    cmd = SM_AES["protect_command"]
    channel = SecureMessaging(h(cmd["KSenc"]), h(cmd["KSmac"]), h(cmd["SSC_before"]), "AES")
    wrapped = channel.wrap(CommandApdu.parse(h(cmd["unprotected_command_apdu"])))
    assert wrapped == h(cmd["protected_command_apdu"])
    rsp = SM_AES["unprotect_response"]
    channel = SecureMessaging(h(rsp["KSenc"]), h(rsp["KSmac"]), h(rsp["SSC_before"]), "AES")
    data, sw = channel.unwrap(h(rsp["protected_response_apdu"]))
    assert data == h(rsp["unprotected_response_data"])
    assert sw == 0x9000
    assert channel.ssc == h(rsp["SSC_used"])
