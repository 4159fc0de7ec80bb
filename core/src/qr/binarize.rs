//! Image preparation for camera views, in front of rqrr (see `decode::read_first_qr`): a quick
//! test for anything finder-like, an area-averaging shrink, and a local (Sauvola) binarization
//! that survives blur, noise, JPEG blocks and uneven light better than rqrr's row-wise moving
//! average. Every function is linear in the area and allocates at most a few buffers of it.

/// Whether some row of the image (every second one) crosses a 1:1:3:1:1 run pattern of either
/// polarity, with a dead band around the local mean so that flat, noisy areas make no runs.
/// `false` means no QR code can be found: the camera loop can go on at once.
pub(super) fn finder_hint(width: usize, height: usize, luma: &[u8]) -> bool {
    const BAND: i32 = 10;
    let half = (width / 16).max(8);
    let mut runs: Vec<usize> = Vec::with_capacity(width);
    for y in (0..height).step_by(2) {
        let Some(row) = luma.get(y * width..(y + 1) * width) else {
            break;
        };
        // Running sum over [x - half, x + half] (clamped).
        let mut sum: i32 = row.iter().take(half).map(|&p| i32::from(p)).sum();
        let mut count = half.min(width) as i32;
        let mut dark: Option<bool> = None;
        runs.clear();
        let mut run = 0usize;
        for x in 0..width {
            if let Some(&p) = row.get(x + half) {
                sum += i32::from(p);
                count += 1;
            }
            if x > half {
                if let Some(&p) = row.get(x - half - 1) {
                    sum -= i32::from(p);
                    count -= 1;
                }
            }
            let p = i32::from(row.get(x).copied().unwrap_or(0)) * count.max(1);
            let now = if p < sum - BAND * count {
                Some(true)
            } else if p > sum + BAND * count {
                Some(false)
            } else {
                dark
            };
            if now == dark || dark.is_none() {
                dark = now;
                run += 1;
                continue;
            }
            dark = now;
            runs.push(run);
            run = 1;
            if runs.len() >= 5 && finder_like(&runs[runs.len() - 5..]) {
                return true;
            }
        }
    }
    false
}

fn finder_like(r: &[usize]) -> bool {
    let [a, b, c, d, e] = [r[0], r[1], r[2], r[3], r[4]];
    let unit = (a + b + d + e) as f32 / 4.0;
    if unit < 1.0 {
        return false;
    }
    let near = |v: usize, m: f32| (v as f32 - m * unit).abs() <= 0.6 * unit * m.max(1.0);
    near(a, 1.0) && near(b, 1.0) && near(c, 3.0) && near(d, 1.0) && near(e, 1.0)
}

/// Shrinks by an integer factor `k`, each output pixel the mean of its `k` x `k` block (edge
/// blocks may be smaller).
pub(super) fn shrink_mean(width: usize, height: usize, luma: &[u8], k: usize) -> Vec<u8> {
    let k = k.max(1);
    let (w, h) = (width.div_ceil(k), height.div_ceil(k));
    let mut sums = vec![0u32; w];
    let mut out = Vec::with_capacity(w * h);
    for by in 0..h {
        sums.iter_mut().for_each(|s| *s = 0);
        let rows = (by * k..((by + 1) * k).min(height)).count();
        for y in by * k..((by + 1) * k).min(height) {
            let row = luma.get(y * width..(y + 1) * width).unwrap_or(&[]);
            for (x, &p) in row.iter().enumerate() {
                if let Some(s) = sums.get_mut(x / k) {
                    *s += u32::from(p);
                }
            }
        }
        for (bx, s) in sums.iter().enumerate() {
            let cols = (bx * k..((bx + 1) * k).min(width)).count();
            let n = (rows * cols).max(1) as u32;
            out.push((s / n) as u8);
        }
    }
    out
}

/// Sauvola's local threshold on a 3x3-smoothed image: dark (0) where the smoothed pixel is
/// below `mean * (1 + 0.2 * (deviation / 128 - 1))` of its window, white (255) elsewhere; the
/// window is about a sixteenth of the longer side (8 to 64 px each way), larger than a
/// finder pattern of a code that fills a fifth of the frame.
pub(super) fn sauvola(width: usize, height: usize, luma: &[u8]) -> Vec<u8> {
    let (w1, h1) = (width + 1, height + 1);
    let mut sum = vec![0u32; w1 * h1];
    let mut sq = vec![0u64; w1 * h1];
    for y in 0..height {
        let mut rs = 0u32;
        let mut rq = 0u64;
        for x in 0..width {
            let p = luma.get(y * width + x).copied().unwrap_or(255);
            rs += u32::from(p);
            rq += u64::from(p) * u64::from(p);
            let (i, up) = ((y + 1) * w1 + x + 1, y * w1 + x + 1);
            let (s_up, q_up) = (
                sum.get(up).copied().unwrap_or(0),
                sq.get(up).copied().unwrap_or(0),
            );
            if let (Some(s), Some(q)) = (sum.get_mut(i), sq.get_mut(i)) {
                *s = s_up + rs;
                *q = q_up + rq;
            }
        }
    }
    let at = |v: &[u32], x: usize, y: usize| v.get(y * w1 + x).copied().unwrap_or(0);
    let atq = |v: &[u64], x: usize, y: usize| v.get(y * w1 + x).copied().unwrap_or(0);
    let r = (width.max(height) / 16).clamp(8, 64);
    let mut out = vec![255u8; width * height];
    for y in 0..height {
        let (y0, y1) = (y.saturating_sub(r), (y + r + 1).min(height));
        let (s0, s1) = (y.saturating_sub(1), (y + 2).min(height));
        for x in 0..width {
            let (x0, x1) = (x.saturating_sub(r), (x + r + 1).min(width));
            let n = ((x1 - x0) * (y1 - y0)) as f32;
            let s = (at(&sum, x1, y1) + at(&sum, x0, y0)).wrapping_sub(at(&sum, x0, y1) + at(&sum, x1, y0));
            let q = (atq(&sq, x1, y1) + atq(&sq, x0, y0)).wrapping_sub(atq(&sq, x0, y1) + atq(&sq, x1, y0));
            let mean = s as f32 / n;
            let dev = (q as f32 / n - mean * mean).max(0.0).sqrt();
            let threshold = mean * (1.0 + 0.2 * (dev / 128.0 - 1.0));
            let (t0, t1) = (x.saturating_sub(1), (x + 2).min(width));
            let ns = ((t1 - t0) * (s1 - s0)) as f32;
            let ss = (at(&sum, t1, s1) + at(&sum, t0, s0)).wrapping_sub(at(&sum, t0, s1) + at(&sum, t1, s0));
            if (ss as f32 / ns) < threshold {
                if let Some(o) = out.get_mut(y * width + x) {
                    *o = 0;
                }
            }
        }
    }
    out
}
