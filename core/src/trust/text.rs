//! Every sentence a rejection or a verdict shows, in Vietnamese and English, in one place.
//!
//! Clinic officers read these at the counter and citizens in their wallet app; the bindings pass
//! them through unchanged (`WalletError::Rejected`, the display-ready `Verdict`). No sentence
//! carries personal data. Labels of claims and credential types are the model's
//! ([`crate::model`]), not verdict text.

use std::fmt;

use crate::model::Date;

use super::{ListUpdate, RejectReason, StaleReason};

/// The language of a sentence shown to people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Lang {
    /// Vietnamese.
    Vi,
    /// English.
    En,
}

impl RejectReason {
    /// A sentence a clinic officer (or a citizen importing a credential) understands.
    pub fn message(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Vi => reject_vi(self),
            Lang::En => reject_en(self),
        }
    }
}

/// The English sentence.
impl fmt::Display for RejectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message(Lang::En))
    }
}

fn reject_en(r: RejectReason) -> &'static str {
    use RejectReason as R;
    match r {
        R::NotOurFormat => "this is not a citizen-wallet QR code",
        R::Malformed => "the QR code is damaged or incomplete",
        R::UnknownIssuer => "the issuing authority is not in the trust list",
        R::IssuerNotAllowedForType => "the issuing authority is not allowed to issue this kind of document",
        R::IssuerNotValidNow => "the issuing authority's key is not valid at this time",
        R::BadIssuerSignature => "the document was forged or altered (issuer signature invalid)",
        R::BadHolderSignature => "the QR was not created by the document's owner (holder signature invalid)",
        R::DisclosureMismatch => "a shown field does not belong to this document",
        R::CredentialExpired => "the document has expired",
        R::CredentialNotYetValid => "the document is not valid yet",
        R::PresentationExpired => "the QR code has expired; ask the citizen to show a fresh one",
        R::PresentationFromFuture => "the QR code's time is in the future; check the clocks",
        R::WrongAudience => "the QR code was made for another counter",
        R::WrongNonce => "the QR code does not answer this counter's challenge",
        R::Revoked => "the document has been revoked by its issuer",
        R::UnsupportedAlgorithm => "the signature algorithm is not supported",
        R::BadTrustData => "the trust list or status list is invalid",
        R::TooLarge => "the input is too large",
        R::WrongMessageType => "this code is not a presentation (wrong kind of signed data)",
        R::UnsignedData => "the document carries data its issuer did not sign",
        R::UnknownReader => "the counter asking is not in the trust list",
        R::BadReaderSignature => "the request was forged or altered (counter signature invalid)",
        R::ReaderNotValidNow => "the counter's key is not valid at this time",
        R::RequestBeyondRole => "this counter is not allowed to ask for this document or for this purpose",
        R::RequestExpired => "the request has expired; ask the counter for a new request code",
        R::RequestFromFuture => "the request's time is in the future; check the clocks",
        R::UnknownRequest => "the QR code does not answer a request made by this counter",
        R::RequestAlreadyAnswered => "this request was already answered (a replayed QR code)",
        R::RequestRequired => {
            "this counter accepts only answers to its own request: scan the counter's request code first"
        }
        R::NotWhatWasAsked => "the QR code shows another document than the one the counter asked for",
        R::UnsupportedVersion => "this QR code is of a newer format; update the counter app",
    }
}

