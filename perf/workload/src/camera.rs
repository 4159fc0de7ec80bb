//! Camera frames (issue 12 item 1): the check-in presentation read from the Y plane a camera
//! gives, and verified.
//!
//! * `frame_720p_decode_verify_ms`: [`qr::decode_luma_with_stride`] + [`Verifier::verify_text`]
//!   to a `Valid` verdict, from a 1280x720 frame (row stride 1344) with the code at 40 % of
//!   the frame's height (about 3.6 px/module, drawn off the pixel grid with sensor noise);
//!   `frame_480p_decode_verify_ms` the same at 640x480 (about 2.4 px/module).
//! * `frame_720p_decode_ms`: the decode alone, the numerator of `frame_decode_ratio`.
//! * `frame_720p_no_code_ms`: a frame of the same scene without a code ("no code found").
//!
//! The frames are deterministic ([`frames`]); `perf/camera_set.py` writes them out
//! (`camera-set frames`) and times zxing-cpp on exactly these, which `cwallet bench
//! --zxing-frames FILE` turns into `frame_decode_ratio` (ours / zxing-cpp, decode only).
//!
//! [`Verifier::verify_text`]: citizen_wallet_core::Verifier::verify_text

use std::hint::black_box;

use citizen_wallet_core::qr::{self, QrMatrix};
use serde_json::json;

use crate::codec::World;
use crate::timing::{median_ns, ns_to_ms, round3, Plan};
use crate::Res;

/// An 8-bit luma frame with a row stride, as a camera gives it.
pub struct Frame {
    pub name: &'static str,
    pub width: u32,
    pub height: u32,
    pub stride: u32,
    pub luma: Vec<u8>,
}

/// A desk under a lamp: a smooth light gradient with sensor noise (xorshift, +-6).
fn scene(width: u32, height: u32, stride: u32, seed: u64) -> Vec<u8> {
    let mut s = seed | 1;
    let (w, h, st) = (width as usize, height as usize, stride as usize);
    let mut out = vec![0u8; st * h];
    for y in 0..h {
        for x in 0..w {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            let base = 120 + (x * 60 / w) + (y * 30 / h);
            let v = base as i64 + (s % 13) as i64 - 6;
            if let Some(p) = out.get_mut(y * st + x) {
                *p = v.clamp(0, 255) as u8;
            }
        }
    }
    out
}

/// Draws `m` (with a 4-module quiet zone) as a square of `side` px with its top-left corner at
/// (x0, y0) in fractional pixels: each pixel is the mean of 4x4 sub-samples (the lens and
/// sensor blur module edges), screen white 220, black 40, plus the scene's noise.
fn draw(frame: &mut [u8], stride: usize, m: &QrMatrix, side: f64, x0: f64, y0: f64) {
    let modules = f64::from(m.size + 8);
    let (px0, py0) = (x0.floor() as usize, y0.floor() as usize);
    let n = side.ceil() as usize + 2;
    for py in py0..py0 + n {
        for px in px0..px0 + n {
            let mut dark = 0u32;
            let mut inside = 0u32;
            for sy in 0..4 {
                for sx in 0..4 {
                    let u = (px as f64 + (f64::from(sx) + 0.5) / 4.0 - x0) / side * modules;
                    let v = (py as f64 + (f64::from(sy) + 0.5) / 4.0 - y0) / side * modules;
                    if !(0.0..modules).contains(&u) || !(0.0..modules).contains(&v) {
                        continue;
                    }
                    inside += 1;
                    let (mx, my) = (u as i64 - 4, v as i64 - 4);
                    if mx >= 0
                        && my >= 0
                        && mx < i64::from(m.size)
                        && my < i64::from(m.size)
                        && m.is_dark(mx as u32, my as u32)
                    {
                        dark += 1;
                    }
                }
            }
            if inside == 0 {
                continue;
            }
            if let Some(p) = frame.get_mut(py * stride + px) {
                let code = (220 * (16 - dark) + 40 * dark) / 16;
                let noise = i64::from(*p) - 150;
                let v = (i64::from(code) * i64::from(inside) + i64::from(*p) * i64::from(16 - inside)) / 16;
                *p = (v + noise / 4).clamp(0, 255) as u8;
            }
        }
    }
}

/// The benchmark's frames: `[720p with the code, 480p with the code, 720p without]`.
pub fn frames(m: &QrMatrix) -> Vec<Frame> {
    let mut out = Vec::new();
    for (name, w, h, seed) in [("720p", 1280u32, 720u32, 7u64), ("480p", 640, 480, 8)] {
        let stride = w + 64;
        let mut luma = scene(w, h, stride, seed);
        let side = f64::from(h) * 0.4;
        draw(
            &mut luma,
            stride as usize,
            m,
            side,
            f64::from(w) * 0.37 + 0.3,
            f64::from(h) * 0.31 + 0.6,
        );
        out.push(Frame {
            name,
            width: w,
            height: h,
            stride,
            luma,
        });
    }
    let stride = 1280 + 64;
    out.push(Frame {
        name: "720p-no-code",
        width: 1280,
        height: 720,
        stride,
        luma: scene(1280, 720, stride, 9),
    });
    out
}

fn decode(f: &Frame) -> citizen_wallet_core::Result<String> {
    qr::decode_luma_with_stride(f.width, f.height, f.stride, black_box(&f.luma))
}

/// The camera-frame figures (module docs). `plan.inner` is ignored: one decode per sample.
pub fn run(world: &World, plan: Plan) -> Res<serde_json::Value> {
    let p = world.present()?;
    let fs = frames(&p.qr);
    let [f720, f480, none] = fs.as_slice() else {
        return Err("frames".into());
    };
    let one = Plan::new(plan.warmup, plan.samples, 1);
    let decode_verify = |f: &Frame| {
        median_ns(one, || {
            let text = decode(f)?;
            world.verify(&text)
        })
    };
    let dv720 = decode_verify(f720)?;
    let dv480 = decode_verify(f480)?;
    let d720 = median_ns(one, || {
        decode(f720)?;
        Ok(())
    })?;
    let no_code = median_ns(one, || match decode(none) {
        Err(citizen_wallet_core::Error::Image(qr::ImageError::NoCodeFound)) => Ok(()),
        other => Err(format!("a frame without a code gave {:?}", other.map(|_| "text")).into()),
    })?;
    Ok(json!({
        "frame_720p_decode_verify_ms": round3(ns_to_ms(dv720)),
        "frame_480p_decode_verify_ms": round3(ns_to_ms(dv480)),
        "frame_720p_decode_ms": round3(ns_to_ms(d720)),
        "frame_720p_no_code_ms": round3(ns_to_ms(no_code)),
    }))
}
