"""The virtual chip reproduces the card side of the ICAO 9303-11 worked examples exactly."""

from __future__ import annotations

from virtual_cards import h, scripted, select_app, specimen_card, vector

from kiosk.devices.card.virtual.chip import VirtualCard

BAC = vector("bac.json")
PACE = vector("pace_ecdh_gm.json")
# ICAO 9303-11 D.2: the TD1 specimen L898902C<, born 690806, expiring 940623.
BAC_SPECIMEN = ("I<UTOL898902C<3<<<<<<<<<<<<<<<" "6908061F9406236UTO<<<<<<<<<<<1"
                "ERIKSSON<<ANNA<MARIA<<<<<<<<<<")
# ICAO 9303-11 G.1: T22000129 / 640812 / 101031 in a TD1 layout.
PACE_SPECIMEN = ("I<UTOT220001293<<<<<<<<<<<<<<<" "6408125F1010318UTO<<<<<<<<<<<0"
                 "SPECIMEN<<ANNA<<<<<<<<<<<<<<<<")
# ICAO 9303-11 D.4: EF.COM of the example, as decrypted in steps 2 and 3.
SPECIMEN_COM = h("60145F0104303130365F36063034303030305C026175")


def test_bac_appendix_d_card_side():
    """With RND.IC and K.IC of Appendix D, the chip answers GET CHALLENGE and MUTUAL
    AUTHENTICATE byte for byte, and protects the three D.4 responses (SELECT EF.COM, two
    READ BINARY) with the printed cryptograms and MACs."""
    d3 = BAC["D3_authentication_and_session_keys"]
    card = specimen_card(BAC_SPECIMEN)
    card.files["COM"] = SPECIMEN_COM
    chip = VirtualCard(card, rng=scripted(h(d3["RND_IC"]), h(d3["K_IC"])))
    assert select_app(chip) == 0x9000
    assert chip.transmit(h(d3["get_challenge_command_apdu"])) == h(d3["get_challenge_response_apdu"])
    assert chip.transmit(h(d3["external_authenticate_command_apdu"])) == h(
        d3["external_authenticate_response_apdu"])
    assert chip.access == "BAC"
    assert chip.channel.ssc == h(d3["SSC"])
    for step in BAC["D4_secure_messaging"]["steps"]:
        assert chip.transmit(h(step["protected_command_apdu"])) == h(step["protected_response_apdu"]), \
            step["name"]


def test_bac_wrong_key_is_refused_with_6300():
    """A MUTUAL AUTHENTICATE made with another MRZ's keys answers 63 00 and opens no channel."""
    d3 = BAC["D3_authentication_and_session_keys"]
    chip = VirtualCard(specimen_card(PACE_SPECIMEN), rng=scripted(h(d3["RND_IC"])))
    select_app(chip)
    chip.transmit(h(d3["get_challenge_command_apdu"]))
    assert chip.transmit(h(d3["external_authenticate_command_apdu"])) == h("6300")
    assert chip.channel is None


def test_pace_appendix_g1_card_side():
    """With the nonce s and the chip's two private keys of Appendix G.1, every answer of
    MSE:Set AT and the four GENERAL AUTHENTICATE steps equals the printed one: the
    encrypted nonce (K_pi from the MRZ password), the chip's mapping key, its ephemeral key
    on the mapped generator G' and the token T_IC; the session keys equal KSenc/KSmac and
    the SSC starts at zero."""
    apdus = PACE["apdus"]
    chip = VirtualCard(specimen_card(PACE_SPECIMEN), rng=scripted(
        h(PACE["nonce_s_decrypted"]), h(PACE["map_chip_private_key"]),
        h(PACE["eph_chip_private_key"])))
    for command, response in [
        ("mse_set_at_command", "mse_set_at_response"),
        ("ga1_get_nonce_command", "ga1_get_nonce_response"),
        ("ga2_map_nonce_command", "ga2_map_nonce_response"),
        ("ga3_key_agreement_command", "ga3_key_agreement_response"),
        ("ga4_mutual_auth_command", "ga4_mutual_auth_response"),
    ]:
        assert chip.transmit(h(apdus[command])) == h(apdus[response]), command
    assert chip.access == "PACE"
    assert chip.channel.ssc == bytes(16)
    assert chip.channel._ks_enc == h(PACE["KSenc"])
    assert chip.channel._ks_mac == h(PACE["KSmac"])


def test_pace_mapped_generator_and_shared_secret_match_g1():
    """The chip's own arithmetic gives the printed mapped generator G' and shared secret:
    the ephemeral public key it sends is SK_eph,IC · G' (checked against G' directly)."""
    from kiosk.devices.card.ec import BRAINPOOL_P256R1 as curve

    g_mapped = (int(PACE["mapped_generator"]["x"], 16), int(PACE["mapped_generator"]["y"], 16))
    pk = curve.multiply(int(PACE["eph_chip_private_key"], 16), g_mapped)
    assert pk == (int(PACE["eph_chip_public_key"]["x"], 16), int(PACE["eph_chip_public_key"]["y"], 16))
    terminal = (int(PACE["eph_terminal_public_key"]["x"], 16),
                int(PACE["eph_terminal_public_key"]["y"], 16))
    secret = curve.multiply(int(PACE["eph_chip_private_key"], 16), terminal)
    assert secret[0].to_bytes(32, "big") == h(PACE["shared_secret_K"])


def test_pace_wrong_password_answers_6300_at_the_token_step():
    """A terminal token computed from other keys is refused with 63 00 at step 4, the
    failure is counted, and no channel opens."""
    apdus = PACE["apdus"]
    chip = VirtualCard(specimen_card(PACE_SPECIMEN), rng=scripted(
        h(PACE["nonce_s_decrypted"]), h(PACE["map_chip_private_key"]),
        h(PACE["eph_chip_private_key"])))
    for command in ("mse_set_at_command", "ga1_get_nonce_command", "ga2_map_nonce_command",
                    "ga3_key_agreement_command"):
        chip.transmit(h(apdus[command]))
    wrong_token = h(apdus["ga4_mutual_auth_command"])
    wrong_token = wrong_token[:-2] + bytes([wrong_token[-2] ^ 1]) + wrong_token[-1:]
    assert chip.transmit(wrong_token) == h("6300")
    assert chip.pace_failures == 1 and chip.channel is None
