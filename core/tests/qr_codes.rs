//! QR output and input as the spec: capacities from the standard's table, the smallest version,
//! a clear refusal above the reader's limit, and every rendering read back to the same modules
//! or text. Hostile images give typed errors, never a panic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use citizen_wallet_core::qr::{
    alphanumeric_capacity, decode_image, decode_luma, decode_luma_with_stride, decode_png, fit, Ecc,
    QrMatrix, TerminalTheme, COUNTER_FRIENDLY_VERSION, MAX_READABLE_VERSION,
};
use citizen_wallet_core::{Error, ImageError};

const BASE45: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
const ALL_ECC: [Ecc; 4] = [Ecc::L, Ecc::M, Ecc::Q, Ecc::H];

/// Deterministic pseudo-random base45 text behind our prefix (splitmix64).
fn qr_text(len: usize, seed: u64) -> String {
    let mut s = seed;
    let mut out = String::from("VN1:");
    while out.len() < len {
        s = s.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = s;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        out.push(BASE45[(z % 45) as usize] as char);
    }
    out.truncate(len);
    out
}

/// Letters only: no digit run the optimiser could move to numeric mode, so capacities are exact.
fn letters(len: usize) -> String {
    (0..len).map(|i| (b'A' + (i * 7 % 26) as u8) as char).collect()
}

#[test]
fn alphanumeric_capacities_match_iso_18004_table_7() {
    // (version, [L, M, Q, H]) from ISO/IEC 18004:2015 Table 7.
    let table: [(u8, [usize; 4]); 8] = [
        (1, [25, 20, 16, 10]),
        (2, [47, 38, 29, 20]),
        (10, [395, 311, 221, 174]),
        (13, [619, 483, 352, 259]),
        (14, [667, 528, 376, 283]),
        (15, [758, 600, 426, 321]),
        (20, [1249, 970, 702, 557]),
        (40, [4296, 3391, 2420, 1852]),
    ];
    for (v, caps) in table {
        for (ecc, cap) in ALL_ECC.into_iter().zip(caps) {
            assert_eq!(alphanumeric_capacity(v, ecc), Some(cap), "version {v} {ecc:?}");
        }
    }
}

#[test]
fn a_495_char_base45_payload_fits_version_14_at_m() {
    // 330 bytes of SD-CWT + KBT (DESIGN.md) -> 495 base45 characters.
    let text = qr_text(495, 1);
    let m = fit(&text, Ecc::M, MAX_READABLE_VERSION).unwrap();
    assert_eq!(m.version, 14);
    assert_eq!(m.size, 17 + 4 * 14);
    // With the 4-character prefix on top of 495 characters it is still version 14.
    let text = format!("VN1:{}", &qr_text(499, 2)[4..]);
    assert_eq!(text.len(), 499);
    assert_eq!(fit(&text, Ecc::M, MAX_READABLE_VERSION).unwrap().version, 14);
    // Version 14 is within the counter-friendly limit.
    assert!(fit(&text, Ecc::M, COUNTER_FRIENDLY_VERSION).is_ok());
}

#[test]
fn fit_uses_alphanumeric_mode_at_every_version_and_level() {
    for ecc in ALL_ECC {
        for v in 1..=40u8 {
            let cap = alphanumeric_capacity(v, ecc).unwrap();
            // Exactly the capacity fits version v and no smaller one.
            let m = fit(&letters(cap), ecc, 40).unwrap();
            assert_eq!(m.version, v, "{ecc:?} capacity of version {v}");
            assert_eq!(m.size, 17 + 4 * u32::from(v));
            assert_eq!(m.modules.len(), (m.size * m.size) as usize);
            // One more character needs the next version; capped at v it is refused.
            let over = letters(cap + 1);
            match fit(&over, ecc, v) {
                Err(Error::QrTooLarge {
                    bytes,
                    needed_version,
                    max_version,
                }) => {
                    assert_eq!(bytes, cap + 1);
                    assert_eq!(needed_version, v + 1, "{ecc:?} version {v}");
                    assert_eq!(max_version, v);
                }
                other => panic!("{ecc:?} version {v}: expected QrTooLarge, got {other:?}"),
            }
        }
    }
}

#[test]
fn beyond_version_40_needs_41() {
    for ecc in ALL_ECC {
        let cap = alphanumeric_capacity(40, ecc).unwrap();
        match fit(&letters(cap + 1), ecc, 40) {
            Err(Error::QrTooLarge {
                needed_version: 41,
                max_version: 40,
                bytes,
            }) => assert_eq!(bytes, cap + 1),
            other => panic!("{ecc:?}: expected QrTooLarge(41), got {other:?}"),
        }
    }
    let err = fit(&letters(5000), Ecc::M, MAX_READABLE_VERSION).unwrap_err();
    assert!(matches!(
        err,
        Error::QrTooLarge {
            needed_version: 41,
            max_version: 20,
            ..
        }
    ));
    // The message names versions and sizes only.
    assert!(err.to_string().contains("version 41"));
}

#[test]
fn too_large_message_never_quotes_the_text() {
    let text = format!("VN1:{}", "SECRETNAME".repeat(100));
    let err = fit(&text, Ecc::M, COUNTER_FRIENDLY_VERSION).unwrap_err();
    assert!(!err.to_string().contains("SECRET"));
    assert!(!format!("{err:?}").contains("SECRET"));
}

#[test]
fn max_version_outside_1_to_40_is_invalid_input() {
    assert!(matches!(fit("VN1:A", Ecc::M, 0), Err(Error::InvalidInput(_))));
    assert!(matches!(fit("VN1:A", Ecc::M, 41), Err(Error::InvalidInput(_))));
}

