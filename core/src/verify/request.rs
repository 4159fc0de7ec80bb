//! The counter's side of the two-way exchange (see `src/request.rs`): make a request, then
//! accept an answer only for a nonce this counter issued and has not yet seen answered, within
//! the request's lifetime.
//!
//! Order of the checks on an answer ([`Verifier::verify_response`]): the text and the
//! presentation's structure; it carries a nonce ([`RejectReason::RequestRequired`] for a
//! one-way presentation); the nonce is one of this counter's requests
//! ([`RejectReason::UnknownRequest`]), not yet answered
//! ([`RejectReason::RequestAlreadyAnswered`]), not expired ([`RejectReason::RequestExpired`]);
//! then every check of a one-way presentation, with the request's reader id as the one accepted
//! audience and its nonce as the challenge; the credential type is the one asked for
//! ([`RejectReason::NotWhatWasAsked`]). Only a valid answer (green or amber) marks the request
//! answered, saved in the counter state before the verdict is returned: an invalid scan (a
//! blurred or expired code) leaves the request open for a second try.

use std::sync::atomic::Ordering;

use super::{Held, Verdict, Verifier};
use crate::format::qr_text;
use crate::format::sd_cwt::Kbt;
use crate::issuer::IssuerKey;
use crate::model::CredentialType;
use crate::request::{build_request, CounterRequest};
use crate::trust::open_requests::OpenRequest;
use crate::trust::RequestPurpose;
use crate::{Error, RejectReason, Result};

impl Verifier {
    /// Makes a request QR signed with `reader_key`, which must be a reader in the held trust
    /// list, valid now, whose role allows `credential_type` and `purpose`; its lifetime is
    /// `ttl_secs` (default five minutes, at most ten). The nonce is remembered in the counter
    /// state (saved before this returns, for a state opened from a directory).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a key that is not a reader in the trust list, outside its
    /// window, an ask beyond its role, no or unknown claims, a bad lifetime;
    /// [`Error::QrTooLarge`] past version 10; [`Error::Storage`] when the state cannot be
    /// saved (nothing is remembered then).
    pub fn make_request(
        &self,
        reader_key: &IssuerKey,
        credential_type: CredentialType,
        claims: &[String],
        purpose: RequestPurpose,
        ttl_secs: Option<u32>,
    ) -> Result<CounterRequest> {
        let now = self.clock.now_unix();
        let mut held = Held::write(&self.held);
        let trust = held.state.trust_list().ok_or(Error::NotFound("trust list"))?;
        let (request, fields) =
            build_request(trust, reader_key, credential_type, claims, purpose, ttl_secs, now)?;
        let reader_id = trust
            .find_reader(&reader_key.kid())
            .map(|r| r.reader_id.clone())
            .ok_or(Error::NotFound("reader"))?;
        held.state.add_request(
            fields.nonce,
            OpenRequest {
                reader_id,
                credential_type,
                iat: fields.iat,
                exp: fields.exp,
                answered: false,
            },
            now,
        )?;
        Ok(request)
    }

    /// Verifies an answer to one of this counter's requests (the checks in order are in this
    /// file's docs). Rejections are `Ok` verdicts, as for [`Verifier::verify_text`].
    ///
    /// # Errors
    /// [`Error::Storage`] when marking the request answered cannot be saved (the verdict is
    /// then not given: the request stays open).
    pub fn verify_response(&self, text: &str) -> Result<Verdict> {
        let now = self.clock.now_unix();
        let skew = self.config.clock_skew_secs;
        let (nonce, request) = match self.open_request_for(text, now) {
            Ok(found) => found,
            Err(Error::Rejected(r)) => return Ok(Verdict::invalid(r, now)),
            Err(_) => return Ok(Verdict::invalid(RejectReason::Malformed, now)),
        };
        let verdict = self.verdict_bound(text, Some(&nonce), Some(&request.reader_id));
        if verdict.reject_reason().is_some() {
            return Ok(verdict);
        }
        if verdict.credential_type != Some(request.credential_type) {
            return Ok(Verdict::invalid(RejectReason::NotWhatWasAsked, now));
        }
        // Checked again under the write lock: of two scans of one answer at once, one wins.
        let mut held = Held::write(&self.held);
        match held.state.check_response(&nonce, now, skew) {
            Ok(_) => {}
            Err(Error::Rejected(r)) => return Ok(Verdict::invalid(r, now)),
            Err(e) => return Err(e),
        }
        held.state.mark_answered(&nonce)?;
        Ok(verdict)
    }

    /// Makes [`Verifier::verify_text`], [`Verifier::verify_png`] and [`Verifier::scan_text`]
    /// accept only answers to this counter's requests (a one-way presentation is
    /// [`RejectReason::RequestRequired`]), or, with `false`, one-way presentations too (the
    /// default). Either way, a presentation carrying a nonce at a counter that has made
    /// requests is checked as an answer. [`Verifier::verify_text_with_nonce`] (a challenge the
    /// app manages itself) is not affected.
    pub fn set_require_requests(&self, on: bool) {
        self.requires_requests.store(on, Ordering::Relaxed);
    }

    /// Whether only answers to this counter's requests are accepted.
    pub fn requires_requests(&self) -> bool {
        self.requires_requests.load(Ordering::Relaxed)
    }

    /// How many of this counter's requests are neither answered nor expired.
    pub fn open_requests(&self) -> usize {
        Held::read(&self.held).state.open_requests(self.clock.now_unix())
    }

    /// The answer's nonce and the open request it answers.
    fn open_request_for(&self, text: &str, now: i64) -> Result<(Vec<u8>, OpenRequest)> {
        let kbt = Kbt::parse(&qr_text::decode_presentation(text)?)?;
        let nonce = kbt.nonce()?.ok_or(RejectReason::RequestRequired)?.to_vec();
        let request =
            Held::read(&self.held)
                .state
                .check_response(&nonce, now, self.config.clock_skew_secs)?;
        Ok((nonce, request))
    }

    /// For a one-way scan: the verdict as an answer when this counter requires requests, or
    /// when it has made requests and the presentation carries a nonce; `None` otherwise.
    pub(super) fn two_way(&self, text: &str) -> Option<Verdict> {
        let answer = if self.requires_requests() {
            true
        } else {
            Held::read(&self.held).state.remembers_requests()
                && qr_text::decode_presentation(text)
                    .and_then(|b| Kbt::parse(&b))
                    .is_ok_and(|k| matches!(k.nonce(), Ok(Some(_))))
        };
        if !answer {
            return None;
        }
        Some(self.verify_response(text).unwrap_or_else(|_| {
            // The answer was valid but the counter could not save that it was answered: refuse
            // rather than accept an answer a restart would accept again.
            Verdict::invalid(RejectReason::BadTrustData, self.clock.now_unix())
        }))
    }
}
