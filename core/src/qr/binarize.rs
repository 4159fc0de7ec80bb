//! Image preparation for camera views, in front of the detector (see `decode::read_first_qr`):
//! a quick test for anything finder-like, an area-averaging shrink and a 2x enlargement. Every
//! function is linear in the area and allocates at most one buffer of the output's size.

/// Whether some row of the image (every second one) crosses a 1:1:3:1:1 run pattern of either
/// polarity, with a dead band around the local mean so that flat, noisy areas make no runs.
/// `false` means no QR code can be found: the camera loop can go on at once.
pub(super) fn finder_hint(width: usize, height: usize, luma: &[u8]) -> bool {
    let mut found = false;
    finder_scan(width, height, luma, |_, _| {
        found = true;
        false
    });
    found
}

/// Where the rows of [`finder_hint`] cross finder-like patterns: the median of at most
/// `limit` hits (x of the pattern's centre, y of the row), or `None` without any. For finding
/// a small code in a frame too large to search whole.
pub(super) fn finder_centre(
    width: usize,
    height: usize,
    luma: &[u8],
    limit: usize,
) -> Option<(usize, usize)> {
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    finder_scan(width, height, luma, |x, y| {
        xs.push(x);
        ys.push(y);
        xs.len() < limit
    });
    xs.sort_unstable();
    ys.sort_unstable();
    Some((*xs.get(xs.len() / 2)?, *ys.get(ys.len() / 2)?))
}

/// The row scan of [`finder_hint`]: calls `hit(x, y)` for each pattern (x = its centre) until
/// it returns `false`.
fn finder_scan(width: usize, height: usize, luma: &[u8], mut hit: impl FnMut(usize, usize) -> bool) {
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
                let back: usize = runs[runs.len() - 3..].iter().sum::<usize>() - runs[runs.len() - 3] / 2;
                if !hit(x.saturating_sub(back), y) {
                    return;
                }
            }
        }
    }
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

/// Doubles an image in both directions, bilinear (edge pixels repeat).
pub(super) fn upscale2(width: usize, height: usize, luma: &[u8]) -> Vec<u8> {
    let px = |x: usize, y: usize| {
        u16::from(
            luma.get(y.min(height - 1) * width + x.min(width - 1))
                .copied()
                .unwrap_or(255),
        )
    };
    let mut out = Vec::with_capacity(width * height * 4);
    for y2 in 0..height * 2 {
        let (y, dy) = (y2 / 2, y2 % 2);
        for x2 in 0..width * 2 {
            let (x, dx) = (x2 / 2, x2 % 2);
            let v = match (dx, dy) {
                (0, 0) => px(x, y) * 4,
                (1, 0) => (px(x, y) + px(x + 1, y)) * 2,
                (0, _) => (px(x, y) + px(x, y + 1)) * 2,
                _ => px(x, y) + px(x + 1, y) + px(x, y + 1) + px(x + 1, y + 1),
            };
            out.push((v / 4) as u8);
        }
    }
    out
}

/// Each pixel plus `amount` times its difference from its 3x3 mean (clamped): 2 is an unsharp
/// mask (blur), -1 the 3x3 mean itself (noise).
pub(super) fn sharpen(width: usize, height: usize, luma: &[u8], amount: i32) -> Vec<u8> {
    let px = |x: usize, y: usize| i32::from(luma.get(y * width + x).copied().unwrap_or(255));
    let mut out = Vec::with_capacity(width * height);
    for y in 0..height {
        for x in 0..width {
            let (x0, x1, y0, y1) = (
                x.saturating_sub(1),
                (x + 1).min(width - 1),
                y.saturating_sub(1),
                (y + 1).min(height - 1),
            );
            let mut sum = 0;
            let mut n = 0;
            for yy in y0..=y1 {
                for xx in x0..=x1 {
                    sum += px(xx, yy);
                    n += 1;
                }
            }
            let c = px(x, y);
            out.push((c + amount * (c - sum / n.max(1))).clamp(0, 255) as u8);
        }
    }
    out
}