#[test]
fn text_outside_the_alphabet_still_encodes_in_byte_mode() {
    // Lower case needs byte mode (8 bits a character): 17 bytes fit version 1-L.
    let m = fit("vn1:abcdefghijklm", Ecc::L, 40).unwrap();
    assert_eq!(m.version, 1);
    let png = m.to_png(4).unwrap();
    assert_eq!(decode_png(&png).unwrap(), "vn1:abcdefghijklm");
    // The same length in upper case is alphanumeric and also version 1; 25 upper fit, 25 lower don't.
    assert_eq!(fit(&letters(25), Ecc::L, 40).unwrap().version, 1);
    assert_eq!(fit(&letters(25).to_lowercase(), Ecc::L, 40).unwrap().version, 2);
}

#[test]
fn png_round_trip_versions_1_to_20() {
    let mut sizes = Vec::new();
    for v in 1..=MAX_READABLE_VERSION {
        let cap = alphanumeric_capacity(v, Ecc::M).unwrap();
        let text = qr_text(cap, u64::from(v));
        let m = fit(&text, Ecc::M, MAX_READABLE_VERSION).unwrap();
        assert_eq!(m.version, v);
        let png = m.to_png(4).unwrap();
        assert_eq!(decode_png(&png).unwrap(), text, "version {v}");
        sizes.push((v, png.len()));
    }
    eprintln!("1-bit PNG sizes at 4 px/module (version, bytes): {sizes:?}");
}

#[test]
fn png_round_trip_every_level_and_short_texts() {
    for ecc in ALL_ECC {
        for len in [4, 30, 150, 495] {
            let text = qr_text(len, len as u64);
            let m = fit(&text, ecc, 40).unwrap();
            let png = m.to_png(3).unwrap();
            assert_eq!(decode_png(&png).unwrap(), text, "{ecc:?} {len}");
        }
    }
}

#[test]
fn png_is_one_bit_grayscale_with_quiet_zone_and_scale() {
    let m = fit(&qr_text(495, 7), Ecc::M, 20).unwrap();
    let png_bytes = m.to_png(8).unwrap();
    let decoder = png::Decoder::new(png_bytes.as_slice());
    let reader = decoder.read_info().unwrap();
    let info = reader.info();
    let side = (m.size + 8) * 8;
    assert_eq!((info.width, info.height), (side, side));
    assert_eq!(info.color_type, png::ColorType::Grayscale);
    assert_eq!(info.bit_depth, png::BitDepth::One);
    eprintln!(
        "version 14 at 8 px/module: {side}x{side} px, {} bytes",
        png_bytes.len()
    );
    assert!(
        png_bytes.len() < 4096,
        "a version 14 PNG should be a few KB, was {}",
        png_bytes.len()
    );
    // Pixels match modules: read it back as 8-bit and sample the module centres.
    let (w, luma) = to_luma8(&png_bytes);
    for y in 0..m.size {
        for x in 0..m.size {
            let px = ((x + 4) * 8 + 4) as usize;
            let py = ((y + 4) * 8 + 4) as usize;
            assert_eq!(luma[py * w + px] == 0, m.is_dark(x, y));
        }
    }
    // Quiet zone is white.
    assert!(luma[..w * 32].iter().all(|&p| p == 255));
}

#[test]
fn png_rejects_bad_scale_and_quiet_zone() {
    let m = fit("VN1:ABC", Ecc::M, 40).unwrap();
    assert!(matches!(m.to_png(0), Err(Error::InvalidInput(_))));
    assert!(matches!(m.to_png(65), Err(Error::InvalidInput(_))));
    assert!(matches!(
        m.to_png_with_quiet_zone(4, 17),
        Err(Error::InvalidInput(_))
    ));
    // A quiet zone of 0 is allowed (the app adds its own margin).
    let png = m.to_png_with_quiet_zone(1, 0).unwrap();
    let (w, _) = to_luma8(&png);
    assert_eq!(w as u32, m.size);
}

#[test]
fn svg_is_one_path_with_the_right_viewbox_and_modules() {
    let m = fit(&qr_text(200, 3), Ecc::M, 20).unwrap();
    let svg = m.to_svg();
    let n = m.size + 8;
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.contains(&format!("viewBox=\"0 0 {n} {n}\"")));
    assert!(svg.ends_with("</svg>"));
    assert_eq!(svg.matches("<path").count(), 1);
    assert_eq!(svg.matches("<rect").count(), 1);
    // Rebuild the modules from the path's runs: "M{x} {y}h{run}v1h-{run}z".
    let d = svg.split(" d=\"").nth(1).unwrap().split('"').next().unwrap();
    let mut grid = vec![false; (n * n) as usize];
    for cmd in d.split('M').filter(|c| !c.is_empty()) {
        let (xy, rest) = cmd.split_once('h').unwrap();
        let (x, y) = xy.split_once(' ').unwrap();
        let (x, y): (u32, u32) = (x.parse().unwrap(), y.parse().unwrap());
        let run: u32 = rest.split_once('v').unwrap().0.parse().unwrap();
        assert_eq!(rest, format!("{run}v1h-{run}z"));
        for i in 0..run {
            assert!(!grid[(y * n + x + i) as usize], "overlapping runs");
            grid[(y * n + x + i) as usize] = true;
        }
    }
    for y in 0..n {
        for x in 0..n {
            let expected = x >= 4 && y >= 4 && m.is_dark(x - 4, y - 4);
            assert_eq!(grid[(y * n + x) as usize], expected, "module {x},{y}");
        }
    }
    // Compact: well under one rect per dark module.
    let dark = m.modules.iter().filter(|&&d| d).count();
    assert!(
        svg.len() < dark * 12,
        "svg {} bytes for {dark} dark modules",
        svg.len()
    );
}

