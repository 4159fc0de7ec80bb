"""The binding scenario, from Python, against the built library.

Run by bindings/test.sh with the generated package `citizen_wallet` (both generated modules and
libcitizen_wallet_ffi.so) on PYTHONPATH. The same scenario runs in Kotlin and Swift:

* a wallet protected by a key provider written here (HMAC-SHA256 encrypt-then-MAC, standard
  library only);
* an issuer world built with the issuer functions: root key, four authorities, a signed trust
  list and status lists;
* the credentials of the five sample people issued, imported, the clinic check-in presented as a
  QR code and verified (text and PNG);
* typed errors: wrong PIN (with retry-after), back-off, the PIN disabled after 10 failures,
  rejected credentials, tampered QR codes;
* the PIN as bytes (the app wipes its buffer) and data key rotation;
* one wallet and one verifier used from four threads at once;
* the packed QrMatrix and pixel buffers, negative numbers as InvalidInput, and the async
  variants as coroutines on one asyncio event loop (typed errors, many calls in flight).

Prints `python: N passed, N failed` and exits non-zero on any failure.
"""

import asyncio
import ctypes
import hashlib
import hmac
import json
import os
import sys
import tempfile
import threading
import time
import unittest

from citizen_wallet import (
    CredentialType,
    InternalError,
    Issuer,
    ImageError,
    IssuerKey,
    KeyProvider,
    Lang,
    PixelFormat,
    ListUpdate,
    Outcome,
    ReaderRole,
    RequestPurpose,
    RejectReason,
    ScanResult,
    Sex,
    StaleReason,
    StateError,
    StatusList,
    TimeSource,
    TrustList,
    TrustedIssuer,
    TrustedReader,
    Verifier,
    VerifierConfig,
    Wallet,
    WalletError,
    core_version,
    credential_type_label_en,
    credential_type_label_vi,
    credentials_from_people_json,
    default_sd_claims,
    list_update_message,
    read_qr_luma,
    reader_role_allowed_types,
    reader_role_label,
    request_purpose_message,
    sign_trust_list_with_readers,
    sign_trust_list,
    software_key_provider,
    transfer_text,
)

HERE = os.path.dirname(os.path.abspath(__file__))
PEOPLE_JSON = os.environ.get(
    "CWALLET_PEOPLE_JSON",
    os.path.join(HERE, "..", "..", "..", "core", "tests", "data", "people.json"),
)
DAY = 86_400
NOW = int(time.time())
PIN = "246810"


