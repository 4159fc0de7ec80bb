//! The Rust side of the camera-set comparison (perf/camera_set.py drives it).
//!
//! * `camera-set codes DIR`: presentations of every sample person (several each: credential
//!   types, claim subsets, fresh holder keys), as clean PNGs `DIR/code-*.png` at 6 px/module
//!   and `DIR/codes.json` (file, person, text, version).
//! * `camera-set decode MANIFEST DECODERS`: decodes every view listed in the manifest (written by
//!   camera_set.py: file, format png/jpeg/luma, width, height, stride, code) with each decoder
//!   (comma-separated: `rqrr` = the library before issue 12, `ours` = the library now, `rxing`)
//!   and prints one JSON line per view and decoder: decoded text matches, milliseconds.
//! * `camera-set frames DIR`: the frames of `cwallet bench`'s camera section (raw luma with
//!   stride, and `frames.json`), so that camera_set.py times zxing-cpp on the same frames.
//! * `camera-set worst DECODERS`: the crafted images (binary noise, finder-pattern grids) at
//!   1 MP, time per decoder.

use std::path::{Path, PathBuf};
use std::time::Instant;

use citizen_wallet_core::internal::{build_presentation, qr_text, SigningKey};
use citizen_wallet_core::model::{claim_names, CredentialType};
use citizen_wallet_core::qr;
use citizen_wallet_test_support as ts;
use serde_json::{json, Value};

// The finder-pattern guard as the library used it with rqrr before issue 12 (a copy).
#[allow(dead_code)]
#[path = "finder_guard_before.rs"]
mod finder_guard;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("codes") => codes(Path::new(args.get(2).ok_or("codes DIR")?)),
        Some("decode") => decode(
            Path::new(args.get(2).ok_or("decode MANIFEST DECODERS")?),
            args.get(3).ok_or("decode MANIFEST DECODERS")?,
        ),
        Some("worst") => worst(args.get(2).ok_or("worst DECODERS")?),
        Some("frames") => frames(Path::new(args.get(2).ok_or("frames DIR")?)),
        _ => Err("usage: camera-set codes DIR | decode MANIFEST DECODERS | worst DECODERS".into()),
    }
}

fn frames(dir: &Path) -> Res<()> {
    use citizen_wallet_workload as workload;
    std::fs::create_dir_all(dir)?;
    let tmp = workload::WorkDir::new(None).map_err(|e| e.to_string())?;
    let world = workload::codec::World::new(tmp.path(), workload::PEOPLE_JSON).map_err(|e| e.to_string())?;
    let p = world.present().map_err(|e| e.to_string())?;
    let mut list = Vec::new();
    for f in workload::camera::frames(&p.qr) {
        let file = format!("frame-{}.y", f.name);
        std::fs::write(dir.join(&file), &f.luma)?;
        list.push(
            json!({"name": f.name, "file": file, "width": f.width, "height": f.height,
            "stride": f.stride, "text": if f.name.contains("no-code") { None } else { Some(&p.qr_text) }}),
        );
    }
    std::fs::write(dir.join("frames.json"), serde_json::to_vec_pretty(&list)?)?;
    Ok(())
}

fn codes(dir: &Path) -> Res<()> {
    std::fs::create_dir_all(dir)?;
    let world = ts::World::new();
    let mut out = Vec::new();
    for (pi, person) in ts::people().iter().enumerate() {
        let creds = person.credentials()?;
        let mut n = 0;
        for cred in &creds {
            let ty = cred.credential_type();
            let all: Vec<String> = claim_names(ty).iter().map(|s| (*s).to_owned()).collect();
            // The full claim set, and (for check-in, what the counter sees most) the first two.
            let mut subsets = vec![all.clone()];
            if ty == CredentialType::ClinicCheckin {
                subsets.push(all.iter().take(2).cloned().collect());
            }
            for claims in subsets {
                let holder = SigningKey::make()?;
                let (issued, _) = world.issue(cred, &holder);
                // Optional claims a person lacks: keep the ones that hold a value.
                let claims: Vec<String> = claims
                    .into_iter()
                    .filter(|c| {
                        build_presentation(
                            &issued,
                            &holder,
                            std::slice::from_ref(c),
                            None,
                            None,
                            ts::T0,
                            None,
                        )
                        .is_ok()
                    })
                    .collect();
                let kbt = build_presentation(&issued, &holder, &claims, None, None, ts::T0, None)?;
                let text = qr_text::encode_presentation(&kbt);
                let Ok(m) = qr::encode(&text) else { continue };
                let file = format!("code-p{pi}-{n}.png");
                std::fs::write(dir.join(&file), m.to_png(6)?)?;
                out.push(json!({"file": file, "person": pi, "type": format!("{ty:?}"),
                    "text": text, "version": m.version, "size": m.size}));
                n += 1;
            }
        }
    }
    std::fs::write(dir.join("codes.json"), serde_json::to_vec_pretty(&out)?)?;
    eprintln!("{} codes in {}", out.len(), dir.display());
    Ok(())
}