#[test]
fn terminal_has_half_as_many_lines_and_reads_back() {
    for len in [10, 100, 495] {
        let m = fit(&qr_text(len, 9), Ecc::M, 20).unwrap();
        let n = m.size + 8;
        for theme in [TerminalTheme::DarkBackground, TerminalTheme::LightBackground] {
            let out = if theme == TerminalTheme::DarkBackground {
                m.to_terminal()
            } else {
                m.to_terminal_for(theme)
            };
            assert!(out.ends_with('\n'));
            let lines: Vec<&str> = out.lines().collect();
            assert_eq!(lines.len() as u32, (m.size + 9) / 2, "size {}", m.size);
            assert_eq!(lines.len() as u32, n.div_ceil(2));
            for line in &lines {
                assert_eq!(line.chars().count() as u32, n);
                assert!(line.chars().all(|c| matches!(c, '▀' | '▄' | '█' | ' ')));
            }
            // Each character is two modules; "drawn" = light on a dark background.
            for (ly, line) in lines.iter().enumerate() {
                for (x, c) in line.chars().enumerate() {
                    let (top, bottom) = match c {
                        '█' => (true, true),
                        '▀' => (true, false),
                        '▄' => (false, true),
                        _ => (false, false),
                    };
                    for (dy, drawn) in [(0, top), (1, bottom)] {
                        let y = ly as u32 * 2 + dy;
                        let dark = x as u32 >= 4 && y >= 4 && m.is_dark(x as u32 - 4, y - 4);
                        let expected = match theme {
                            TerminalTheme::DarkBackground => !dark,
                            TerminalTheme::LightBackground => dark,
                        };
                        assert_eq!(drawn, expected, "{theme:?} line {ly} col {x}");
                    }
                }
            }
        }
    }
}

// ---------- decode_png: every PNG flavour ----------

fn to_luma8(png_bytes: &[u8]) -> (usize, Vec<u8>) {
    let mut decoder = png::Decoder::new(png_bytes);
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Grayscale);
    buf.truncate(info.buffer_size());
    (info.width as usize, buf)
}

/// The matrix as pixels: quiet zone 4, `scale` px per module, `dark`/`light` pixel values.
fn raster(m: &QrMatrix, scale: u32) -> (u32, Vec<bool>) {
    let side = (m.size + 8) * scale;
    let mut px = Vec::with_capacity((side * side) as usize);
    for y in 0..side {
        for x in 0..side {
            let (mx, my) = (x / scale, y / scale);
            px.push(mx >= 4 && my >= 4 && m.is_dark(mx - 4, my - 4));
        }
    }
    (side, px)
}

fn write_png(
    side: u32,
    color: png::ColorType,
    depth: png::BitDepth,
    data: &[u8],
    palette: Option<Vec<u8>>,
    trns: Option<Vec<u8>>,
) -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, side, side);
    enc.set_color(color);
    enc.set_depth(depth);
    if let Some(p) = palette {
        enc.set_palette(p);
    }
    if let Some(t) = trns {
        enc.set_trns(t);
    }
    let mut w = enc.write_header().unwrap();
    w.write_image_data(data).unwrap();
    w.finish().unwrap();
    out
}

#[test]
fn decode_png_reads_every_colour_type_and_depth() {
    use png::{BitDepth, ColorType};
    let text = qr_text(120, 11);
    let m = fit(&text, Ecc::M, 20).unwrap();
    let (side, px) = raster(&m, 3);
    let b = |dark: bool, d: u8, l: u8| if dark { d } else { l };

    // 8-bit grayscale, dark grey on light grey.
    let gray8: Vec<u8> = px.iter().map(|&d| b(d, 30, 220)).collect();
    // 16-bit grayscale.
    let gray16: Vec<u8> = px
        .iter()
        .flat_map(|&d| if d { [0x10, 0x00] } else { [0xF0, 0x00] })
        .collect();
    // Gray + alpha: light pixels fully transparent (must count as white paper).
    let ga: Vec<u8> = px
        .iter()
        .flat_map(|&d| if d { [0, 255] } else { [0, 0] })
        .collect();
    // RGB: dark blue on white.
    let rgb: Vec<u8> = px
        .iter()
        .flat_map(|&d| if d { [0, 0, 120] } else { [255, 255, 255] })
        .collect();
    // RGBA: black opaque on transparent black.
    let rgba: Vec<u8> = px
        .iter()
        .flat_map(|&d| if d { [0, 0, 0, 255] } else { [0, 0, 0, 0] })
        .collect();
    // RGBA 16-bit.
    let rgba16: Vec<u8> = px
        .iter()
        .flat_map(|&d| {
            if d {
                [0u8, 0, 0, 0, 0, 0, 255, 255]
            } else {
                [255u8, 255, 255, 255, 255, 255, 255, 255]
            }
        })
        .collect();
    // 8-bit palette: index 0 dark green, 1 yellow.
    let pal8: Vec<u8> = px.iter().map(|&d| u8::from(!d)).collect();
    // 2-bit palette, packed.
    let row_px = side as usize;
    let mut pal2 = Vec::new();
    for row in px.chunks(row_px) {
        let mut bytes = vec![0u8; row_px.div_ceil(4)];
        for (i, &d) in row.iter().enumerate() {
            let idx = if d { 2u8 } else { 1 };
            bytes[i / 4] |= idx << (6 - 2 * (i % 4));
        }
        pal2.extend(bytes);
    }

    let plain: [(&str, ColorType, BitDepth, &[u8]); 6] = [
        ("gray8", ColorType::Grayscale, BitDepth::Eight, &gray8),
        ("gray16", ColorType::Grayscale, BitDepth::Sixteen, &gray16),
        ("gray+alpha", ColorType::GrayscaleAlpha, BitDepth::Eight, &ga),
        ("rgb", ColorType::Rgb, BitDepth::Eight, &rgb),
        ("rgba", ColorType::Rgba, BitDepth::Eight, &rgba),
        ("rgba16", ColorType::Rgba, BitDepth::Sixteen, &rgba16),
    ];
    let mut cases: Vec<(&str, Vec<u8>)> = plain
        .into_iter()
        .map(|(name, color, depth, data)| (name, write_png(side, color, depth, data, None, None)))
        .collect();
    cases.extend([
        (
            "palette8",
            write_png(
                side,
                ColorType::Indexed,
                BitDepth::Eight,
                &pal8,
                Some(vec![0, 90, 0, 250, 250, 0]),
                None,
            ),
        ),
        (
            "palette2+trns",
            // index 1 transparent black (white paper), index 2 opaque black.
            write_png(
                side,
                ColorType::Indexed,
                BitDepth::Two,
                &pal2,
                Some(vec![9, 9, 9, 0, 0, 0, 0, 0, 0]),
                Some(vec![255, 0, 255]),
            ),
        ),
        ("1-bit (ours)", m.to_png(3).unwrap()),
    ]);
    for (name, bytes) in cases {
        assert_eq!(decode_png(&bytes).unwrap(), text, "{name}");
    }
}

