"""ES256 holder keys and the foreign, async holder signer (issue 14, item 5), from Python.

Loaded by test_bindings.py (its World, people and verifier). An app's signer for a key in the
Secure Enclave or StrongBox is a `HolderSigner` whose `sign` is async; here the keys are
software P-256 keys (the wallet's own, or `software_p256_holder_signer()`), wrapped by Python
signers that fail, hang or answer garbage.
"""

import asyncio
import time
import unittest

from citizen_wallet import (
    CredentialType,
    HolderAlg,
    HolderSigner,
    Outcome,
    Wallet,
    WalletError,
    issue_to_holder_key,
    software_key_provider,
    software_p256_holder_signer,
)

DAY = 86_400


class DelegatingSigner(HolderSigner):
    """A signer written in Python around another (as an app wraps its keystore)."""

    def __init__(self, inner):
        self.inner = inner
        self.calls = 0

    def algorithm(self):
        return self.inner.algorithm()

    def public_key(self):
        return self.inner.public_key()

    async def sign(self, message):
        self.calls += 1
        return await self.inner.sign(message)


class RefusingSigner(DelegatingSigner):
    """The citizen cancelled the biometric prompt."""

    async def sign(self, message):
        raise WalletError.KeyProvider("biometric prompt cancelled")


class HangingSigner(DelegatingSigner):
    """A prompt nobody answers."""

    async def sign(self, message):
        await asyncio.sleep(30)
        return await self.inner.sign(message)


class DerSigner(DelegatingSigner):
    """Answers with a DER-encoded signature instead of r || s."""

    async def sign(self, message):
        raw = await self.inner.sign(message)
        return bytes([0x30, 0x44, 0x02, 0x20]) + raw[:32] + bytes([0x02, 0x20]) + raw[32:]


class HolderSignerTest(unittest.TestCase):
    world = None  # set by test_bindings.main()
    people = None
    verifier = None
    tmp = None

    def wallet(self, name):
        return Wallet.create_with_key_provider(
            f"{self.tmp.name}/es256-{name}.db", software_key_provider("es256-" + name))

    def checkin(self, person="ha"):
        return next(c for c in self.people[person] if c.credential_type == CredentialType.CLINIC_CHECKIN)

    def issue(self, algorithm, public_key, person="ha"):
        cred = self.checkin(person)
        now = int(time.time())
        return issue_to_holder_key(
            self.world.issuers[CredentialType.CLINIC_CHECKIN], cred.credential_type, cred.json,
            algorithm, public_key, now - DAY, now + 365 * DAY, 4_000)  # within the 4,096-entry status list

    def test_the_wallet_s_own_p256_key_issue_import_present_verify(self):
        w = self.wallet("own")
        key = w.holder_public_key_for(HolderAlg.ES256)
        self.assertEqual(len(key), 33)
        self.assertIn(key[0], (2, 3))
        self.assertEqual(w.holder_public_key_for(HolderAlg.ED25519), w.holder_public_key())
        for person in self.people:
            with self.subTest(person=person):
                cid = w.import_issued(self.issue(HolderAlg.ES256, key, person), self.world.trust)
                p = w.present(cid, [], audience=None, nonce=bytes(16))
                self.assertTrue(p.qr_text().startswith("VN2:"))
                self.assertLessEqual(p.qr_version(), 13)
                v = self.verifier.verify_text(p.qr_text())
                self.assertEqual(v.outcome, Outcome.VALID, v.message_en)

    def test_a_foreign_async_signer_issue_import_present_verify(self):
        w = self.wallet("foreign")
        signer = DelegatingSigner(software_p256_holder_signer())
        self.assertEqual(signer.algorithm(), HolderAlg.ES256)
        issued = self.issue(HolderAlg.ES256, signer.public_key())
        # Not the wallet's key: plain import refuses it, import for the signer accepts it.
        with self.assertRaises(WalletError.InvalidInput):
            w.import_issued(issued, self.world.trust)
        cid = w.import_issued_for_signer(issued, self.world.trust, signer)
        with self.assertRaises(WalletError.InvalidInput):
            w.present(cid, [])
        p = asyncio.run(w.present_with_signer(cid, [], signer))
        self.assertEqual(signer.calls, 1)
        self.assertTrue(p.qr_text().startswith("VN2:"))
        v = self.verifier.verify_text(p.qr_text())
        self.assertEqual(v.outcome, Outcome.VALID, v.message_en)
        # Another key's signer is refused before it is asked.
        other = DelegatingSigner(software_p256_holder_signer())
        with self.assertRaises(WalletError.InvalidInput):
            asyncio.run(w.present_with_signer(cid, [], other))
        self.assertEqual(other.calls, 0)

    def test_a_failing_signer_gives_its_typed_error(self):
        w = self.wallet("refusing")
        inner = software_p256_holder_signer()
        cid = w.import_issued_for_signer(
            self.issue(HolderAlg.ES256, inner.public_key()), self.world.trust, inner)
        with self.assertRaises(WalletError.KeyProvider) as e:
            asyncio.run(w.present_with_signer(cid, [], RefusingSigner(inner)))
        self.assertIn("cancelled", str(e.exception))
        # DER instead of r || s: a typed error naming the signature, no QR.
        with self.assertRaises(WalletError.InvalidInput) as e:
            asyncio.run(w.present_with_signer(cid, [], DerSigner(inner)))
        self.assertIn("holder signature", str(e.exception))

    def test_a_slow_signer_times_out_and_blocks_nothing(self):
        w = self.wallet("slow")
        inner = software_p256_holder_signer()
        cid = w.import_issued_for_signer(
            self.issue(HolderAlg.ES256, inner.public_key()), self.world.trust, inner)

        async def scenario():
            started = time.monotonic()
            slow = asyncio.ensure_future(
                w.present_with_signer(cid, [], HangingSigner(inner), timeout_ms=300))
            # While the prompt hangs, the same wallet answers other calls.
            await asyncio.sleep(0.05)
            self.assertEqual(len(w.list(None)), 1)
            quick = await w.present_with_signer(cid, [], inner)
            with self.assertRaises(WalletError.HolderSignerTimedOut) as e:
                await slow
            self.assertEqual(e.exception.timeout_ms, 300)
            return time.monotonic() - started, quick

        elapsed, quick = asyncio.run(scenario())
        self.assertLess(elapsed, 10, "the hanging signer was abandoned at the timeout")
        self.assertEqual(self.verifier.verify_text(quick.qr_text()).outcome, Outcome.VALID)