fn reject_vi(r: RejectReason) -> &'static str {
    use RejectReason as R;
    match r {
        R::NotOurFormat => "đây không phải mã QR của ví công dân",
        R::Malformed => "mã QR bị hỏng hoặc không đầy đủ",
        R::UnknownIssuer => "cơ quan cấp không có trong danh sách tin cậy",
        R::IssuerNotAllowedForType => "cơ quan cấp không được phép cấp loại giấy tờ này",
        R::IssuerNotValidNow => "khóa của cơ quan cấp không còn hiệu lực",
        R::BadIssuerSignature => "giấy tờ bị giả mạo hoặc sửa đổi (chữ ký cơ quan cấp không hợp lệ)",
        R::BadHolderSignature => "mã QR không do chủ giấy tờ tạo (chữ ký người giữ không hợp lệ)",
        R::DisclosureMismatch => "một trường hiển thị không thuộc giấy tờ này",
        R::CredentialExpired => "giấy tờ đã hết hạn",
        R::CredentialNotYetValid => "giấy tờ chưa có hiệu lực",
        R::PresentationExpired => "mã QR đã hết hạn; đề nghị công dân tạo mã mới",
        R::PresentationFromFuture => "thời gian của mã QR ở tương lai; kiểm tra đồng hồ",
        R::WrongAudience => "mã QR được tạo cho quầy khác",
        R::WrongNonce => "mã QR không khớp với mã thử thách của quầy",
        R::Revoked => "giấy tờ đã bị cơ quan cấp thu hồi",
        R::UnsupportedAlgorithm => "thuật toán chữ ký không được hỗ trợ",
        R::BadTrustData => "danh sách tin cậy hoặc danh sách trạng thái không hợp lệ",
        R::TooLarge => "dữ liệu quá lớn",
        R::WrongMessageType => "mã này không phải mã xuất trình (sai loại dữ liệu ký)",
        R::UnsignedData => "giấy tờ chứa dữ liệu không được cơ quan cấp ký",
        R::UnknownReader => "quầy yêu cầu không có trong danh sách tin cậy",
        R::BadReaderSignature => "yêu cầu bị giả mạo hoặc sửa đổi (chữ ký của quầy không hợp lệ)",
        R::ReaderNotValidNow => "khóa của quầy không còn hiệu lực",
        R::RequestBeyondRole => "quầy này không được phép yêu cầu giấy tờ này hoặc với mục đích này",
        R::RequestExpired => "yêu cầu đã hết hạn; đề nghị quầy tạo mã yêu cầu mới",
        R::RequestFromFuture => "thời gian của yêu cầu ở tương lai; kiểm tra đồng hồ",
        R::UnknownRequest => "mã QR không trả lời yêu cầu nào của quầy này",
        R::RequestAlreadyAnswered => "yêu cầu này đã được trả lời (mã QR bị phát lại)",
        R::RequestRequired => {
            "quầy này chỉ chấp nhận mã trả lời yêu cầu của quầy: hãy quét mã yêu cầu của quầy trước"
        }
        R::NotWhatWasAsked => "mã QR xuất trình giấy tờ khác với giấy tờ quầy yêu cầu",
        R::UnsupportedVersion => "mã QR thuộc định dạng mới hơn; hãy cập nhật ứng dụng tại quầy",
    }
}

impl StaleReason {
    /// A sentence for the officer: why the revocation status is not current.
    pub fn message(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Vi => stale_vi(self),
            Lang::En => stale_en(self),
        }
    }
}

fn stale_en(s: StaleReason) -> &'static str {
    use StaleReason as S;
    match s {
        S::NoStatusList => "revocation status unknown: no status list from this issuer",
        S::StatusListExpired => "revocation status may be out of date: update the status list",
        S::NotInStatusList => "revocation status unknown: the status list predates this document",
        S::TrustListExpired => "the trust list is out of date: update the trust list",
    }
}

fn stale_vi(s: StaleReason) -> &'static str {
    use StaleReason as S;
    match s {
        S::NoStatusList => "chưa rõ tình trạng thu hồi: không có danh sách trạng thái của cơ quan cấp",
        S::StatusListExpired => "tình trạng thu hồi có thể đã cũ: hãy cập nhật danh sách trạng thái",
        S::NotInStatusList => "chưa rõ tình trạng thu hồi: danh sách trạng thái cũ hơn giấy tờ này",
        S::TrustListExpired => "danh sách tin cậy đã quá hạn: hãy cập nhật danh sách tin cậy",
    }
}

impl ListUpdate {
    /// A sentence for the counter's operator: what happened to a trust list or status list
    /// offered to the verifier.
    pub fn message(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Vi => update_vi(self),
            Lang::En => update_en(self),
        }
    }
}

fn update_en(u: ListUpdate) -> &'static str {
    use ListUpdate as U;
    match u {
        U::Applied => "the list is now in use",
        U::SameAsCurrent => "this list is already in use",
        U::OlderThanCurrent => "refused: older than the list in use (a replayed or rolled-back list); the newer list stays",
        U::ConflictsWithCurrent => "refused: it conflicts with the list in use (same number with other content, or dated earlier); the list in use stays",
        U::FromTheFuture => "refused: the list is dated in the future; check the clocks",
    }
}

fn update_vi(u: ListUpdate) -> &'static str {
    use ListUpdate as U;
    match u {
        U::Applied => "danh sách đã được áp dụng",
        U::SameAsCurrent => "danh sách này đang được sử dụng",
        U::OlderThanCurrent => "bị từ chối: cũ hơn danh sách đang dùng (danh sách bị phát lại hoặc quay lui); vẫn dùng danh sách mới hơn",
        U::ConflictsWithCurrent => "bị từ chối: mâu thuẫn với danh sách đang dùng (cùng số thứ tự nhưng khác nội dung, hoặc ghi ngày sớm hơn); vẫn dùng danh sách hiện tại",
        U::FromTheFuture => "bị từ chối: danh sách ghi ngày ở tương lai; kiểm tra đồng hồ",
    }
}