/// An 8-bit grayscale Adam7-interlaced PNG built by hand (the png crate only writes
/// non-interlaced images).
fn interlaced_gray_png(side: u32, luma: &[u8]) -> Vec<u8> {
    // (x start, y start, x step, y step) of the seven passes.
    const PASSES: [(u32, u32, u32, u32); 7] = [
        (0, 0, 8, 8),
        (4, 0, 8, 8),
        (0, 4, 4, 8),
        (2, 0, 4, 4),
        (0, 2, 2, 4),
        (1, 0, 2, 2),
        (0, 1, 1, 2),
    ];
    let mut raw = Vec::new();
    for (x0, y0, dx, dy) in PASSES {
        if x0 >= side || y0 >= side {
            continue;
        }
        for y in (y0..side).step_by(dy as usize) {
            raw.push(0); // filter: none
            for x in (x0..side).step_by(dx as usize) {
                raw.push(luma[(y * side + x) as usize]);
            }
        }
    }
    let idat = miniz_oxide::deflate::compress_to_vec_zlib(&raw, 6);
    let mut out = png_with_header(side, side, &[]);
    // Set the interlace byte of IHDR (offset 8 + 4 + 4 + 12) and fix its CRC.
    out[28] = 1;
    let crc = crc32(&out[12..29]);
    out[29..33].copy_from_slice(&crc.to_be_bytes());
    push_idat_iend(&mut out, &idat);
    out
}

#[test]
fn decode_png_reads_interlaced_images() {
    let text = qr_text(200, 12);
    let m = fit(&text, Ecc::M, 20).unwrap();
    let (side, px) = raster(&m, 3);
    let luma: Vec<u8> = px.iter().map(|&d| if d { 0 } else { 255 }).collect();
    let png_bytes = interlaced_gray_png(side, &luma);
    // The reference decoder agrees it is interlaced and equal to our pixels.
    let reader = png::Decoder::new(png_bytes.as_slice()).read_info().unwrap();
    assert!(reader.info().interlaced);
    assert_eq!(to_luma8(&png_bytes).1, luma);
    assert_eq!(decode_png(&png_bytes).unwrap(), text);
}

#[test]
fn decode_luma_reads_camera_planes_and_checks_sizes() {
    let text = qr_text(150, 13);
    let m = fit(&text, Ecc::M, 20).unwrap();
    let (side, px) = raster(&m, 4);
    let luma: Vec<u8> = px.iter().map(|&d| if d { 20 } else { 235 }).collect();
    assert_eq!(decode_luma(side, side, &luma).unwrap(), text);
    // A non-square frame with the code off-centre, as a camera sees it.
    let (fw, fh) = (side as usize + 123, side as usize + 57);
    let mut frame = vec![200u8; fw * fh];
    for y in 0..side as usize {
        let row = &luma[y * side as usize..(y + 1) * side as usize];
        frame[(y + 40) * fw + 100..(y + 40) * fw + 100 + side as usize].copy_from_slice(row);
    }
    assert_eq!(decode_luma(fw as u32, fh as u32, &frame).unwrap(), text);
    // Sizes.
    assert!(matches!(
        decode_luma(side, side, &luma[1..]),
        Err(Error::InvalidInput(_))
    ));
    assert!(matches!(decode_luma(0, 0, &[]), Err(Error::InvalidInput(_))));
    assert!(matches!(
        decode_luma(5000, 1, &[0; 5000]),
        Err(Error::Image(ImageError::TooLarge))
    ));
    assert!(matches!(
        decode_luma(u32::MAX, u32::MAX, &[]),
        Err(Error::Image(ImageError::TooLarge))
    ));
}

#[test]
fn decode_luma_with_stride_reads_padded_rows_and_checks_sizes() {
    let text = qr_text(200, 14);
    let m = fit(&text, Ecc::M, 20).unwrap();
    let (side, px) = raster(&m, 3);
    let (w, h) = (side as usize + 40, side as usize + 20);
    // Rows 64 bytes longer than the image, the padding full of dark garbage; the last row stops
    // at the image's width (as Android's planes do).
    let stride = w + 64;
    let mut buf = vec![0u8; stride * (h - 1) + w];
    for y in 0..h {
        for x in 0..w {
            let (cx, cy) = (x.wrapping_sub(20), y.wrapping_sub(10));
            let dark = cx < side as usize && cy < side as usize && px[cy * side as usize + cx];
            buf[y * stride + x] = if dark { 25 } else { 230 };
        }
        if y + 1 < h {
            for (i, p) in buf[y * stride + w..(y + 1) * stride].iter_mut().enumerate() {
                *p = (i * 37 % 256) as u8;
            }
        }
    }
    let (w32, h32, s32) = (w as u32, h as u32, stride as u32);
    assert_eq!(decode_luma_with_stride(w32, h32, s32, &buf).unwrap(), text);
    // stride == width is decode_luma.
    let packed: Vec<u8> = (0..h)
        .flat_map(|y| buf[y * stride..y * stride + w].to_vec())
        .collect();
    assert_eq!(decode_luma_with_stride(w32, h32, w32, &packed).unwrap(), text);
    // Sizes: a stride below the width, a buffer one byte short, zero sides, too large.
    let invalid = |r: Result<String, Error>| matches!(r, Err(Error::InvalidInput(_)));
    assert!(invalid(decode_luma_with_stride(w32, h32, w32 - 1, &buf)));
    assert!(invalid(decode_luma_with_stride(
        w32,
        h32,
        s32,
        &buf[..buf.len() - 1]
    )));
    assert!(invalid(decode_luma_with_stride(0, h32, s32, &buf)));
    assert!(invalid(decode_luma_with_stride(w32, 0, s32, &buf)));
    assert!(invalid(decode_luma_with_stride(2, 2, u32::MAX, &[0; 8])));
    assert!(matches!(
        decode_luma_with_stride(5000, 1, 5000, &[0; 5000]),
        Err(Error::Image(ImageError::TooLarge))
    ));
}

