//! The strict CBOR decoder, and the COSE / SD-CWT / SD-KBT / disclosure readers on top of it.
//! Oracle: the decoder accepts one encoding per value, so what it accepts re-encodes to the
//! same bytes.
#![no_main]
use citizen_wallet_core::internal::cbor;
use citizen_wallet_core::internal::cose::Sign1;
use citizen_wallet_core::internal::sd_cwt::{Disclosure, Kbt, SdCwt};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(v) = cbor::decode(data, 1 << 20) {
        assert_eq!(
            cbor::encode(&v),
            data,
            "accepted CBOR must be the one encoding of its value"
        );
        let _ = Sign1::from_value(&v);
    }
    let _ = SdCwt::parse(data);
    let _ = Kbt::parse(data);
    let _ = Kbt::parse_lenient(data);
    let _ = Disclosure::parse(data);
});