/// A view as luma: (width, height, stride, bytes).
struct Frame {
    w: usize,
    h: usize,
    stride: usize,
    luma: Vec<u8>,
}

impl Frame {
    fn packed(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.w * self.h);
        for y in 0..self.h {
            out.extend_from_slice(&self.luma[y * self.stride..y * self.stride + self.w]);
        }
        out
    }
}

fn load(dir: &Path, v: &Value) -> Res<(Vec<u8>, Frame)> {
    let file = v["file"].as_str().ok_or("file")?;
    let bytes = std::fs::read(dir.join(file))?;
    let frame = match v["format"].as_str() {
        Some("luma") => Frame {
            w: v["width"].as_u64().ok_or("width")? as usize,
            h: v["height"].as_u64().ok_or("height")? as usize,
            stride: v["stride"].as_u64().ok_or("stride")? as usize,
            luma: bytes.clone(),
        },
        _ => {
            let (w, h, luma) = citizen_wallet_core::internal::image_to_luma(&bytes)?;
            Frame {
                w,
                h,
                stride: w,
                luma,
            }
        }
    };
    Ok((bytes, frame))
}

/// One decoder on one view: the text, or None. `bytes` is the file as given (PNG/JPEG/raw).
fn run(decoder: &str, v: &Value, bytes: &[u8], f: &Frame) -> Option<String> {
    match decoder {
        "rqrr" => rqrr_before(f.w, f.h, &f.packed()),
        "ours" => match v["format"].as_str() {
            Some("luma") => {
                qr::decode_luma_with_stride(f.w as u32, f.h as u32, f.stride as u32, &f.luma).ok()
            }
            _ => qr::decode_image(bytes).ok(),
        },
        #[cfg(feature = "rxing")]
        "rxing" => rxing_decode(f.w, f.h, f.packed()),
        _ => None,
    }
}

/// The library's decoder before issue 12: shrink to 1 MP by sampling, the finder guard, rqrr.
fn rqrr_before(width: usize, height: usize, luma: &[u8]) -> Option<String> {
    let mut k = 1;
    while width.div_ceil(k) * height.div_ceil(k) > 1 << 20 {
        k += 1;
    }
    let (w, h) = (width.div_ceil(k), height.div_ceil(k));
    let small: Vec<u8> = (0..w * h)
        .map(|i| {
            let (x, y) = ((i % w) * k + k / 2, (i / w) * k + k / 2);
            luma[y.min(height - 1) * width + x.min(width - 1)]
        })
        .collect();
    std::panic::catch_unwind(|| {
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| small[y * w + x]);
        let n = finder_guard::count_finder_candidates(w, h, |x, y| img.get_pixel_at(x, y) == 1u8, 32);
        if n > 32 {
            return None;
        }
        img.detect_grids()
            .iter()
            .find_map(|g| g.decode().ok().map(|(_, t)| t))
    })
    .ok()
    .flatten()
}

#[cfg(feature = "rxing")]
fn rxing_decode(w: usize, h: usize, luma: Vec<u8>) -> Option<String> {
    let mut hints = rxing::DecodeHints {
        TryHarder: Some(true),
        AlsoInverted: Some(true),
        ..Default::default()
    };
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
        rxing::helpers::detect_in_luma_with_hints(
            luma,
            w as u32,
            h as u32,
            Some(rxing::BarcodeFormat::QR_CODE),
            &mut hints,
        )
        .ok()
        .map(|r| r.getText().to_owned())
    }))
    .ok()
    .flatten()
}