/// Camera photos as JPEG (made from one of the camera set's presentations with Pillow; the
/// camera set, perf/camera_set.py, has many more): grayscale at quality 20, and RGB rotated
/// 23 degrees, progressive, quality 60.
const JPEG_GRAY_Q20: &[u8] = include_bytes!("data/jpeg/presentation-gray-q20.jpg");
const JPEG_RGB_23DEG: &[u8] = include_bytes!("data/jpeg/presentation-rgb-23deg-progressive.jpg");
const JPEG_TEXT: &str = include_str!("data/jpeg/presentation.txt");

#[test]
fn decode_image_reads_jpeg_and_png_and_refuses_the_rest() {
    assert_eq!(decode_image(JPEG_GRAY_Q20).unwrap(), JPEG_TEXT);
    assert_eq!(decode_image(JPEG_RGB_23DEG).unwrap(), JPEG_TEXT);
    let text = qr_text(100, 15);
    let png = fit(&text, Ecc::M, 20).unwrap().to_png(4).unwrap();
    assert_eq!(decode_image(&png).unwrap(), text);
    // decode_png stays PNG only.
    assert!(is_image_error(&decode_png(JPEG_GRAY_Q20), ImageError::NotAnImage));
    for bytes in [&b""[..], b"GIF89a", b"\xff\xd8", &[0u8; 64]] {
        assert!(
            is_image_error(&decode_image(bytes), ImageError::NotAnImage),
            "{bytes:?}"
        );
    }
}

#[test]
fn hostile_jpegs_are_refused_or_damaged_never_panics() {
    // Declared dimensions above the limits: refused from the header, before any pixel.
    let sof = JPEG_GRAY_Q20
        .windows(2)
        .position(|w| w == [0xff, 0xc0])
        .expect("baseline SOF0");
    let mut huge = JPEG_GRAY_Q20.to_vec();
    huge[sof + 5..sof + 9].copy_from_slice(&[0xff, 0xff, 0xff, 0xff]);
    assert!(is_image_error(&decode_image(&huge), ImageError::TooLarge));
    let mut zero = JPEG_GRAY_Q20.to_vec();
    zero[sof + 5..sof + 9].copy_from_slice(&[0, 0, 0, 0]);
    assert!(decode_image(&zero).is_err());
    // Too many bytes: refused unread.
    let mut long = JPEG_GRAY_Q20.to_vec();
    long.resize(citizen_wallet_core::qr::MAX_PNG_BYTES + 1, 0);
    assert!(is_image_error(&decode_image(&long), ImageError::TooLarge));
    // Truncations and flipped bytes: an error or (rarely) the text, never a panic or other text.
    for cut in [3usize, 20, 200, 2000, JPEG_GRAY_Q20.len() - 2] {
        let r = decode_image(&JPEG_GRAY_Q20[..cut]);
        assert!(r.is_err() || r.as_deref().ok() == Some(JPEG_TEXT), "cut {cut}");
    }
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    for _ in 0..150 {
        let mut bytes = JPEG_GRAY_Q20.to_vec();
        for _ in 0..4 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let i = (seed >> 33) as usize % bytes.len();
            bytes[i] ^= (seed >> 24) as u8 | 1;
        }
        if let Ok(t) = decode_image(&bytes) {
            assert_eq!(t, JPEG_TEXT);
        }
    }
}

// ---------- decode_png: hostile and unlucky input ----------

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A signature and a valid IHDR declaring `w` x `h` 8-bit grayscale, then `tail`.
fn png_with_header(w: u32, h: u32, tail: &[u8]) -> Vec<u8> {
    let mut out = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
    let mut chunk = b"IHDR".to_vec();
    chunk.extend(w.to_be_bytes());
    chunk.extend(h.to_be_bytes());
    chunk.extend([8, 0, 0, 0, 0]);
    out.extend(13u32.to_be_bytes());
    out.extend(&chunk);
    out.extend(crc32(&chunk).to_be_bytes());
    out.extend(tail);
    out
}

/// Appends an IDAT chunk holding `idat`, then IEND, each with its length and CRC.
fn push_idat_iend(out: &mut Vec<u8>, idat: &[u8]) {
    for (kind, data) in [(&b"IDAT"[..], idat), (b"IEND", &[])] {
        out.extend((data.len() as u32).to_be_bytes());
        let mut chunk = kind.to_vec();
        chunk.extend(data);
        out.extend(&chunk);
        out.extend(crc32(&chunk).to_be_bytes());
    }
}

fn is_image_error(r: &Result<String, Error>, want: ImageError) -> bool {
    matches!(r, Err(Error::Image(e)) if *e == want)
}