def is_dark(matrix, x, y):
    """Module (x, y) of the packed QrMatrix: row-major, most significant bit first, 1 = dark."""
    i = y * matrix.size + x
    return (matrix.bits[i // 8] >> (7 - i % 8)) & 1 == 1


class HmacKeyProvider(KeyProvider):
    """A key provider in pure Python: encrypt-then-MAC with HMAC-SHA256.

    The keystream is HMAC-SHA256(enc_key, nonce || counter) (a PRF in counter mode), the tag
    HMAC-SHA256(mac_key, version || nonce || ciphertext). A real app uses the platform keystore;
    this one shows the contract: wrap/unwrap round-trip, a wrong key raises WalletError.WrongKey.
    """

    VERSION = b"\x01"

    def __init__(self, key_id, secret=None):
        secret = secret if secret is not None else os.urandom(32)
        self._id = key_id
        self._enc = hmac.new(secret, b"citizen-wallet test provider: enc", hashlib.sha256).digest()
        self._mac = hmac.new(secret, b"citizen-wallet test provider: mac", hashlib.sha256).digest()
        self._lock = threading.Lock()
        self.wraps = 0
        self.unwraps = 0

    def key_id(self):
        return self._id

    def _keystream(self, nonce, n):
        out = b""
        counter = 0
        while len(out) < n:
            out += hmac.new(self._enc, nonce + counter.to_bytes(4, "big"), hashlib.sha256).digest()
            counter += 1
        return out[:n]

    def wrap(self, data_key):
        with self._lock:
            self.wraps += 1
        nonce = os.urandom(16)
        ct = bytes(a ^ b for a, b in zip(data_key, self._keystream(nonce, len(data_key))))
        tag = hmac.new(self._mac, self.VERSION + nonce + ct, hashlib.sha256).digest()
        return self.VERSION + nonce + ct + tag

    def unwrap(self, wrapped):
        with self._lock:
            self.unwraps += 1
        if len(wrapped) < 1 + 16 + 32 or wrapped[:1] != self.VERSION:
            raise WalletError.WrongKey()
        nonce, ct, tag = wrapped[1:17], wrapped[17:-32], wrapped[-32:]
        expected = hmac.new(self._mac, self.VERSION + nonce + ct, hashlib.sha256).digest()
        if not hmac.compare_digest(tag, expected):
            raise WalletError.WrongKey()
        return bytes(a ^ b for a, b in zip(ct, self._keystream(nonce, len(ct))))


class BrokenKeyProvider(KeyProvider):
    """Fails with an exception that is not a WalletError (a bug in the app's provider)."""

    def key_id(self):
        return "broken"

    def wrap(self, data_key):
        raise RuntimeError("keystore exploded")

    def unwrap(self, wrapped):
        raise RuntimeError("keystore exploded")


class SettableClock(TimeSource):
    """The app's own time source (a counter synchronised to a trusted server; here, a test)."""

    def __init__(self, now):
        self.now = now

    def now_unix(self):
        return self.now


class World:
    """A root, four authorities, a signed trust list and status lists, built through the bindings."""

    def __init__(self):
        self.root = IssuerKey.generate()
        self.issuers = {}
        entries = []
        authorities = [
            ("BCA", "Bộ Công an", "Ministry of Public Security", [CredentialType.CITIZEN_ID]),
            ("BHXH", "Bảo hiểm xã hội Việt Nam", "Vietnam Social Security",
             [CredentialType.HEALTH_INSURANCE, CredentialType.CLINIC_CHECKIN]),
            ("BYT", "Bộ Y tế", "Ministry of Health", [CredentialType.HEALTH_BOOK]),
            ("BTP", "Bộ Tư pháp", "Ministry of Justice", [CredentialType.JUDICIAL_RECORD]),
        ]
        self.keys = {}
        for i, (iss, vi, en, types) in enumerate(authorities):
            key = IssuerKey.from_seed(bytes([i + 2]) * 32)
            self.keys[iss] = key
            issuer = Issuer(key, iss)
            for t in types:
                self.issuers[t] = issuer
            entries.append(TrustedIssuer(
                kid=key.kid(), public_key=key.public_key(), iss=iss, name_vi=vi, name_en=en,
                not_before=NOW - 365 * DAY, not_after=NOW + 5 * 365 * DAY, types=types))
        self.entries = entries
        self.trust_bytes = sign_trust_list(self.root, NOW - DAY, entries)
        self.trust = TrustList.from_signed(self.trust_bytes, self.root.public_key())
        self.status = {iss: StatusList(key.kid(), 4096, NOW - 3600, 7 * DAY)
                       for iss, key in self.keys.items()}
        self.next_index = 1

    def signed_status_lists(self):
        return [self.status[iss].sign(self.keys[iss]) for iss in self.status]

    def verifier(self, clock=None):
        return Verifier.with_config(
            self.trust_bytes, self.root.public_key(), self.signed_status_lists(),
            VerifierConfig(audience=None, accept_offline_audience=True, clock_skew_secs=60),
            clock=clock)

    def issue(self, cred, holder_public_key):
        index = self.next_index
        self.next_index += 1
        issued = self.issuers[cred.credential_type].issue_default(
            cred.credential_type, cred.json, holder_public_key, NOW - DAY, NOW + 365 * DAY, index)
        return issued, index


def load_people():
    with open(PEOPLE_JSON, encoding="utf-8") as f:
        creds = credentials_from_people_json(f.read())
    people = {}
    for c in creds:
        people.setdefault(c.person_key, []).append(c)
    return people


class BindingsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.world = World()
        cls.verifier = cls.world.verifier()
        cls.people = load_people()

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def path(self, name):
        return os.path.join(self.tmp.name, name)

    def wallet_with_credentials(self, name, person_key):
        """A provider-protected wallet holding every issued credential of one person."""
        provider = HmacKeyProvider("test-key-" + name)
        wallet = Wallet.create_with_key_provider(self.path(name + ".db"), provider)
        holder = wallet.holder_public_key()
        ids = {}
        for n, cred in enumerate(self.people[person_key]):
            issued, index = self.world.issue(cred, holder)
            if n % 2 == 0:
                cid = wallet.import_issued(issued, self.world.trust)
            else:
                cid = wallet.import_issued_text(transfer_text(issued), self.world.trust)
            ids[cred.credential_type] = (cid, index, json.loads(cred.json))
        return wallet, provider, ids

    def test_version(self):
        self.assertRegex(core_version(), r"^\d+\.\d+\.\d+")

    def test_python_key_provider_wraps_and_unlocks(self):
        provider = HmacKeyProvider("test-key-unlock")
        wallet = Wallet.create_with_key_provider(self.path("unlock.db"), provider)
        self.assertEqual(provider.wraps, 1)
        holder = wallet.holder_public_key()
        self.assertEqual(len(holder), 32)
        wallet.lock()
        self.assertTrue(wallet.is_locked())
        with self.assertRaises(WalletError.Locked):
            wallet.holder_public_key()
        wallet.unlock_with_key_provider(provider)
        self.assertEqual(provider.unwraps, 1)
        self.assertEqual(wallet.holder_public_key(), holder)
        reopened = Wallet.open_with_key_provider(self.path("unlock.db"), provider)
        self.assertEqual(reopened.holder_public_key(), holder)
        # Another key (same id) must not open it: the provider raises WrongKey, typed end to end.
        with self.assertRaises(WalletError.WrongKey):
            Wallet.open_with_key_provider(self.path("unlock.db"), HmacKeyProvider("test-key-unlock"))
        # The wrap construction itself: random nonce, no plaintext, tamper detected.
        dk = os.urandom(32)
        w1, w2 = provider.wrap(dk), provider.wrap(dk)
        self.assertNotEqual(w1, w2)
        self.assertNotIn(dk, w1)
        self.assertEqual(provider.unwrap(w1), dk)
        with self.assertRaises(WalletError.WrongKey):
            provider.unwrap(w1[:-1] + bytes([w1[-1] ^ 1]))

    def test_provider_exception_becomes_typed_error(self):
        with self.assertRaises(WalletError.KeyProvider):
            Wallet.create_with_key_provider(self.path("broken.db"), BrokenKeyProvider())
        self.assertFalse(os.path.exists(self.path("broken.db")), "a failed create leaves no file")

    def test_rust_software_key_provider(self):
        provider = software_key_provider("software")
        self.assertEqual(provider.key_id(), "software")
        wallet = Wallet.create_with_key_provider(self.path("software.db"), provider)
        wallet.lock()
        wallet.unlock_with_key_provider(provider)
        self.assertFalse(wallet.is_locked())

    def test_five_people_import_present_checkin_and_verify(self):
        self.assertEqual(len(self.people), 5)
        for person_key, creds in self.people.items():
            with self.subTest(person=person_key):
                wallet, provider, ids = self.wallet_with_credentials("p-" + person_key, person_key)
                self.assertEqual(provider.wraps, 1)
                listed = wallet.list(None)
                self.assertEqual(len(listed), len(creds))
                self.assertTrue(all(s.signed for s in listed))
                self.assertEqual(len(wallet.list(CredentialType.CLINIC_CHECKIN)), 1)
                self.assertEqual([s.id for s in wallet.list_summaries(None)], [s.id for s in listed])

                cid, _, fields = ids[CredentialType.CLINIC_CHECKIN]
                detail = wallet.get(cid)
                self.assertEqual(detail.summary.credential_type, CredentialType.CLINIC_CHECKIN)
                self.assertEqual({c.name for c in detail.claims},
                                 {"full_name", "dob", "citizen_id", "bhyt_code"})

                p = wallet.present(cid, [])
                self.assertTrue(p.qr_text().startswith("VN2:"))
                self.assertEqual(sorted(p.always_visible()),
                                 ["bhyt_code", "citizen_id", "dob", "full_name"])
                self.assertEqual(p.audience(), "offline")
                self.assertGreater(p.expires_at(), NOW)
                self.assertGreater(p.byte_count(), 100)
                self.assertLessEqual(p.qr_version(), 15, "check-in QR fits a counter imager")
                m = p.matrix()
                self.assertEqual(m.version, p.qr_version())
                self.assertEqual(m.size, 17 + 4 * m.version)
                self.assertEqual(len(m.bits), (m.size * m.size + 7) // 8)
                self.assertTrue(is_dark(m, 0, 0), "finder pattern corner is dark")
                png = p.png(4)
                self.assertEqual(png[:8], b"\x89PNG\r\n\x1a\n")
                self.assertIn("<svg", p.svg())

                v = self.verifier.verify_text(p.qr_text())
                self.assertEqual(v.outcome, Outcome.VALID, v.message_en)
                self.assertTrue(v.status.is_valid(), v.message_en)
                self.assertIsNone(v.reject_reason)
                self.assertTrue(v.message_en.startswith("VALID"), v.message_en)
                self.assertTrue(v.message_vi.startswith("HỢP LỆ"), v.message_vi)
                self.assertEqual(v.credential_type, CredentialType.CLINIC_CHECKIN)
                self.assertEqual(v.issuer_name_en, "Vietnam Social Security")
                claims = {c.name: c for c in v.claims}
                self.assertEqual(set(claims), {"full_name", "dob", "citizen_id", "bhyt_code"})
                self.assertEqual(claims["full_name"].value, fields["full_name"])
                self.assertEqual(claims["citizen_id"].value, fields["citizen_id"])
                self.assertEqual(claims["bhyt_code"].value, fields["bhyt_code"])
                self.assertIn(fields["dob"][:4], claims["dob"].value)
                self.assertEqual(claims["full_name"].label_en, "Full name")
                self.assertTrue(claims["full_name"].label_vi)
                self.assertNotEqual(claims["full_name"].label_vi, claims["full_name"].label_en)

                from_png = self.verifier.verify_png(png)
                self.assertEqual(from_png.outcome, Outcome.VALID, from_png.message_en)
                self.assertEqual(from_png.claims, v.claims)

    def test_selective_disclosure_hides_undisclosed_claims(self):
        wallet, _, ids = self.wallet_with_credentials("sd", "ha")
        cid, _, fields = ids[CredentialType.CITIZEN_ID]
        v = self.verifier.verify_text(wallet.present(cid, ["full_name"]).qr_text())
        self.assertEqual(v.outcome, Outcome.VALID, v.message_en)
        shown = {c.name: c for c in v.claims}
        self.assertTrue(shown["full_name"].selectively_disclosed)
        self.assertNotIn("citizen_id", shown)
        self.assertNotIn("address", shown)
        # The claim picker offers the issuer's selectively disclosable claims this credential has.
        offered = wallet.disclosable_claims(cid)
        has = [c.name for c in wallet.get(cid).claims]
        policy = default_sd_claims(CredentialType.CITIZEN_ID)
        self.assertEqual(offered, [n for n in has if n in policy])
        p = wallet.present(cid, ["full_name"])
        self.assertEqual(p.disclosed(), ["full_name"])
        self.assertFalse(set(p.always_visible()) & set(offered))
        self.assertEqual(sorted(p.always_visible() + offered), sorted(has))

    def test_wrong_pin_is_typed_with_retry_after(self):
        path = self.path("pin.db")
        wallet = Wallet.create_with_pin(path, PIN)
        holder = wallet.holder_public_key()
        with self.assertRaises(WalletError.WrongPin) as ctx:
            Wallet.open_with_pin(path, "135790")
        self.assertEqual(ctx.exception.retry_after_secs, 1)
        self.assertEqual(ctx.exception.failed_attempts, 1)
        time.sleep(ctx.exception.retry_after_secs + 0.2)
        with self.assertRaises(WalletError.WrongPin) as ctx:
            Wallet.open_with_pin(path, "135790")
        self.assertEqual(ctx.exception.retry_after_secs, 2, "back-off doubles")
        self.assertEqual(ctx.exception.failed_attempts, 2)
        # Within the back-off window even the right PIN is not checked.
        with self.assertRaises(WalletError.PinBackoff) as ctx2:
            Wallet.open_with_pin(path, PIN)
        self.assertGreaterEqual(ctx2.exception.retry_after_secs, 1)
        locked = Wallet.open_locked(path)
        self.assertTrue(locked.is_locked())
        wait = locked.pin_retry_after_secs()
        self.assertLessEqual(wait, 2)
        time.sleep(wait + 0.2)
        self.assertEqual(Wallet.open_with_pin(path, PIN).holder_public_key(), holder)
        with self.assertRaises(WalletError.InvalidInput) as ctx3:
            Wallet.create_with_pin(self.path("short-pin.db"), "12")
        self.assertIn("PIN", str(ctx3.exception).upper())

    def test_pin_as_bytes_entry_points_and_the_app_wipes_its_buffer(self):
        # The PIN as bytes; the library wipes its own copy. Text and bytes are the same PIN.
        # (The generated Python writer takes `bytes`, not a `bytearray`, so each call below
        # passes an immutable copy the app cannot wipe: Python is not where PIN hygiene can
        # be had; Kotlin and Swift apps wipe their arrays. See SECURITY.md.)
        path = self.path("pin-bytes.db")
        pin = bytearray(PIN.encode())
        wallet = Wallet.create_with_pin_bytes(path, bytes(pin))
        holder = wallet.holder_public_key()
        wallet.lock()
        wallet.unlock_with_pin_bytes(bytes(pin))
        self.assertEqual(Wallet.open_with_pin(path, PIN).holder_public_key(), holder)
        self.assertEqual(Wallet.open_with_pin_bytes(path, bytes(pin)).holder_public_key(), holder)
        new_pin = bytearray("mật khẩu 2468".encode())
        wallet.change_pin_bytes(bytes(pin), bytes(new_pin))
        for i in range(len(pin)):
            pin[i] = 0
        self.assertEqual(pin, bytearray(len(PIN)), "the app's own bytearray is the app's to wipe")
        with self.assertRaises(ctypes.ArgumentError):  # the generated writer and a bytearray
            Wallet.open_with_pin_bytes(path, bytearray("mật khẩu 2468".encode()))
        self.assertEqual(Wallet.open_with_pin(path, "mật khẩu 2468").holder_public_key(), holder)
        with self.assertRaises(WalletError.InvalidInput):
            wallet.set_pin_bytes(b"\xff\xfe\xfd\xfc\xfb\xfa")  # not UTF-8 text
        wallet.set_pin_bytes(b"97531086")
        self.assertEqual(Wallet.open_with_pin_bytes(path, b"97531086").holder_public_key(), holder)

    def test_ten_wrong_pins_disable_the_pin_until_the_key_provider_unlocks(self):
        clock = SettableClock(NOW)
        provider = HmacKeyProvider("pin-locked")
        path = self.path("pin-locked.db")
        wallet = Wallet.create_with_pin(path, PIN, clock=clock)
        wallet.set_key_provider(provider)
        for n in range(1, 11):
            if n < 10:
                with self.assertRaises(WalletError.WrongPin) as ctx:
                    Wallet.open_with_pin(path, "135790", clock=clock)
                self.assertEqual(ctx.exception.failed_attempts, n)
                clock.now += ctx.exception.retry_after_secs
            else:
                with self.assertRaises(WalletError.PinLocked):
                    Wallet.open_with_pin(path, "135790", clock=clock)
        clock.now += 365 * DAY
        with self.assertRaises(WalletError.PinLocked):
            Wallet.open_with_pin(path, PIN, clock=clock)
        with self.assertRaises(WalletError.PinLocked):
            Wallet.open_locked(path, clock=clock).pin_retry_after_secs()
        Wallet.open_with_key_provider(path, provider, clock=clock)
        self.assertFalse(Wallet.open_with_pin(path, PIN, clock=clock).is_locked())

    def test_rotate_data_key_after_a_pin_change_locks_out_an_old_copy(self):
        import shutil
        import sqlite3
        provider = HmacKeyProvider("rotate")
        path = self.path("rotate.db")
        wallet = Wallet.create_with_pin(path, PIN)
        wallet.set_key_provider(provider)
        cred = self.people["ha"][0]
        wallet.add_json(cred.credential_type, cred.json)
        old_copy = self.path("rotate-old.db")
        shutil.copy(path, old_copy)
        shutil.copy(path + "-wal", old_copy + "-wal")
        # Every way of unlocking must be given; a missing one changes nothing.
        with self.assertRaises(WalletError.InvalidInput) as ctx:
            wallet.rotate_data_key(pin=b"24682468")
        self.assertEqual(ctx.exception.field, "key provider")
        # Change the PIN and the key at once.
        self.assertEqual(wallet.rotate_data_key(pin=b"24682468", key_provider=provider), 1)
        later = self.people["ha"][1]
        later_id = wallet.add_json(later.credential_type, later.json)
        self.assertEqual(len(Wallet.open_with_pin(path, "24682468").list(None)), 2)
        self.assertEqual(len(Wallet.open_with_key_provider(path, provider).list(None)), 2)
        # Someone with the old copy and the old PIN puts its PIN slot into the later file.
        stolen = self.path("rotate-stolen.db")
        shutil.copy(path, stolen)
        shutil.copy(path + "-wal", stolen + "-wal")
        old, new = sqlite3.connect(old_copy), sqlite3.connect(stolen)
        try:
            row = old.execute(
                "SELECT wrapped, salt, kdf_params FROM key_slots WHERE slot = 'pin'").fetchone()
            new.execute(
                "UPDATE key_slots SET wrapped = ?, salt = ?, kdf_params = ? WHERE slot = 'pin'", row)
            new.commit()
        finally:
            old.close()
            new.close()
        with self.assertRaises(WalletError.WrongKey):
            Wallet.open_with_pin(stolen, PIN)
        self.assertEqual(wallet.get(later_id).summary.id, later_id)

    def test_tampered_qr_is_invalid(self):
        wallet, _, ids = self.wallet_with_credentials("tamper", "minh")
        text = wallet.present(ids[CredentialType.CLINIC_CHECKIN][0], []).qr_text()
        self.assertEqual(self.verifier.verify_text(text).outcome, Outcome.VALID)
        # Change one character in the signed body (base45 alphabet keeps it decodable).
        i = len(text) // 2
        alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
        tampered = text[:i] + alphabet[(alphabet.index(text[i]) + 1) % 45] + text[i + 1:]
        v = self.verifier.verify_text(tampered)
        self.assertEqual(v.outcome, Outcome.INVALID)
        self.assertTrue(v.status.is_invalid())
        self.assertIn(v.reject_reason, {RejectReason.BAD_ISSUER_SIGNATURE,
                                        RejectReason.BAD_HOLDER_SIGNATURE,
                                        RejectReason.MALFORMED})
        self.assertTrue(v.message_en.startswith("INVALID"), v.message_en)
        self.assertTrue(v.message_vi.startswith("KHÔNG HỢP LỆ"), v.message_vi)
        self.assertEqual(v.claims, [], "an invalid code shows nothing")
        self.assertEqual(self.verifier.verify_text(text[:-20]).reject_reason, RejectReason.MALFORMED)
        self.assertEqual(self.verifier.verify_text("HC1:NCFOXN%TS3DH3ZSUZK+.V0ET").reject_reason,
                         RejectReason.NOT_OUR_FORMAT)
        with self.assertRaises(WalletError.Image) as img:
            self.verifier.verify_png(b"not a png")
        self.assertEqual(img.exception.problem, ImageError.NOT_AN_IMAGE)

    def test_camera_frames_with_row_stride_and_images_of_either_format(self):
        wallet, _, ids = self.wallet_with_credentials("stride", "bao")
        qr = wallet.present(ids[CredentialType.CLINIC_CHECKIN][0], [])
        px = qr.pixels(3, PixelFormat.RGBA)
        luma = bytes(px.bytes[0::4])
        # Rows padded to a 64-byte multiple, as camera planes often are; the padding is noise.
        stride = (px.width + 63) // 64 * 64
        padded = b"".join(luma[y * px.width:(y + 1) * px.width] + bytes([0x5A]) * (stride - px.width)
                          for y in range(px.height))
        v = self.verifier.verify_luma_with_stride(px.width, px.height, stride, padded)
        self.assertEqual(v.outcome, Outcome.VALID, v.message_en)
        with self.assertRaises(WalletError.InvalidInput):
            self.verifier.verify_luma_with_stride(px.width, px.height, -1, padded)
        with self.assertRaises(WalletError.InvalidInput):  # too few bytes for the stride
            self.verifier.verify_luma_with_stride(px.width, px.height, stride, padded[:-stride])
        with self.assertRaises(WalletError.InvalidInput):  # a stride below the width
            self.verifier.verify_luma_with_stride(px.width, px.height, px.width - 1, padded)
        # The text alone, for codes that are not presentations (requests, ID cards).
        self.assertEqual(read_qr_luma(px.width, px.height, stride, padded), qr.qr_text())
        with self.assertRaises(WalletError.Image):
            read_qr_luma(64, 64, 64, b"\xff" * 64 * 64)
        self.assertEqual(self.verifier.verify_image(qr.png(4)).outcome, Outcome.VALID)
        verdict = asyncio.run(self.verifier.verify_image_async(qr.png(4)))
        self.assertEqual(verdict.outcome, Outcome.VALID, verdict.message_en)
        with self.assertRaises(WalletError.Image) as e:
            self.verifier.verify_image(b"GIF89a not supported")
        self.assertEqual(e.exception.problem, ImageError.NOT_AN_IMAGE)

    def test_one_scanner_reads_presentations_and_id_card_qr_as_unverified_data(self):
        wallet, _, ids = self.wallet_with_credentials("scan", "minh")
        text = wallet.present(ids[CredentialType.CLINIC_CHECKIN][0], []).qr_text()
        scan = self.verifier.scan_text(text)
        self.assertIsInstance(scan, ScanResult.PRESENTATION)
        self.assertEqual(scan.verdict, self.verifier.verify_text(text))
        self.assertEqual(scan.verdict.outcome, Outcome.VALID)
        card_qr = "\ufeff079085012384||Trần Văn Minh|02111985|Nam|123/45 Lê Văn Sỹ, Phường 13, Quận 3, Hồ Chí Minh|25042021\n"
        scan = self.verifier.scan_text(card_qr)
        self.assertIsInstance(scan, ScanResult.ID_CARD)
        card = scan.card
        self.assertEqual((card.citizen_id, card.old_id, card.full_name, card.date_of_birth, card.sex, card.issue_date),
                         ("079085012384", None, "Trần Văn Minh", "1985-11-02", Sex.MALE, "2021-04-25"))
        self.assertTrue(card.message_en.startswith("ID CARD: UNVERIFIED DATA"), card.message_en)
        self.assertTrue(card.message_vi.startswith("THẺ CCCD: DỮ LIỆU CHƯA XÁC THỰC"), card.message_vi)
        # A presentation-only counter calls it "not ours", never "damaged".
        self.assertEqual(self.verifier.verify_text(card_qr).reject_reason, RejectReason.NOT_OUR_FORMAT)
        # Card-shaped but not a valid card (31 February): a typed error, not a verdict.
        with self.assertRaises(WalletError.InvalidInput):
            self.verifier.scan_text(card_qr.replace("02111985", "31021985"))
        # A damaged presentation stays a rejected presentation.
        scan = self.verifier.scan_text(text[:-20])
        self.assertIsInstance(scan, ScanResult.PRESENTATION)
        self.assertEqual(scan.verdict.outcome, Outcome.INVALID)

    def test_tampered_or_foreign_credential_is_rejected_on_import(self):
        wallet = Wallet.create_with_key_provider(self.path("import.db"), HmacKeyProvider("imp"))
        cred = self.people["linh"][0]
        issued, _ = self.world.issue(cred, wallet.holder_public_key())
        bad = bytearray(issued)
        bad[-1] ^= 0x01  # the last byte is in the issuer signature
        with self.assertRaises(WalletError.Rejected) as ctx:
            wallet.import_issued(bytes(bad), self.world.trust)
        self.assertEqual(ctx.exception.reason, RejectReason.BAD_ISSUER_SIGNATURE)
        self.assertTrue(ctx.exception.message_en)
        self.assertTrue(ctx.exception.message_vi)
        # A credential from an authority outside the trust list.
        rogue = Issuer(IssuerKey.generate(), "BCA")
        rogue_issued = rogue.issue_default(cred.credential_type, cred.json,
                                           wallet.holder_public_key(), NOW - DAY, NOW + DAY, 1)
        with self.assertRaises(WalletError.Rejected) as ctx2:
            wallet.import_issued(rogue_issued, self.world.trust)
        # (format 2 names no issuer: a type the trusted BCA issues, signed by no trusted key)
        self.assertEqual(ctx2.exception.reason, RejectReason.BAD_ISSUER_SIGNATURE)
        # Issued to another wallet's holder key.
        other = Wallet.create_with_key_provider(self.path("other.db"), HmacKeyProvider("other"))
        foreign, _ = self.world.issue(cred, other.holder_public_key())
        with self.assertRaises(WalletError.InvalidInput):
            wallet.import_issued(foreign, self.world.trust)
        self.assertEqual(wallet.list(None), [], "nothing stored after rejections")
        # A trust list signed by another root does not verify.
        with self.assertRaises(WalletError.Rejected) as ctx3:
            TrustList.from_signed(self.world.trust_bytes, IssuerKey.generate().public_key())
        self.assertEqual(ctx3.exception.reason, RejectReason.BAD_TRUST_DATA)
        with self.assertRaises(WalletError.InvalidInput):
            TrustList.from_signed(self.world.trust_bytes, b"short")

    def test_revoked_credential_is_invalid(self):
        wallet, _, ids = self.wallet_with_credentials("revoked", "bao")
        cid, index, _ = ids[CredentialType.CLINIC_CHECKIN]
        verifier = self.world.verifier()
        text = wallet.present(cid, []).qr_text()
        self.assertEqual(verifier.verify_text(text).outcome, Outcome.VALID)
        status = self.world.status["BHXH"]
        status.revoke(index)
        self.assertTrue(status.is_revoked(index))
        status.set_issued_at(NOW - 60)
        verifier.update_status_list(status.sign(self.world.keys["BHXH"]))
        v = verifier.verify_text(text)
        self.assertEqual(v.reject_reason, RejectReason.REVOKED)
        with self.assertRaises(WalletError.InvalidInput):
            status.sign(self.world.keys["BCA"])

    def test_counter_without_status_lists_shows_amber_never_valid(self):
        """Finding 4: a counter never given status lists cannot know whether a credential was
        revoked. Its verdict is amber (STATUS_NOT_CURRENT), never the green VALID a screen shows
        without question; there is no `is_valid` that used to be True here. A skew above five
        minutes is refused (finding 6)."""
        wallet, _, ids = self.wallet_with_credentials("amber", "ha")
        cid, index, _ = ids[CredentialType.CITIZEN_ID]
        text = wallet.present(cid, ["full_name"]).qr_text()
        status = self.world.status["BCA"]
        status.revoke(index)
        status.set_issued_at(NOW - 60)
        current = self.world.verifier()
        self.assertEqual(current.verify_text(text).outcome, Outcome.INVALID)
        self.assertEqual(current.verify_text(text).reject_reason, RejectReason.REVOKED)
        bare = Verifier(self.world.trust_bytes, self.world.root.public_key())
        v = bare.verify_text(text)
        self.assertEqual(v.outcome, Outcome.STATUS_NOT_CURRENT, v.message_en)
        self.assertTrue(v.status.is_valid_stale())
        self.assertEqual((v.status.as_of, v.status.reason), (None, StaleReason.NO_STATUS_LIST))
        self.assertIsNone(v.status_as_of)
        self.assertIsNone(v.reject_reason)
        self.assertIn("no status list from this issuer", v.message_en)
        self.assertIn("full_name", [c.name for c in v.claims])
        with self.assertRaises(WalletError.InvalidInput) as ctx:
            Verifier.with_config(
                self.world.trust_bytes, self.world.root.public_key(), [],
                VerifierConfig(audience=None, accept_offline_audience=True, clock_skew_secs=301))
        self.assertIn("300", str(ctx.exception))

    def test_counter_state_refuses_rolled_back_lists_across_a_restart(self):
        """Hardening findings 2 and 3: a counter keeping its lists in a directory of its own
        refuses, after a restart, the status list from before a revocation (signed in the same
        second) and the trust list from before an issuer was removed. (No counter state existed
        before: a new verifier took any list it was given.)"""
        wallet, _, ids = self.wallet_with_credentials("state", "bao")
        checkin = wallet.present(ids[CredentialType.CLINIC_CHECKIN][0], []).qr_text()
        cccd = wallet.present(ids[CredentialType.CITIZEN_ID][0], ["full_name"]).qr_text()
        key = self.world.keys["BHXH"]
        bhxh = StatusList(key.kid(), 4096, NOW - 3600, 7 * DAY)
        self.assertEqual(bhxh.sequence(), 1)
        before = bhxh.sign(key)
        bhxh.revoke(ids[CredentialType.CLINIC_CHECKIN][1])
        revoking = bhxh.sign(key)  # edition 2, most likely in the same second
        self.assertEqual(bhxh.sequence(), 3)
        root = self.world.root.public_key()
        state_dir = self.path("counter-state")
        config = VerifierConfig(audience=None, clock_skew_secs=60)
        self.assertIsNone(config.accept_offline_audience)
        v1 = self.world.trust_bytes
        v2 = sign_trust_list(self.world.root, NOW - 60,
                             [e for e in self.world.entries if e.iss != "BCA"], sequence=2)
        counter = Verifier.with_state(state_dir, root, config, trust_list=v1)
        self.assertEqual(counter.update_status_list(before), ListUpdate.APPLIED)
        self.assertEqual(counter.update_status_list(revoking), ListUpdate.APPLIED)
        self.assertEqual(counter.verify_text(checkin).reject_reason, RejectReason.REVOKED)
        self.assertTrue(counter.verify_text(cccd).outcome != Outcome.INVALID)
        self.assertEqual(counter.update_trust_list(v2), ListUpdate.APPLIED)
        self.assertEqual(counter.verify_text(cccd).reject_reason, RejectReason.UNKNOWN_ISSUER)
        del counter

        # The counter restarts; it is offered v1 again and the pre-revocation list.
        counter = Verifier.with_state(state_dir, root, config, trust_list=v1)
        self.assertEqual(counter.trust_list_sequence(), 2)
        self.assertEqual(counter.update_trust_list(v1), ListUpdate.OLDER_THAN_CURRENT)
        self.assertEqual(counter.update_status_list(before), ListUpdate.OLDER_THAN_CURRENT)
        self.assertEqual(counter.update_status_list(revoking), ListUpdate.SAME_AS_CURRENT)
        self.assertEqual(counter.verify_text(checkin).reject_reason, RejectReason.REVOKED)
        self.assertEqual(counter.verify_text(cccd).reject_reason, RejectReason.UNKNOWN_ISSUER)
        self.assertIn("older than the list in use",
                      list_update_message(ListUpdate.OLDER_THAN_CURRENT, Lang.EN))
        # A list dated in the future is refused, not kept.
        future = StatusList(key.kid(), 4096, NOW + 3600, 7 * DAY)
        future.set_sequence(9)
        self.assertEqual(counter.update_status_list(future.sign(key)), ListUpdate.FROM_THE_FUTURE)
        del counter

        # A damaged state file: a typed error, and the file is left as it was.
        path = os.path.join(state_dir, "counter-state.bin")
        with open(path, "rb") as f:
            data = bytearray(f.read())
        data[len(data) // 2] ^= 0x01
        with open(path, "wb") as f:
            f.write(data)
        with self.assertRaises(WalletError.CounterState) as ctx:
            Verifier.with_state(state_dir, root, config, trust_list=v1)
        self.assertEqual(ctx.exception.problem, StateError.DAMAGED)
        with open(path, "rb") as f:
            self.assertEqual(f.read(), bytes(data))
        # A fresh directory without a trust list cannot verify anything.
        with self.assertRaises(WalletError.NotFound):
            Verifier.with_state(self.path("empty-state"), root, config)

    def test_a_counter_with_its_own_id_refuses_any_counter_presentations(self):
        """Hardening finding 5: Verifier(..., audience=...) and VerifierConfig with only an
        audience refuse presentations made for any counter; accepting them is explicit."""
        wallet, _, ids = self.wallet_with_credentials("audience", "minh")
        text = wallet.present(ids[CredentialType.CLINIC_CHECKIN][0], []).qr_text()
        root = self.world.root.public_key()
        self.assertTrue(Verifier(self.world.trust_bytes, root).verify_text(text).outcome != Outcome.INVALID)
        mine = Verifier(self.world.trust_bytes, root, audience="quay-3")
        self.assertEqual(mine.verify_text(text).reject_reason, RejectReason.WRONG_AUDIENCE)
        self.assertIsNone(mine.config().accept_offline_audience)
        explicit = Verifier.with_config(
            self.world.trust_bytes, root, [],
            VerifierConfig(audience="quay-3", accept_offline_audience=True, clock_skew_secs=60))
        self.assertTrue(explicit.verify_text(text).outcome != Outcome.INVALID)

    def test_presentation_lifetime_and_type_labels(self):
        wallet, _, ids = self.wallet_with_credentials("ttl", "ha")
        cid = ids[CredentialType.CLINIC_CHECKIN][0]
        before = int(time.time())
        short = wallet.present(cid, [], ttl_secs=30)
        default = wallet.present(cid, [])
        after = int(time.time())
        self.assertTrue(before + 30 <= short.expires_at() <= after + 30)
        self.assertTrue(before + 120 <= default.expires_at() <= after + 120)
        with self.assertRaises(WalletError.InvalidInput):
            wallet.present(cid, [], ttl_secs=3600)
        self.assertEqual(credential_type_label_en(CredentialType.HEALTH_INSURANCE), "Health insurance card")
        self.assertNotEqual(credential_type_label_vi(CredentialType.HEALTH_INSURANCE), "Health insurance card")

    def test_app_clocks_drive_presentation_and_verification_times(self):
        wallet_clock = SettableClock(NOW - 30)
        wallet = Wallet.create_with_key_provider(
            self.path("clock.db"), HmacKeyProvider("clock"), clock=wallet_clock)
        cred = next(c for c in self.people["ha"] if c.credential_type == CredentialType.CLINIC_CHECKIN)
        issued, _ = self.world.issue(cred, wallet.holder_public_key())
        cid = wallet.import_issued(issued, self.world.trust)
        p = wallet.present(cid, [], ttl_secs=120)
        self.assertEqual(p.expires_at(), NOW - 30 + 120)  # the wallet read our clock, not the system's

        counter_clock = SettableClock(NOW)
        verifier = self.world.verifier(clock=counter_clock)
        v = verifier.verify_text(p.qr_text())
        self.assertEqual(v.outcome, Outcome.VALID, v.message_en)
        self.assertEqual((v.verified_at, v.presented_at), (NOW, NOW - 30))
        counter_clock.now = NOW - 30 + 120 + 60 + 1  # past exp and the 60 s skew tolerance
        self.assertEqual(verifier.verify_text(p.qr_text()).reject_reason,
                         RejectReason.PRESENTATION_EXPIRED)
        counter_clock.now = NOW - 30 - 60 - 1  # a counter clock behind the holder's beyond the skew
        self.assertEqual(verifier.verify_text(p.qr_text()).reject_reason,
                         RejectReason.PRESENTATION_FROM_FUTURE)

    def test_qr_too_large_is_typed(self):
        wallet, _, ids = self.wallet_with_credentials("large", "minh")
        cid = ids[CredentialType.HEALTH_BOOK][0]
        detail = wallet.get(cid)
        try:
            p = wallet.present(cid, [c.name for c in detail.claims])
            self.fail("the whole health book should not fit a QR code (version %d)" % p.qr_version())
        except WalletError.QrTooLarge as e:
            self.assertGreater(e.needed_version, e.max_version)
            self.assertGreater(e.bytes, 0)

    def test_four_threads_share_wallet_and_verifier(self):
        wallet, _, ids = self.wallet_with_credentials("threads", "anh")
        cid = ids[CredentialType.CLINIC_CHECKIN][0]
        barrier = threading.Barrier(4)
        errors = []
        verdicts = []
        lock = threading.Lock()

        def work(n):
            try:
                barrier.wait(timeout=30)
                for i in range(5):
                    nonce = bytes([n, i]) * 8
                    p = wallet.present(cid, [], audience=None, nonce=nonce)
                    v = self.verifier.verify_text_with_nonce(p.qr_text(), nonce)
                    self.assertEqual(len(wallet.list(None)), len(self.people["anh"]))
                    with lock:
                        verdicts.append(v.outcome == Outcome.VALID)
            except Exception as e:  # noqa: BLE001 - collected and asserted below
                with lock:
                    errors.append(repr(e))

        threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        self.assertEqual(errors, [])
        self.assertEqual(verdicts, [True] * 20)

    def test_packed_matrix_and_pixel_buffers(self):
        wallet, _, ids = self.wallet_with_credentials("pixels", "ha")
        p = wallet.present(ids[CredentialType.CLINIC_CHECKIN][0], [])
        m = p.matrix()
        scale = 2
        side = (m.size + 8) * scale
        rgba = p.pixels(scale, PixelFormat.RGBA)
        argb = p.pixels(scale, PixelFormat.ARGB)
        self.assertEqual((rgba.width, rgba.height, len(rgba.bytes)), (side, side, side * side * 4))
        for y in range(m.size):
            for x in range(m.size):
                at = (((4 + y) * scale) * side + (4 + x) * scale) * 4
                dark = is_dark(m, x, y)
                self.assertEqual(rgba.bytes[at:at + 4], b"\x00\x00\x00\xff" if dark else b"\xff" * 4)
                self.assertEqual(argb.bytes[at:at + 4], b"\xff\x00\x00\x00" if dark else b"\xff" * 4)
        for bad in (0, -1, 100_000):
            with self.assertRaises(WalletError.InvalidInput) as e:
                p.pixels(bad, PixelFormat.RGBA)
            self.assertEqual(e.exception.field, "scale")

    def test_negative_numbers_are_invalid_input(self):
        key = self.world.keys["BCA"]
        with self.assertRaises(WalletError.InvalidInput):
            StatusList(key.kid(), -1, NOW, 60)
        sl = StatusList(key.kid(), 8, NOW, 60)
        for call in (lambda: sl.revoke(-1), lambda: sl.set_sequence(-1),
                     lambda: self.verifier.verify_luma(10, -1, b"\0" * 10),
                     lambda: Verifier.with_config(
                         self.world.trust_bytes, self.world.root.public_key(), [],
                         VerifierConfig(clock_skew_secs=-1))):
            with self.assertRaises(WalletError.InvalidInput):
                call()

    def test_async_variants_with_asyncio(self):
        path = self.path("async.db")
        people = self.people["ha"]
        checkin = next(c for c in people if c.credential_type == CredentialType.CLINIC_CHECKIN)

        async def scenario():
            pin = PIN.encode()
            wallet = await Wallet.create_async(path, pin=pin)
            wallet.lock()
            await wallet.unlock_async(pin=pin)
            reopened = await Wallet.open_async(path, pin=pin)
            self.assertEqual(reopened.holder_public_key(), wallet.holder_public_key())
            with self.assertRaises(WalletError.InvalidInput):
                await Wallet.open_async(path)  # neither a PIN nor a key provider
            issued, _ = self.world.issue(checkin, wallet.holder_public_key())
            cid = await wallet.import_issued_async(transfer_text(issued).encode(), self.world.trust)
            qr = wallet.present(cid, [])
            px = qr.pixels(2, PixelFormat.RGBA)
            verdict = await self.verifier.verify_luma_async(px.width, px.height, bytes(px.bytes[0::4]))
            self.assertEqual(verdict.outcome, Outcome.VALID, verdict.message_en)
            await wallet.set_pin_async(b"13572468", old_pin=pin)
            self.assertEqual(await wallet.rotate_data_key_async(pin=b"13572468"), 1)
            with self.assertRaises(WalletError.WrongPin):
                await Wallet.open_async(path, pin=pin)
            with self.assertRaises(WalletError.Image):
                await self.verifier.verify_luma_async(64, 64, b"\xff" * 64 * 64)  # no code: keep scanning
            with self.assertRaises(WalletError.InvalidInput):
                await self.verifier.verify_luma_async(10, 10, b"\0")
            with self.assertRaises(WalletError.KeyProvider):
                await Wallet.create_async(self.path("async-broken.db"), key_provider=BrokenKeyProvider())
            # Many at once on one event loop: the loop stays free while the work runs elsewhere.
            ticks = 0

            async def ticker():
                nonlocal ticks
                while True:
                    ticks += 1
                    await asyncio.sleep(0.01)

            t = asyncio.ensure_future(ticker())
            files = [self.path(f"async-many-{n}.db") for n in range(6)]
            await asyncio.gather(*(Wallet.create_async(f, pin=pin) for f in files))
            opened = await asyncio.gather(*(Wallet.open_async(f, pin=pin) for f in files))
            more = [self.world.issue(checkin, wallet.holder_public_key())[0] for _ in range(16)]
            ids = await asyncio.gather(*(wallet.import_issued_async(m, self.world.trust) for m in more))
            t.cancel()
            self.assertEqual([w.is_locked() for w in opened], [False] * 6)
            self.assertEqual(len(set(ids)), 16)
            self.assertGreater(ticks, 3, "the event loop kept running while the calls were in flight")

        asyncio.run(asyncio.wait_for(scenario(), 300))

    def test_two_way_request_reader_roles_and_one_answer_per_nonce(self):
        """Issue 12 item 2: a certified clinic reader asks, the wallet shows who asks for what
        and why and answers bound to the request, the counter accepts the answer once; an
        unknown reader, an ask beyond the role, a replay and a one-way code at a counter that
        requires requests are refused with typed reasons and vi/en sentences."""
        clinic = IssuerKey.from_seed(bytes([21]) * 32)
        police = IssuerKey.from_seed(bytes([22]) * 32)
        readers = [
            TrustedReader(kid=clinic.kid(), public_key=clinic.public_key(), reader_id="BM-Q1",
                          name_vi="Bệnh viện Bạch Mai, quầy 1", name_en="Bach Mai Hospital, desk 1",
                          not_before=NOW - DAY, not_after=NOW + DAY, role=ReaderRole.CLINIC),
            TrustedReader(kid=b"", public_key=police.public_key(), reader_id="CA-HK",
                          name_vi="Công an phường", name_en="Ward police",
                          not_before=NOW - DAY, not_after=NOW + DAY, role=ReaderRole.POLICE),
        ]
        trust_bytes = sign_trust_list_with_readers(self.world.root, NOW - DAY, self.world.entries, readers)
        root = self.world.root.public_key()
        trust = TrustList.from_signed(trust_bytes, root)
        self.assertEqual([r.reader_id for r in trust.readers()], ["BM-Q1", "CA-HK"])
        self.assertEqual(self.world.trust.readers(), [])
        self.assertNotIn(CredentialType.JUDICIAL_RECORD, reader_role_allowed_types(ReaderRole.CLINIC))
        self.assertEqual(reader_role_label(ReaderRole.POLICE, Lang.VI), "công an")
        self.assertEqual(request_purpose_message(RequestPurpose.CLINIC_CHECKIN, Lang.EN), "clinic check-in")

        counter = Verifier.with_config(
            trust_bytes, root, self.world.signed_status_lists(),
            VerifierConfig(audience="BM-Q1", accept_offline_audience=None, clock_skew_secs=60))
        asked = ["full_name", "dob", "citizen_id", "bhyt_code"]
        req = counter.make_request(clinic, CredentialType.CLINIC_CHECKIN, asked, RequestPurpose.CLINIC_CHECKIN)
        self.assertTrue(req.qr_text.startswith("VN1R:"))
        self.assertLessEqual(req.qr_version, 10)
        self.assertEqual(req.matrix.version, req.qr_version)
        self.assertEqual(len(req.nonce), 16)
        self.assertEqual(counter.open_requests(), 1)
        with self.assertRaises(WalletError.InvalidInput):
            counter.make_request(clinic, CredentialType.JUDICIAL_RECORD, ["status"], RequestPurpose.CLINIC_CHECKIN)

        wallet, _, ids = self.wallet_with_credentials("two-way", "linh")
        seen = wallet.read_request(req.qr_text, trust)
        self.assertEqual(seen.reader_id, "BM-Q1")
        self.assertEqual(seen.reader_name_en, "Bach Mai Hospital, desk 1")
        self.assertEqual(seen.role, ReaderRole.CLINIC)
        self.assertEqual(seen.role_en, "clinic")
        self.assertEqual(seen.credential_type, CredentialType.CLINIC_CHECKIN)
        self.assertEqual(seen.claims, asked)
        self.assertEqual(seen.claim_labels_en[0], "Full name")
        self.assertEqual(seen.claim_labels_vi[0], "Họ và tên")
        self.assertEqual(seen.purpose_vi, "tiếp đón khám bệnh")
        self.assertIn("Bạch Mai", seen.summary_vi)
        self.assertEqual(seen.nonce, req.nonce)

        # A wallet whose trust list does not certify the reader refuses the request.
        with self.assertRaises(WalletError.Rejected) as ctx:
            wallet.read_request(req.qr_text, self.world.trust)
        self.assertEqual(ctx.exception.reason, RejectReason.UNKNOWN_READER)
        self.assertEqual(ctx.exception.message_vi, "quầy yêu cầu không có trong danh sách tin cậy")
        self.assertEqual(ctx.exception.message_en, "the counter asking is not in the trust list")

        answer = wallet.answer_request(seen, ids[CredentialType.CLINIC_CHECKIN][0])
        self.assertEqual(answer.audience(), "BM-Q1")
        v = counter.verify_response(answer.qr_text())
        self.assertEqual(v.outcome, Outcome.VALID, v.message_en)
        self.assertEqual(counter.open_requests(), 0)
        replay = counter.verify_response(answer.qr_text())
        self.assertEqual(replay.reject_reason, RejectReason.REQUEST_ALREADY_ANSWERED)
        self.assertIn("đã được trả lời", replay.message_vi)

        # A one-way code at a counter that requires requests.
        one_way = wallet.present(ids[CredentialType.CLINIC_CHECKIN][0], [], audience="BM-Q1").qr_text()
        self.assertEqual(counter.verify_text(one_way).outcome, Outcome.VALID)
        counter.set_require_requests(True)
        self.assertTrue(counter.requires_requests())
        self.assertEqual(counter.verify_text(one_way).reject_reason, RejectReason.REQUEST_REQUIRED)

        # An answer to another counter's request (its own nonce) is not this counter's.
        twin = Verifier.with_config(
            trust_bytes, root, [], VerifierConfig(audience="BM-Q1", accept_offline_audience=None, clock_skew_secs=60))
        other = twin.make_request(clinic, CredentialType.CLINIC_CHECKIN, ["full_name"], RequestPurpose.CLINIC_CHECKIN)
        other_answer = wallet.answer_request(wallet.read_request(other.qr_text, trust),
                                             ids[CredentialType.CLINIC_CHECKIN][0], ["full_name"])
        self.assertEqual(counter.verify_response(other_answer.qr_text()).reject_reason,
                         RejectReason.UNKNOWN_REQUEST)

    def test_internal_error_class_is_exported(self):
        # A Rust panic would surface as InternalError, never crash the process.
        self.assertTrue(issubclass(InternalError, Exception))


def main():
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(BindingsTest)
    # ES256 holder keys and the async holder signer (holder_signer_tests.py), sharing the world.
    sys.path.insert(0, HERE)
    from holder_signer_tests import HolderSignerTest  # noqa: E402

    HolderSignerTest.world = World()
    HolderSignerTest.verifier = HolderSignerTest.world.verifier()
    HolderSignerTest.people = load_people()
    HolderSignerTest.tmp = tempfile.TemporaryDirectory()
    suite.addTests(unittest.defaultTestLoader.loadTestsFromTestCase(HolderSignerTest))
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    passed = result.testsRun - failed - len(result.skipped)
    print(f"python: {passed} passed, {failed} failed")
    return 0 if failed == 0 and result.testsRun > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