fn decode(manifest: &Path, decoders: &str) -> Res<()> {
    let dir: PathBuf = manifest.parent().ok_or("manifest dir")?.to_path_buf();
    let views: Vec<Value> = serde_json::from_slice(&std::fs::read(manifest)?)?;
    let codes: Vec<Value> = serde_json::from_slice(&std::fs::read(dir.join("codes.json"))?)?;
    for v in &views {
        let (bytes, frame) = load(&dir, v)?;
        let want = v["code"]
            .as_u64()
            .and_then(|i| codes.get(i as usize))
            .and_then(|c| c["text"].as_str());
        for d in decoders.split(',') {
            // Best of 3 for the time (the machine is shared); decode result of the first.
            let mut best = f64::MAX;
            let mut got = None;
            let reps = if v["time_reps"].as_u64().unwrap_or(1) > 1 {
                3
            } else {
                1
            };
            for rep in 0..reps {
                let t = Instant::now();
                let r = run(d, v, &bytes, &frame);
                best = best.min(t.elapsed().as_secs_f64() * 1e3);
                if rep == 0 {
                    got = r;
                }
            }
            let ok = got.is_some() && got.as_deref() == want;
            let wrong = got.is_some() && !ok;
            println!(
                "{}",
                json!({"file": v["file"], "decoder": d, "ok": ok, "wrong": wrong, "ms": best})
            );
        }
    }
    Ok(())
}

/// Crafted images at 1024x1024 (1 MP): binary noise at 50 % (the slowest known for rqrr),
/// finder-pattern grids (the 13 s image before the guard), 32 packed patterns, grey; and
/// 4096x4096 noise.
fn worst(decoders: &str) -> Res<()> {
    let side = 1024usize;
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut rnd = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut images: Vec<(String, Vec<u8>)> = Vec::new();
    for (name, cell) in [("noise-1px", 1usize), ("noise-2px", 2), ("noise-4px", 4)] {
        let cells = side / cell;
        let bits: Vec<bool> = (0..cells * cells).map(|_| rnd() & 1 == 1).collect();
        let img = (0..side * side)
            .map(|i| {
                if bits[(i / side / cell) * cells + (i % side) / cell] {
                    0
                } else {
                    255
                }
            })
            .collect();
        images.push((name.into(), img));
    }
    for (name, n) in [("finder-grid-32x32", 32usize), ("finder-grid-6x6", 6)] {
        let unit = side / n / 10;
        let mut img = vec![255u8; side * side];
        for gy in 0..n {
            for gx in 0..n {
                let (x0, y0) = (gx * side / n + unit, gy * side / n + unit);
                for y in 0..7 * unit {
                    for x in 0..7 * unit {
                        let (mx, my) = ((x / unit) as i32, (y / unit) as i32);
                        let d = (mx - 3).abs().max((my - 3).abs());
                        if d == 3 || d <= 1 {
                            img[(y0 + y) * side + x0 + x] = 0;
                        }
                    }
                }
            }
        }
        images.push((name.into(), img));
    }
    // 32 finder patterns (as many as the guard lets through) packed in a corner, both ways.
    let mut packed = vec![255u8; side * side];
    let unit = 3;
    for n in 0..32usize {
        let (gx, gy) = (n % 6, n / 6);
        let (x0, y0) = (20 + gx * 31 + gy * 3, 20 + gy * 29 + gx * 2);
        for y in 0..7 * unit {
            for x in 0..7 * unit {
                let (mx, my) = ((x / unit) as i32, (y / unit) as i32);
                let d = (mx - 3).abs().max((my - 3).abs());
                if d == 3 || d <= 1 {
                    packed[(y0 + y) * side + x0 + x] = 0;
                }
            }
        }
    }
    images.push(("32-patterns-packed".into(), packed.clone()));
    images.push((
        "32-patterns-packed-inverted".into(),
        packed.iter().map(|p| 255 - p).collect(),
    ));
    images.push(("grey".into(), vec![128u8; side * side]));
    let mut all: Vec<(String, usize, Vec<u8>)> = images.into_iter().map(|(n, i)| (n, side, i)).collect();
    // The largest frame accepted, binary noise: shrunk, then a full-resolution window.
    let big = 4096usize;
    let noise = (0..big * big)
        .map(|_| if rnd() & 1 == 1 { 0 } else { 255 })
        .collect();
    all.push(("noise-1px-4096x4096".into(), big, noise));
    for (name, side, img) in &all {
        let side = *side;
        let f = Frame {
            w: side,
            h: side,
            stride: side,
            luma: img.clone(),
        };
        let v = json!({"format": "luma"});
        for d in decoders.split(',') {
            let t = Instant::now();
            let got = run(d, &v, &[], &f);
            let ms = t.elapsed().as_secs_f64() * 1e3;
            println!(
                "{}",
                json!({"image": name, "decoder": d, "ms": ms, "found": got.is_some()})
            );
        }
    }
    Ok(())
}