#[test]
fn not_a_png_is_not_an_image() {
    for bytes in [
        &b""[..],
        b"\x89PNG",
        b"GIF89a.............",
        b"VN1:ABCDEF",
        &[0u8; 64],
    ] {
        let r = decode_png(bytes);
        assert!(is_image_error(&r, ImageError::NotAnImage), "{r:?}");
    }
    // A signature followed by a chunk that is not IHDR.
    let mut b = png_with_header(10, 10, &[]);
    b[12..16].copy_from_slice(b"IDAT");
    assert!(is_image_error(&decode_png(&b), ImageError::NotAnImage));
}

#[test]
fn huge_declared_dimensions_are_rejected_before_decoding() {
    for (w, h) in [
        (u32::MAX, u32::MAX),
        (100_000, 100_000),
        (4097, 16),
        (16, 4097),
        (0x7FFF_FFFF, 1),
    ] {
        let r = decode_png(&png_with_header(w, h, &[]));
        assert!(
            matches!(r, Err(Error::Image(ImageError::TooLarge))),
            "{w}x{h}: {r:?}"
        );
    }
    // Within each side limit but over the pixel budget is impossible at 4096x4096 = the budget:
    // exactly the limit is accepted by the header check and fails later on the missing data.
    let r = decode_png(&png_with_header(4096, 4096, &[]));
    assert!(is_image_error(&r, ImageError::Damaged), "{r:?}");
    // Zero dimensions are damage, not size.
    assert!(is_image_error(
        &decode_png(&png_with_header(0, 10, &[])),
        ImageError::Damaged
    ));
}

#[test]
fn oversized_input_is_rejected_unread() {
    let mut big = png_with_header(16, 16, &[]);
    big.resize(8 * 1024 * 1024 + 1, 0);
    assert!(matches!(
        decode_png(&big),
        Err(Error::Image(ImageError::TooLarge))
    ));
}

#[test]
fn truncated_pngs_are_damaged_not_panics() {
    let m = fit(&qr_text(300, 5), Ecc::M, 20).unwrap();
    let good = m.to_png(4).unwrap();
    for cut in [9, 16, 20, 33, 40, good.len() / 2, good.len() - 13, good.len() - 1] {
        let r = decode_png(&good[..cut]);
        // The last chunk (IEND) missing may still leave a full image; anything else is damage.
        match r {
            Ok(ref t) => assert_eq!(t, &qr_text(300, 5), "cut {cut}"),
            Err(Error::Image(ImageError::Damaged)) => {}
            ref other => panic!("cut {cut}: {other:?}"),
        }
    }
    // Header only: damaged.
    assert!(is_image_error(&decode_png(&good[..33]), ImageError::Damaged));
}

#[test]
fn flipped_bytes_and_random_garbage_never_panic() {
    let m = fit(&qr_text(100, 6), Ecc::M, 20).unwrap();
    let good = m.to_png(3).unwrap();
    let mut s = 0x1234_5678_9abc_def0u64;
    let mut next = || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    };
    for _ in 0..200 {
        let mut bad = good.clone();
        let i = 8 + (next() as usize % (bad.len() - 8));
        bad[i] ^= 1 << (next() % 8);
        let _ = decode_png(&bad); // any Result, no panic
    }
    for len in [1usize, 7, 8, 100, 10_000] {
        let mut junk: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        assert!(decode_png(&junk).is_err());
        if len > 40 {
            junk[..8].copy_from_slice(&[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a]);
            assert!(decode_png(&junk).is_err());
        }
    }
}

#[test]
fn a_picture_without_a_qr_code_says_so() {
    use png::{BitDepth, ColorType};
    let white = vec![255u8; 200 * 200];
    let r = decode_png(&write_png(
        200,
        ColorType::Grayscale,
        BitDepth::Eight,
        &white,
        None,
        None,
    ));
    assert!(is_image_error(&r, ImageError::NoCodeFound), "{r:?}");
    let stripes: Vec<u8> = (0..200 * 200)
        .map(|i| if (i / 7) % 2 == 0 { 0 } else { 255 })
        .collect();
    let r = decode_png(&write_png(
        200,
        ColorType::Grayscale,
        BitDepth::Eight,
        &stripes,
        None,
        None,
    ));
    assert!(r.is_err(), "{r:?}");
}

#[test]
fn a_damaged_qr_code_is_malformed() {
    use png::{BitDepth, ColorType};
    let m = fit(&qr_text(300, 8), Ecc::M, 20).unwrap();
    let (side, px) = raster(&m, 4);
    // Paint a white band across the middle third of the data area: beyond ECC M's 15 %.
    let mut luma: Vec<u8> = px.iter().map(|&d| if d { 0 } else { 255 }).collect();
    let s = side as usize;
    for y in s * 2 / 5..s * 3 / 5 {
        for x in s / 4..s * 3 / 4 {
            luma[y * s + x] = 255;
        }
    }
    let r = decode_png(&write_png(
        side,
        ColorType::Grayscale,
        BitDepth::Eight,
        &luma,
        None,
        None,
    ));
    // The finder patterns survive, so a code is found; its data is beyond repair.
    assert!(matches!(r, Err(Error::Image(ImageError::Unreadable))), "{r:?}");
}

// ---------- decode_png / decode_luma: the CPU bound ----------

/// A phone-sized frame (`w` x `h`, light grey) with the code drawn at `scale` px per module
/// (with its quiet zone) at (`x0`, `y0`).
fn frame_with_code(m: &QrMatrix, scale: u32, w: u32, h: u32, x0: u32, y0: u32) -> Vec<u8> {
    let (side, px) = raster(m, scale);
    let mut frame = vec![230u8; (w * h) as usize];
    for y in 0..side {
        for x in 0..side {
            let dark = px[(y * side + x) as usize];
            frame[((y0 + y) * w + x0 + x) as usize] = if dark { 15 } else { 250 };
        }
    }
    frame
}