impl super::ReaderRole {
    /// The role's name for people.
    pub fn label(self, lang: Lang) -> &'static str {
        use super::ReaderRole as R;
        match (self, lang) {
            (R::Clinic, Lang::Vi) => "cơ sở khám chữa bệnh",
            (R::Clinic, Lang::En) => "clinic",
            (R::Police, Lang::Vi) => "công an",
            (R::Police, Lang::En) => "police",
            (R::ServiceDesk, Lang::Vi) => "bộ phận một cửa",
            (R::ServiceDesk, Lang::En) => "public service desk",
        }
    }
}

impl super::RequestPurpose {
    /// Why the reader asks, for the citizen.
    pub fn message(self, lang: Lang) -> &'static str {
        use super::RequestPurpose as P;
        match (self, lang) {
            (P::ClinicCheckin, Lang::Vi) => "tiếp đón khám bệnh",
            (P::ClinicCheckin, Lang::En) => "clinic check-in",
            (P::MedicalTreatment, Lang::Vi) => "khám và điều trị",
            (P::MedicalTreatment, Lang::En) => "medical treatment",
            (P::IdentityCheck, Lang::Vi) => "xác minh danh tính",
            (P::IdentityCheck, Lang::En) => "identity check",
            (P::BackgroundCheck, Lang::Vi) => "xác minh lý lịch",
            (P::BackgroundCheck, Lang::En) => "background check",
            (P::InsuranceProcedure, Lang::Vi) => "thủ tục bảo hiểm y tế",
            (P::InsuranceProcedure, Lang::En) => "health insurance procedure",
        }
    }
}

/// What the citizen's wallet shows for a checked request: who asks, for what, why, until when.
pub(crate) fn request_summary(
    lang: Lang,
    reader: &str,
    role: super::ReaderRole,
    what: &str,
    claims: &str,
    purpose: super::RequestPurpose,
    until: &str,
) -> String {
    let (role, why) = (role.label(lang), purpose.message(lang));
    match lang {
        Lang::Vi => format!("{reader} ({role}) yêu cầu {what}: {claims}; mục đích: {why}; hạn đến {until}"),
        Lang::En => {
            format!("{reader} ({role}) asks for {what}: {claims}; purpose: {why}; valid until {until}")
        }
    }
}

// The verdict's one line for the officer (`Verdict::summary_in`), case by case.

/// Every check passed and the status list, dated `as_of`, says not revoked.
pub(crate) fn valid_as_of(lang: Lang, as_of: Date) -> String {
    match lang {
        Lang::Vi => format!("HỢP LỆ (trạng thái kiểm tra đến ngày {as_of})"),
        Lang::En => format!("VALID (status verified as of {as_of})"),
    }
}

/// Every check passed and the credential has no revocation status to check.
pub(crate) fn valid_not_revocable(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "HỢP LỆ (giấy tờ này không thể bị thu hồi)",
        Lang::En => "VALID (this document cannot be revoked)",
    }
}

/// Every check passed, but the revocation status from the list dated `as_of` is not current.
pub(crate) fn valid_stale_as_of(lang: Lang, as_of: Date, reason: StaleReason) -> String {
    let why = reason.message(lang);
    match lang {
        Lang::Vi => format!("HỢP LỆ, trạng thái đến ngày {as_of}: {why}"),
        Lang::En => format!("VALID, status as of {as_of}: {why}"),
    }
}

/// Every check passed, but there is no status list to say whether it is revoked.
pub(crate) fn valid_stale(lang: Lang, reason: StaleReason) -> String {
    let why = reason.message(lang);
    match lang {
        Lang::Vi => format!("HỢP LỆ: {why}"),
        Lang::En => format!("VALID: {why}"),
    }
}

/// Rejected.
pub(crate) fn invalid(lang: Lang, reason: RejectReason) -> String {
    let why = reason.message(lang);
    match lang {
        Lang::Vi => format!("KHÔNG HỢP LỆ: {why}"),
        Lang::En => format!("INVALID: {why}"),
    }
}

/// The QR printed on a chip ID card was read: its fields, which nothing signs.
pub(crate) fn id_card_unverified(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "THẺ CCCD: DỮ LIỆU CHƯA XÁC THỰC (mã QR in trên thẻ không có chữ ký số); đối chiếu với thẻ và người xuất trình",
        Lang::En => "ID CARD: UNVERIFIED DATA (the QR printed on the card carries no signature); compare it with the card and its holder",
    }
}