#[test]
fn phone_sized_screenshots_of_our_code_still_decode() {
    use png::{BitDepth, ColorType};
    // Version 20 (the largest a presentation may be) at 8 px/module with its quiet zone:
    // 840 x 840 px, under the 1 MP budget, read as is.
    let text = qr_text(alphanumeric_capacity(20, Ecc::M).unwrap(), 21);
    let m = fit(&text, Ecc::M, MAX_READABLE_VERSION).unwrap();
    assert_eq!(m.version, 20);
    assert_eq!(decode_png(&m.to_png(8).unwrap()).unwrap(), text);
    // A 1080 x 2400 phone screenshot (2.6 MP) with the code 945 px wide: shrunk 2x to 540 x 1200,
    // with module edges between the shrink's blocks (odd offset, 4.5 px/module after it).
    let (w, h) = (1080u32, 2400u32);
    let frame = frame_with_code(&m, 9, w, h, 61, 701);
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(ColorType::Grayscale);
        enc.set_depth(BitDepth::Eight);
        let mut wr = enc.write_header().unwrap();
        wr.write_image_data(&frame).unwrap();
    }
    let r = decode_png(&out);
    assert_eq!(r.as_deref().ok(), Some(text.as_str()), "{r:?}");
    // A 1920 x 1080 camera frame (2 MP) with a version 14 code at 6 px/module.
    let text = qr_text(499, 22);
    let m = fit(&text, Ecc::M, MAX_READABLE_VERSION).unwrap();
    let frame = frame_with_code(&m, 6, 1920, 1080, 701, 301);
    assert_eq!(decode_luma(1920, 1080, &frame).unwrap(), text);
}

#[test]
fn images_above_the_detector_budget_are_shrunk_not_refused() {
    // The same code filling 4096 x 4096 (the largest PNG accepted): decoded after a 4x shrink.
    let text = qr_text(300, 23);
    let m = fit(&text, Ecc::M, MAX_READABLE_VERSION).unwrap();
    let scale = 4096 / (m.size + 8);
    let png = m.to_png(scale).unwrap();
    assert_eq!(decode_png(&png).unwrap(), text);
    // Extreme aspect ratios shrink too: a 4096 x 600 strip with the code in it (3 px/module after).
    let frame = frame_with_code(&m, 6, 4096, 600, 2001, 3);
    assert_eq!(decode_luma(4096, 600, &frame).unwrap(), text);
}

#[test]
fn too_many_finder_patterns_are_refused_before_the_search() {
    // 1024 patterns in 1024 x 1024 (13 s of rqrr before the bound), 16,384 of 1 px modules, and
    // 16,384 in a 4096 x 4096 image that is shrunk first: refused with a typed error, whereas
    // the same search on few patterns runs (and finds no readable code).
    for (side, cell, unit) in [(1024u32, 32u32, 4u32), (1024, 8, 1), (4096, 32, 4)] {
        let r = decode_luma(side, side, &finder_grid(side, cell, unit));
        assert!(
            is_image_error(&r, ImageError::TooComplex),
            "{side} / {cell}: {r:?}"
        );
    }
    let r = decode_luma(512, 512, &finder_grid(512, 128, 16));
    assert!(r.is_err() && !is_image_error(&r, ImageError::TooComplex), "{r:?}");
    // Light on dark too: the detector also reads inverted codes, so the guard counts both
    // polarities (rxing alone takes 4-8 s on this one in release).
    let inverted: Vec<u8> = finder_grid(1024, 32, 4).iter().map(|p| 255 - p).collect();
    let r = decode_luma(1024, 1024, &inverted);
    assert!(is_image_error(&r, ImageError::TooComplex), "{r:?}");
    // Through decode_png as well.
    let png = write_png(
        1024,
        png::ColorType::Grayscale,
        png::BitDepth::Eight,
        &finder_grid(1024, 32, 4),
        None,
        None,
    );
    assert!(is_image_error(&decode_png(&png), ImageError::TooComplex));
}

/// A PNG declaring `w` x `h` 8-bit grayscale whose IDAT holds `rows` zlib-compressed white rows.
fn bomb_png(w: u32, h: u32, rows: u32) -> Vec<u8> {
    let mut raw = Vec::with_capacity(((w + 1) * rows) as usize);
    for _ in 0..rows {
        raw.push(0);
        raw.extend(std::iter::repeat_n(255u8, w as usize));
    }
    let idat = miniz_oxide::deflate::compress_to_vec_zlib(&raw, 10);
    let mut out = png_with_header(w, h, &[]);
    push_idat_iend(&mut out, &idat);
    out
}

#[test]
fn decompression_bombs_are_refused_by_the_header_or_bounded() {
    // Declaring more than the limits: refused from the header alone. The IDAT holds only a few
    // rows, so a decoder that read pixels first would report damage, not size.
    for (w, h) in [(4097u32, 4096u32), (20_000, 20_000), (65_535, 64), (64, 1 << 30)] {
        let bomb = bomb_png(w, h, 4);
        assert!(bomb.len() < 2_000, "{}", bomb.len());
        let r = decode_png(&bomb);
        assert!(
            matches!(r, Err(Error::Image(ImageError::TooLarge))),
            "{w}x{h}: {r:?}"
        );
    }
    // The same few rows under a within-limit header are read and found damaged: the refusal
    // above came from the header.
    assert!(is_image_error(
        &decode_png(&bomb_png(4096, 4096, 4)),
        ImageError::Damaged
    ));
    // A complete bomb at the limit: 16.7 MP of white in about 16 KB. Memory stays bounded
    // (16 MiB of luma), the detector sees 1 MP, and the answer is "no QR code found".
    let bomb = bomb_png(4096, 4096, 4096);
    assert!(bomb.len() < 40_000, "{}", bomb.len());
    assert!(is_image_error(&decode_png(&bomb), ImageError::NoCodeFound));
}

/// A grid of finder patterns (7x7 modules of `unit` px: ring, gap, 3x3 core), one every `cell`
/// px, on white: the known worst case for rqrr, which clones the image for every candidate group.
fn finder_grid(side: u32, cell: u32, unit: u32) -> Vec<u8> {
    (0..side * side)
        .map(|i| {
            let (x, y) = (i % side, i / side);
            let (mx, my) = ((x % cell) / unit, (y % cell) / unit);
            if mx > 6 || my > 6 {
                return 255;
            }
            let d = (mx as i32 - 3).abs().max((my as i32 - 3).abs());
            if d == 3 || d <= 1 {
                0
            } else {
                255
            }
        })
        .collect()
}

/// Decode time on noise, on adversarial grids of finder patterns, and on real codes at and above
/// the detector's 1 MP budget (measurement, not a test of speed). Before the bound (rqrr on the
/// whole image): the 1024x1024 grid of 1024 patterns took 13 s, and 4096x4096 noise over 20
/// minutes. `cargo test -p citizen-wallet-core --release --test qr_codes measure_ -- --ignored --nocapture`.
#[test]
#[ignore = "measurement"]
fn measure_decode_at_the_size_limit() {
    let mut s = 99u64;
    let mut next = || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    };
    let time = |label: &str, w: u32, h: u32, luma: &[u8]| {
        let t = std::time::Instant::now();
        let r = decode_luma(w, h, luma);
        eprintln!(
            "{label} ({w}x{h}): {} in {:?}",
            match &r {
                Ok(_) => "decoded".to_string(),
                Err(e) => e.to_string(),
            },
            t.elapsed()
        );
    };
    for side in [256u32, 1024, 2048, 4096] {
        let noise: Vec<u8> = (0..side * side)
            .map(|_| if next() % 2 == 0 { 0 } else { 255 })
            .collect();
        time("binary noise", side, side, &noise);
    }
    for black in [40u64, 55, 60, 65] {
        let side = 1024u32;
        let noise: Vec<u8> = (0..side * side)
            .map(|_| if next() % 100 < black { 0 } else { 255 })
            .collect();
        time(&format!("noise, {black} % black"), side, side, &noise);
    }
    // Finder grids: (side, cell, unit) -> side^2 / cell^2 patterns.
    for (side, cell, unit) in [
        (1024u32, 256u32, 32u32), // 16 patterns: searched
        (1024, 180, 24),          // 25 patterns: searched
        (1024, 32, 4),            // 1024 patterns: 13 s before, refused now
        (1024, 8, 1),             // 16,384 patterns
        (4096, 32, 4),            // shrunk 4x: 16,384 patterns of 1 px modules
    ] {
        time(
            &format!("finder grid, {} patterns", (side / cell).pow(2)),
            side,
            side,
            &finder_grid(side, cell, unit),
        );
    }
    // 32 patterns (the most the detector searches) placed to maximise rqrr's candidate groups:
    // one pattern with 15 neighbours along its row and 16 along its column, all at about the
    // same distance, so every (row, column) pair is a candidate group; on noise or on white.
    for noisy in [false, true] {
        let side = 1024u32;
        let mut img: Vec<u8> = if noisy {
            (0..side * side)
                .map(|_| if next() % 2 == 0 { 0 } else { 255 })
                .collect()
        } else {
            vec![255; (side * side) as usize]
        };
        let unit = 3u32;
        let mut at = vec![(40u32, 40u32)];
        for i in 0..15u32 {
            at.push((600 + (i % 5) * 30, 10 + (i / 5) * 30));
            at.push((10 + (i / 5) * 30, 600 + (i % 5) * 30));
        }
        at.push((760, 760));
        for (x0, y0) in at {
            for y in 0..9 * unit {
                for x in 0..9 * unit {
                    let (mx, my) = ((x / unit) as i32 - 1, (y / unit) as i32 - 1);
                    let d = (mx - 3).abs().max((my - 3).abs());
                    let dark = (0..7).contains(&mx) && (0..7).contains(&my) && (d == 3 || d <= 1);
                    img[((y0 + y) * side + x0 + x) as usize] = if dark { 0 } else { 255 };
                }
            }
        }
        time(
            &format!("32 patterns, every pair a candidate, noise={noisy}"),
            side,
            side,
            &img,
        );
    }
    // 32 finder patterns (the most the guard lets through) of 3 px modules packed in one corner
    // in a 6 x 6 lattice minus 4, for rxing's search of candidate triples; dark on light and
    // inverted.
    for invert in [false, true] {
        let side = 1024u32;
        let mut img = vec![255u8; (side * side) as usize];
        let unit = 3u32;
        let mut n = 0;
        for gy in 0..6u32 {
            for gx in 0..6u32 {
                if n == 32 {
                    break;
                }
                n += 1;
                let (x0, y0) = (20 + gx * 31 + gy * 3, 20 + gy * 29 + gx * 2);
                for y in 0..7 * unit {
                    for x in 0..7 * unit {
                        let (mx, my) = ((x / unit) as i32, (y / unit) as i32);
                        let d = (mx - 3).abs().max((my - 3).abs());
                        if d == 3 || d <= 1 {
                            img[((y0 + y) * side + x0 + x) as usize] = 0;
                        }
                    }
                }
            }
        }
        if invert {
            img.iter_mut().for_each(|p| *p = 255 - *p);
        }
        time(
            &format!("32 patterns packed, inverted={invert}"),
            side,
            side,
            &img,
        );
    }
    // Real codes: a phone screenshot at 8 px/module, and the same code filling 4096x4096.
    let text = qr_text(970, 1);
    let m = fit(&text, Ecc::M, 20).unwrap();
    for scale in [8u32, 4096 / (m.size + 8)] {
        let png = m.to_png(scale).unwrap();
        let t = std::time::Instant::now();
        let r = decode_png(&png);
        eprintln!(
            "version {} at {scale} px/module ({} px, {} bytes PNG): ok={} in {:?}",
            m.version,
            (m.size + 8) * scale,
            png.len(),
            r.as_deref().ok() == Some(text.as_str()),
            t.elapsed()
        );
    }
}
